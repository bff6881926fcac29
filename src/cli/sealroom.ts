#!/usr/bin/env node
/**
 * `sealroom`: the command-line client (and `sealroom serve`, the server). Built only on @sealroom/sdk.
 * commander parses the arguments; every failure ends as one line on stderr and an exit code from
 * exit-codes.ts, which README "CLI" documents for scripts.
 */
import { Command, CommanderError } from 'commander';
import { registerChat } from './commands/chat.command';
import { registerCreate } from './commands/create.command';
import { registerGet } from './commands/get.command';
import { registerSend } from './commands/send.command';
import { registerServe } from './commands/serve.command';
import { EXIT, describeFailure } from './exit-codes';

// Kept in step with package.json by hand would drift; read it at run time (dist/src/cli -> root, src/cli -> root).
function packageVersion(): string {
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'sealroom' && pkg.version) return pkg.version;
    } catch {
      // not at this depth
    }
  }
  return '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('sealroom')
    .description('end-to-end encrypted rooms and file drops from the terminal (and the Sealroom server)')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 error, 2 bad usage or link, 3 room/file not found, 4 wrong or missing password,
            5 too large / uploads off / storage full, 6 server unreachable, 7 download failed authentication,
            130 interrupted.
Environment: SEALROOM_SERVER (server for create), SEALROOM_PASSWORD (room password without a prompt).`,
    );
  registerServe(program);
  registerCreate(program);
  registerChat(program);
  registerSend(program);
  registerGet(program);
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

if (require.main === module) {
  // `serve` shuts down gracefully on its own signal handlers; other commands stop at once on Ctrl-C.
  if (process.argv[2] !== 'serve') process.on('SIGINT', () => process.exit(EXIT.INTERRUPTED));
  void run(process.argv).then((code) => {
    // `serve` keeps running (its server holds the event loop); the other commands end here.
    if (process.argv[2] !== 'serve' || code !== EXIT.OK) process.exit(code);
  });
}
