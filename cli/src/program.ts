/**
 * The `sealroom` program: the command-line client (and `sealroom serve`, the server). Built only on @sealroom/sdk.
 * commander parses the arguments; every failure ends as one line on stderr and an exit code from
 * exit-codes.ts, which README "CLI" documents for scripts.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { registerChat } from './commands/chat.command.js';
import { registerCreate } from './commands/create.command.js';
import { registerDelete } from './commands/delete.command.js';
import { registerGet } from './commands/get.command.js';
import { registerSend } from './commands/send.command.js';
import { registerServe } from './commands/serve.command.js';
import { EXIT, describeFailure } from './exit-codes.js';

const require = createRequire(import.meta.url);
/** The CLI's version: its package.json is one folder up from both src/ and dist/. */
const VERSION = (require('../package.json') as { version: string }).version;

export function buildProgram(): Command {
  const program = new Command('sealroom')
    .description('end-to-end encrypted rooms and file drops from the terminal (and the Sealroom server)')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 error, 2 bad usage or link, 3 room/file not found, 4 wrong or missing password,
            5 too large / uploads off / storage full, 6 server unreachable, 7 download failed authentication,
            130 interrupted.
Environment: SEALROOM_SERVER (server for create), SEALROOM_PASSWORD (room password without a prompt),
             SEALROOM_CONFIG_DIR (identity keys, trust records and owner credentials; default ~/.config/sealroom).`,
    );
  registerServe(program);
  registerCreate(program);
  registerChat(program);
  registerSend(program);
  registerGet(program);
  registerDelete(program);
  // Subcommands report usage errors through the same override as the program.
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.OK;
  } catch (error) {
    // commander already printed its one-line message (or the help / version) to the right stream.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    const { exitCode, message } = describeFailure(error);
    process.stderr.write(`sealroom: ${message}\n`);
    return exitCode;
  }
}
