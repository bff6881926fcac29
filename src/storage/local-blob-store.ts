import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isId } from '../ids';
import { FileRangeStream } from './file-range-stream';
import { ByteCounter, checkedId, type BlobListing, type BlobRange, type BlobStore } from './blob-store';

const TEMP_SUFFIX = '.part';

/**
 * Encrypted blobs on disk, one file per id under DATA_DIR/files: the store for a single machine (or a cluster
 * whose nodes share that folder). Writes go to `<id>.part` and are renamed into place only when complete, so a
 * reader never sees half a file.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local';
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'files');
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
  }

  async check(): Promise<void> {
    await fsp.access(this.dir, fs.constants.R_OK | fs.constants.W_OK);
  }

  private finalPath(id: string): string {
    return path.join(this.dir, checkedId(id));
  }

  private tempPath(id: string): string {
    return path.join(this.dir, checkedId(id) + TEMP_SUFFIX);
  }

  /**
   * Makes `file`, complete and on the same filesystem, the temporary blob for `id` by renaming it (a finished
   * resumable upload, so that its bytes are not copied); false when it is on another filesystem.
   */
  async adoptTemp(id: string, file: string): Promise<boolean> {
    try {
      await fsp.rename(file, this.tempPath(id));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EXDEV') return false;
      throw e;
    }
  }

  async write(id: string, source: Readable, expectedBytes: number, onProgress?: (bytes: number) => void): Promise<void> {
    const target = this.tempPath(id);
    const counter = new ByteCounter(expectedBytes, onProgress);
    const file = fs.createWriteStream(target, { flags: 'wx' });
    try {
      await pipeline(source, counter, file);
    } catch (e) {
      source.resume(); // let the multipart parser move on; the request is answered with the error
      // pipeline rejects as soon as a stream fails, possibly before the file is closed (e.g. the disk filled up
      // while a write was pending); removing it first would let the late close leave the `.part` behind.
      // (Not events.once: it rejects on the 'error' the destroyed file emits, which would skip the removal.)
      if (!file.closed) {
        const closed = new Promise<void>((resolve) => file.once('close', () => resolve()));
        file.destroy();
        await closed;
      }
      await removeQuietly(target);
      throw e;
    }
  }

  async commit(id: string): Promise<void> {
    await fsp.rename(this.tempPath(id), this.finalPath(id));
  }

  /** The file is opened before this resolves: an open handle keeps the bytes readable after the file is removed. */
  async read(id: string, range?: BlobRange): Promise<Readable | null> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.finalPath(id), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    if (range && range.end < range.start) {
      await handle.close();
      return Readable.from([]);
    }
    return new FileRangeStream(handle, range?.start, range?.end);
  }

  async remove(id: string): Promise<void> {
    await Promise.all([removeQuietly(this.finalPath(id)), removeQuietly(this.tempPath(id))]);
  }

  async removeTemp(id: string): Promise<void> {
    await removeQuietly(this.tempPath(id));
  }

  async list(): Promise<BlobListing> {
    const names = await fsp.readdir(this.dir);
    const listing: BlobListing = { blobs: [], temps: [], strays: [] };
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX) && isId(name.slice(0, -TEMP_SUFFIX.length))) listing.temps.push(name.slice(0, -TEMP_SUFFIX.length));
      else if (isId(name)) listing.blobs.push(name);
      else listing.strays.push(name);
    }
    return listing;
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }
}

async function removeQuietly(file: string): Promise<void> {
  await fsp.rm(file, { force: true });
}
