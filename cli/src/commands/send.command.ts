/** `sealroom send`: encrypts and uploads a file into a room, announces it there, prints its file link. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SealroomClient } from '@sealroom/sdk/node';
import type { Command } from 'commander';
import { result } from '../cli-output.js';
import { CliError, EXIT } from '../exit-codes.js';
import { progressReporter } from '../progress-reporter.js';
import { joinRoom } from '../room-join.js';
import { cliIdentityStore } from '../identity-store.js';

interface SendFlags {
  name: string;
  password?: boolean;
  maxDownloads?: string;
}

/** Checks a local file before anything goes to the server; a missing file is a usage error. */
export async function checkLocalFile(path: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, EXIT.USAGE);
  });
  if (!info.isFile()) throw new CliError(`${path} is not a regular file`, EXIT.USAGE);
  return info.size;
}

export function registerSend(program: Command): void {
  program
    .command('send')
    .description('share a file in a room and print its file link')
    .argument('<invite>', 'the room invite link')
    .argument('<file>', 'the file to send')
    .option('-n, --name <name>', 'the display name the room sees', 'sealroom-cli')
    .option(
      '-p, --password',
      'the room has a password (asked, or SEALROOM_PASSWORD / first line of stdin); asked anyway when needed on a terminal',
    )
    .option('--max-downloads <n>', 'delete the file after this many downloads (1-1000)')
    .action(async (invite: string, file: string, flags: SendFlags) => {
      const maxDownloads = flags.maxDownloads === undefined ? undefined : Number(flags.maxDownloads);
      if (maxDownloads !== undefined && !(Number.isInteger(maxDownloads) && maxDownloads >= 1 && maxDownloads <= 1000)) {
        throw new CliError('--max-downloads takes a whole number from 1 to 1000', EXIT.USAGE);
      }
      const size = await checkLocalFile(file);
      const client = new SealroomClient({ identityStore: cliIdentityStore() });
      const progress = progressReporter('upload');
      try {
        const room = await joinRoom(client, invite, flags.name, { stdinAllowed: true, password: flags.password === true });
        const shared = await room.shareFile(createReadStream(file), {
          size,
          ...(maxDownloads !== undefined ? { maxDownloads } : {}),
          onProgress: (p) => progress.update(p),
        });
        progress.stop();
        result(shared.link);
      } finally {
        progress.stop();
        await client.close();
      }
    });
}
