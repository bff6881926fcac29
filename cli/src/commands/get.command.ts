/**
 * `sealroom get`: downloads and decrypts a file link. The file is written beside its destination under a
 * temporary name and renamed only once every record authenticated (the SDK's saveFile), so a failed or
 * tampered download never leaves a file under the asked name. `-o -` streams to stdout instead.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { SealroomClient, parseFileLink } from '@sealroom/sdk/node';
import type { Command } from 'commander';
import { result } from '../cli-output.js';
import { progressReporter } from '../progress-reporter.js';
import { cliIdentityStore } from '../identity-store.js';

interface GetFlags {
  output?: string;
}

/** `-o` as given, or `<file_id>` inside it when it names a directory, or `./<file_id>` without it. */
async function destination(output: string | undefined, fileId: string): Promise<string> {
  if (output === undefined) return resolve(fileId);
  const isDirectory = await stat(output).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return resolve(isDirectory ? join(output, fileId) : output);
}

export function registerGet(program: Command): void {
  program
    .command('get')
    .description('download and decrypt a file link; prints the path written')
    .argument('<file-link>', 'the file link (BASE_URL/f/<file_id>#<key>)')
    .option(
      '-o, --output <path>',
      'where to write (default: ./<file_id>; a directory: <file_id> in it); "-" writes the plaintext to stdout, where a failure is only known at the end (exit code)',
    )
    .action(async (link: string, flags: GetFlags) => {
      const { fileId } = parseFileLink(link);
      const client = new SealroomClient({ identityStore: cliIdentityStore() });
      const progress = progressReporter('download');
      try {
        if (flags.output === '-') {
          const download = await client.downloadFile(link, { onProgress: (p) => progress.update(p) });
          await download.stream.pipeTo(Writable.toWeb(process.stdout), { preventClose: true });
          progress.stop();
          return;
        }
        const path = await destination(flags.output, fileId);
        await client.saveFile(link, path, { onProgress: (p) => progress.update(p) });
        progress.stop();
        result(path);
      } finally {
        progress.stop();
        await client.close();
      }
    });
}
