/**
 * `sealroom get`: downloads and decrypts a file link. It first reads the file's info (not counted as a download):
 * a missing or expired file is reported before anything is written, and the file is saved under its real name
 * (sealed by the sender with the file key) unless `-o` says otherwise. A name that is not safe to write (folders,
 * `..`, a leading dot, control characters) is refused. The file is written beside its destination under a
 * temporary name and renamed only once every record authenticated (the SDK's saveFile), so a failed or tampered
 * download never leaves a file under the asked name. `-o -` streams to stdout instead.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { SealroomClient, parseFileLink } from '@sealroom/sdk/node';
import type { Command } from 'commander';
import { result } from '../cli-output.js';
import { safeInline } from '../terminal-text.js';
import { CliError, EXIT } from '../exit-codes.js';
import { progressReporter } from '../progress-reporter.js';

interface GetFlags {
  output?: string;
}

/** Why a file name from the sender cannot be used as is, or null when it can. */
export function unsafeNameReason(name: string): string | null {
  if (name.trim() === '') return 'it is empty';
  if (/[/\\]/.test(name)) return 'it contains a folder separator';
  if (name === '.' || name === '..') return 'it names a folder';
  if (name.startsWith('.')) return 'it starts with a dot (a hidden file)';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'it contains control characters';
  if (/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(name)) return 'it contains text direction overrides';
  if (Buffer.byteLength(name) > 255) return 'it is longer than 255 bytes';
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(name)) return 'it is a reserved device name';
  return null;
}

/** `dir/name`, or `dir/name (1).ext`, ... when taken: a default download never replaces a file. */
export function freePath(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = resolve(dir, n === 0 ? name : `${stem} (${n})${ext}`);
    if (!existsSync(candidate)) return candidate;
  }
}

/** `-o` as given, or the name inside it when it names a directory, or the name in the current folder. */
async function destination(output: string | undefined, name: string): Promise<string> {
  if (output === undefined) return freePath('.', name);
  const isDirectory = await stat(output).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isDirectory ? freePath(output, name) : resolve(output);
}

export function registerGet(program: Command): void {
  program
    .command('get')
    .description("download and decrypt a file link under the file's own name; prints the path written")
    .argument('<file-link>', 'the file link (BASE_URL/f/<file_id>#<key>)')
    .option(
      '-o, --output <path>',
      'where to write (default: the file\'s name in the current folder, "name (1).ext" if taken; a directory: the name in it); "-" writes the plaintext to stdout, where a failure is only known at the end (exit code)',
    )
    .action(async (link: string, flags: GetFlags) => {
      const { fileId } = parseFileLink(link);
      const client = new SealroomClient();
      const progress = progressReporter('download');
      try {
        if (flags.output === '-') {
          const download = await client.downloadFile(link, { onProgress: (p) => progress.update(p) });
          await download.stream.pipeTo(Writable.toWeb(process.stdout), { preventClose: true });
          progress.stop();
          return;
        }
        // Not counted as a download: a gone file is reported here, before anything is written.
        const about = await client.getFileInfo(link);
        let name = about.name ?? fileId;
        const unsafe = unsafeNameReason(name);
        if (unsafe !== null) {
          if (
            flags.output === undefined ||
            (await stat(flags.output).then(
              (s) => s.isDirectory(),
              () => false,
            ))
          ) {
            throw new CliError(
              `the file's name "${safeInline(name)}" is not safe to save under (${unsafe}); choose a path with -o`,
              EXIT.USAGE,
            );
          }
          name = fileId;
        }
        const path = await destination(flags.output, name);
        await client.saveFile(link, path, { onProgress: (p) => progress.update(p) });
        progress.stop();
        result(path);
      } finally {
        progress.stop();
        await client.close();
      }
    });
}
