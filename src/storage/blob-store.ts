import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors';
import { isId } from '../ids';

const TEMP_SUFFIX = '.part';

/**
 * Encrypted blobs on disk, one file per id under DATA_DIR/files. Writes go to `<id>.part` and are renamed
 * into place only when complete, so a reader never sees half a file. Ids are checked against the id
 * pattern before they become paths, so nothing can escape the folder.
 */
export class BlobStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'files');
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
  }

  finalPath(id: string): string {
    return path.join(this.dir, checkedId(id));
  }

  tempPath(id: string): string {
    return path.join(this.dir, checkedId(id) + TEMP_SUFFIX);
  }

  /**
   * Streams `source` into the temporary file for `id`, cutting it off as soon as it exceeds `expectedBytes`
   * and failing when it ends short. `onProgress` is called with the byte count as data arrives. On any
   * failure the temporary file is removed before the error propagates.
   */
  async writeTemp(id: string, source: Readable, expectedBytes: number, onProgress?: (bytes: number) => void): Promise<void> {
    const target = this.tempPath(id);
    const counter = new ByteCounter(expectedBytes, onProgress);
    const file = fs.createWriteStream(target, { flags: 'wx' });
    try {
      await pipeline(source, counter, file);
      if (counter.bytes !== expectedBytes) {
        throw new AppError('SIZE_MISMATCH', `The file part has ${counter.bytes} bytes but ${expectedBytes} were declared`);
      }
    } catch (e) {
      source.resume(); // let the multipart parser move on; the request is answered with the error
      // pipeline rejects as soon as a stream fails, possibly before the file is closed (e.g. the disk filled up
      // while a write was pending); removing it first would let the late close leave the `.part` behind.
      if (!file.closed) {
        file.destroy();
        await once(file, 'close');
      }
      await removeQuietly(target);
      throw e;
    }
  }

  /**
   * Opens a blob for reading, or null when there is none. An open handle keeps the bytes readable even if
   * the blob is removed a moment later (a burn-after-reading file still streams to its last reader).
   */
  async open(id: string): Promise<fsp.FileHandle | null> {
    try {
      return await fsp.open(this.finalPath(id), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Moves a completed temporary file into place. */
  async commit(id: string): Promise<void> {
    await fsp.rename(this.tempPath(id), this.finalPath(id));
  }

  /** Removes the blob and any temporary file for `id`; missing files are fine. */
  async remove(id: string): Promise<void> {
    await Promise.all([removeQuietly(this.finalPath(id)), removeQuietly(this.tempPath(id))]);
  }

  /** Removes only the temporary file for `id`. */
  async removeTemp(id: string): Promise<void> {
    await removeQuietly(this.tempPath(id));
  }

  /** Every entry in the folder, split into blobs and temporary files, by id. Unknown names are reported too. */
  async list(): Promise<{ blobs: string[]; temps: string[]; strays: string[] }> {
    const names = await fsp.readdir(this.dir);
    const blobs: string[] = [];
    const temps: string[] = [];
    const strays: string[] = [];
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX) && isId(name.slice(0, -TEMP_SUFFIX.length))) temps.push(name.slice(0, -TEMP_SUFFIX.length));
      else if (isId(name)) blobs.push(name);
      else strays.push(name);
    }
    return { blobs, temps, strays };
  }

  /** Removes a file the store does not recognise (left by an older version or by hand). */
  async removeStray(name: string): Promise<void> {
    await removeQuietly(path.join(this.dir, path.basename(name)));
  }
}

function checkedId(id: string): string {
  if (!isId(id)) throw new Error(`not a blob id: ${JSON.stringify(id)}`);
  return id;
}

async function removeQuietly(file: string): Promise<void> {
  await fsp.rm(file, { force: true });
}

/** Counts bytes on their way to disk and stops the stream the moment it passes the declared size. */
class ByteCounter extends Transform {
  bytes = 0;

  constructor(
    private readonly limit: number,
    private readonly onProgress?: (bytes: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      done(new AppError('SIZE_MISMATCH', `The file part is longer than the declared ${this.limit} bytes`));
      return;
    }
    this.onProgress?.(this.bytes);
    done(null, chunk);
  }
}
