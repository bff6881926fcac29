/** `sealroom serve`: the server, exactly as `npm start` runs it (same environment, graceful on SIGINT/SIGTERM). */
import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the Sealroom server (configured by the environment: PORT, BASE_URL, DATA_DIR, ... see README)')
    .action(async () => {
      // Loaded only here: the other commands do not need the server's dependencies.
      const { main } = await import('../../main');
      await main(process.env);
    });
}
