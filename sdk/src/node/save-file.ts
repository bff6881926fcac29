/** Saving a decrypted download to a file (Node entry only). */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomId } from '../crypto/ids.js';
import { SealroomError, isSealroomError } from '../errors.js';

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value;
  } finally {
    reader.releaseLock();
  }
}

/**
 * Writes a plaintext stream to `path`. The data goes to a temporary file beside it, renamed to `path` only
 * once the stream ended without error, so a file that fails to decrypt never appears under its name.
 * An existing file at `path` is replaced.
 * @throws the stream's SealroomError (`DECRYPT_FAILED`, `TRUNCATED`, `NETWORK_ERROR`, `ABORTED`), SealroomError `FILE_SYSTEM_ERROR`
 */
export async function saveStream(stream: ReadableStream<Uint8Array>, path: string): Promise<void> {
  const partial = join(dirname(path), `.${basename(path)}.${randomId()}.part`);
  try {
    await pipeline(chunksOf(stream), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    await rename(partial, path);
  } catch (error) {
    await stream.cancel().catch(() => undefined);
    await rm(partial, { force: true });
    if (isSealroomError(error)) throw error;
    throw new SealroomError('FILE_SYSTEM_ERROR', `could not write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
