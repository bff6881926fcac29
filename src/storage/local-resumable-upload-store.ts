import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { FileStore } from '@tus/file-store';
import { isId } from '../ids';
import { checkedUploadId, type ResumableUploadStore } from './resumable-upload-store';

const INFO_SUFFIX = '.json';

/**
 * Resumable (tus) uploads in progress, under DATA_DIR/resumable: `<id>` holds the ciphertext received so far and
 * `<id>.json` the upload's declared length and metadata (@tus/file-store's layout). They live apart from the blob
 * folder, which only ever holds whole blobs and their `.part` files. Once every byte is here, the upload's file
 * is renamed to blob `<id>`'s temporary file (or, on another filesystem, streamed into it) and committed.
 */
export class LocalResumableUploadStore extends FileStore implements ResumableUploadStore {
  constructor(
    dataDir: string,
    expiryMs: number,
    /** Wraps each PATCH body on its way to disk (the minimum upload rate). */
    private readonly watchBody: (source: Readable) => Readable = (source) => source,
    /** Moves a completed upload's file into the blob folder as blob `id`'s temporary file; false if it cannot. */
    private readonly adoptIntoBlobStore?: (id: string, file: string) => Promise<boolean>,
  ) {
    super({ directory: path.join(dataDir, 'resumable'), expirationPeriodInMilliseconds: expiryMs });
    // No deferred length: the quota is reserved for the declared length when the upload is created.
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.directory, { recursive: true });
  }

  override write(readable: IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    return super.write(this.watchBody(readable), checkedUploadId(id), offset);
  }

  /** A rename when the blob folder is on the same filesystem (it usually is: both are in DATA_DIR), else a copy. */
  async takeCompleted(id: string): Promise<Readable | null> {
    const file = path.join(this.directory, checkedUploadId(id));
    if (this.adoptIntoBlobStore && (await this.adoptIntoBlobStore(id, file))) return null;
    return fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  }

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

  async discard(id: string): Promise<void> {
    const file = path.join(this.directory, checkedUploadId(id));
    await Promise.all([fsp.rm(file, { force: true }), fsp.rm(file + INFO_SUFFIX, { force: true })]);
  }

  async close(): Promise<void> {}
}
