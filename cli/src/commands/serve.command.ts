/**
 * `sealroom serve`: the server, exactly as `npm start` runs it (same environment, graceful on SIGINT/SIGTERM).
 * The CLI depends only on the SDK; the server is found at run time in the Sealroom checkout or image the CLI
 * runs from, so a CLI installed on its own says so instead of failing on a missing module.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes.js';

interface ServerEntry {
  main(env: NodeJS.ProcessEnv): Promise<void>;
}

/** The server's entry in the Sealroom root above this file: its build, or its source when the CLI runs from source. */
function serverEntry(): string {
  const here = fileURLToPath(import.meta.url);
  for (let dir = path.dirname(here); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest) || (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name !== 'sealroom') continue;
    const entry = here.endsWith('.ts') ? path.join(dir, 'src', 'main.ts') : path.join(dir, 'dist', 'src', 'main.js');
    if (fs.existsSync(entry)) return entry;
    throw new CliError(`the server is not built: run \`npm run build\` in ${dir}`, EXIT.USAGE);
  }
  throw new CliError(
    'this installation of the CLI has no server: run `sealroom serve` from a Sealroom checkout or the Docker image',
    EXIT.USAGE,
  );
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the Sealroom server (configured by the environment: PORT, BASE_URL, DATA_DIR, ... see README)')
    .action(async () => {
      // Loaded only here: the other commands do not need the server's dependencies.
      const server = (await import(pathToFileURL(serverEntry()).href)) as Partial<ServerEntry> & { default?: ServerEntry };
      const main = server.main ?? server.default?.main;
      if (!main) throw new CliError('the server entry has no main(): rebuild the server (`npm run build`)', EXIT.RUNTIME);
      await main(process.env);
    });
}
