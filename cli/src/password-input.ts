/**
 * Where a room password comes from, in this order: the SEALROOM_PASSWORD environment variable; a prompt on
 * the terminal with no echo; otherwise (stdin piped) the first line of stdin, when the command does not need
 * stdin for anything else. Never from a command-line argument, which other users can read in `ps`.
 */
import { CliError, EXIT } from './exit-codes.js';

export const PASSWORD_ENV = 'SEALROOM_PASSWORD';

export interface PasswordSource {
  /** False for `chat`, whose stdin carries the conversation. */
  stdinAllowed: boolean;
}

export async function readPassword(prompt: string, source: PasswordSource): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) return promptHidden(prompt);
  if (!source.stdinAllowed) throw new CliError(`no terminal to ask for the password: set ${PASSWORD_ENV}`, EXIT.USAGE);
  const line = await firstLineOfStdin();
  if (line === '') throw new CliError(`no password on stdin (or set ${PASSWORD_ENV})`, EXIT.USAGE);
  return line;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += (chunk as Buffer).toString('utf8');
    const end = text.indexOf('\n');
    // Leaving the loop ends the stream: nothing else reads stdin in create/send.
    if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
  }
  return text.replace(/\r$/, '');
}

/** Reads a line from the terminal in raw mode, echoing nothing; Ctrl-C exits like an interrupt. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let value = '';
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          done();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          done();
          process.exit(EXIT.INTERRUPTED);
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
