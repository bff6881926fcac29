/** `sealroom send`: encrypts and uploads a file into a room, announces it there, prints its file link. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FileResumeStore, SealroomClient, encryptedSize, isSealroomError, parseInviteLink } from '@sealroom/sdk/node';
import type { Command } from 'commander';
import { formatBytes, formatDuration, info, parseDuration, result } from '../cli-output.js';
import { CliError, EXIT } from '../exit-codes.js';
import { ConfigIdentityStore, resumeFile } from '../config-store.js';
import { progressReporter } from '../progress-reporter.js';
import { joinRoom } from '../room-join.js';

interface SendFlags {
  name: string;
  password?: boolean;
  maxDownloads?: string;
  expires?: string;
}

/** Checks a local file before anything goes to the server; a missing file is a usage error. */
export async function checkLocalFile(path: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, EXIT.USAGE);
  });
  if (!info.isFile()) throw new CliError(`${path} is not a regular file`, EXIT.USAGE);
  return info.size;
}

/**
 * Checks the server's upload limit before joining the room (so the others do not see this client come and go
 * for a file that cannot be sent), in sizes people read.
 */
export async function checkServerTakes(client: SealroomClient, path: string, size: number): Promise<void> {
  try {
    await client.checkUpload(size);
  } catch (error) {
    if (isSealroomError(error, 'FILE_TOO_LARGE')) {
      const { max_upload_bytes: limit } = await client.getConfig();
      throw new CliError(
        `${basename(path)} is ${formatBytes(size)} (${formatBytes(encryptedSize(size))} encrypted); this server takes files up to ${formatBytes(limit)} encrypted (FILE_TOO_LARGE)`,
        EXIT.TOO_LARGE,
      );
    }
    throw error;
  }
}

/** `--expires` in seconds, checked against the server's file age limit. */
async function expiresIn(client: SealroomClient, text: string | undefined): Promise<number | undefined> {
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === null) throw new CliError(`--expires takes a duration such as 90s, 10m, 2h or 1d, not "${text}"`, EXIT.USAGE);
  const limit = Math.floor((await client.getConfig()).file_age_ms / 1000);
  if (seconds > limit) {
    throw new CliError(`--expires ${text} is longer than this server keeps files (${formatDuration(limit)})`, EXIT.USAGE);
  }
  return seconds;
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
    .option('--expires <duration>', "delete the file after this long (e.g. 30m, 2h, 1d; at most the server's file age limit)")
    .action(async (invite: string, file: string, flags: SendFlags) => {
      const maxDownloads = flags.maxDownloads === undefined ? undefined : Number(flags.maxDownloads);
      if (maxDownloads !== undefined && !(Number.isInteger(maxDownloads) && maxDownloads >= 1 && maxDownloads <= 1000)) {
        throw new CliError('--max-downloads takes a whole number from 1 to 1000', EXIT.USAGE);
      }
      if (flags.expires !== undefined && parseDuration(flags.expires) === null) {
        throw new CliError(`--expires takes a duration such as 90s, 10m, 2h or 1d, not "${flags.expires}"`, EXIT.USAGE);
      }
      const size = await checkLocalFile(file);
      // Resumable: an upload cut off (network, Ctrl-C) goes on from where the server stopped when the same file is
      // sent again into the same room; the resume state (with the file key) stays in the config directory.
      const client = new SealroomClient({
        baseUrl: parseInviteLink(invite).baseUrl,
        identityStore: new ConfigIdentityStore(),
        resumableUploads: { store: new FileResumeStore(resumeFile()) },
      });
      const progress = progressReporter('upload');
      try {
        await checkServerTakes(client, file, size);
        const expires = await expiresIn(client, flags.expires);
        const room = await joinRoom(client, invite, flags.name, { stdinAllowed: true, password: flags.password === true });
        const shared = await room.shareFile(createReadStream(file), {
          size,
          ...(maxDownloads !== undefined ? { maxDownloads } : {}),
          ...(expires !== undefined ? { expiresIn: expires } : {}),
          onProgress: (p) => progress.update(p),
          onResume: (loaded, total) =>
            info(`resuming at ${Math.floor((loaded / Math.max(total, 1)) * 100)} % (${formatBytes(loaded)} already on the server)`),
        });
        progress.stop();
        result(shared.link);
      } finally {
        progress.stop();
        await client.close();
      }
    });
}
