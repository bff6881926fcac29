import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { IncomingMessage } from 'node:http';
import { isId } from '../ids';

const INFO_SUFFIX = '.json';

/**
 * Resumable (tus) uploads in progress, under DATA_DIR/resumable: `<id>` holds the ciphertext received so far and
 * `<id>.json` the upload's declared length and metadata (@tus/file-store's layout). They live apart from the blob
 * folder, which only ever holds whole blobs and their `.part` files.
 *
 * The one seam with the blob store is `readCompleted`: once every byte is here, the upload's bytes are streamed
 * into blob `<id>` (FileService.receive, then complete) and the upload is discarded. A blob store that is not a
 * local folder (S3) takes the same stream.
 */
export class ResumableUploadStore extends FileStore {
  constructor(
    dataDir: string,
    expiryMs: number,
    /** Wraps each PATCH body on its way to disk (the minimum upload rate). */
    private readonly watchBody: (source: Readable) => Readable = (source) => source,
  ) {
    super({ directory: path.join(dataDir, 'resumable'), expirationPeriodInMilliseconds: expiryMs });
    // No deferred length: the quota is reserved for the declared length when the upload is created.
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.directory, { recursive: true });
  }

  override write(readable: IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    return super.write(this.watchBody(readable), checkedId(id), offset);
  }

  /** The bytes of a completed upload, to become blob `id`. */
  readCompleted(id: string): Readable {
    return fs.createReadStream(path.join(this.directory, checkedId(id)), { highWaterMark: 256 * 1024 });
  }

  /** Ids of the uploads with anything on disk (bytes or description). */
  async ids(): Promise<string[]> {
    const names = await fsp.readdir(this.directory).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const ids = new Set<string>();
    for (const name of names) {
      const id = name.endsWith(INFO_SUFFIX) ? name.slice(0, -INFO_SUFFIX.length) : name;
      if (isId(id)) ids.add(id);
    }
    return [...ids];
  }

  /** Removes an upload's bytes and description; missing files are fine. */
  async discard(id: string): Promise<void> {
    const file = path.join(this.directory, checkedId(id));
    await Promise.all([fsp.rm(file, { force: true }), fsp.rm(file + INFO_SUFFIX, { force: true })]);
  }
}

function checkedId(id: string): string {
  if (!isId(id)) throw new Error(`not an upload id: ${JSON.stringify(id)}`);
  return id;
}
