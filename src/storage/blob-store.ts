import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AppError } from '../errors';
import { isId } from '../ids';

/** An inclusive byte range of a blob, as HTTP ranges are. */
export interface BlobRange {
  start: number;
  end: number;
}

/** What a store holds, by id: committed blobs, temporary (uncommitted) writes, and names it does not recognise. */
export interface BlobListing {
  blobs: string[];
  temps: string[];
  strays: string[];
}

/**
 * Where encrypted file blobs live: a local folder (LocalBlobStore) or an S3-compatible bucket (S3BlobStore).
 * Two properties hold for every implementation and the services rely on them:
 * - a reader never sees half a blob: bytes are written to a temporary place and only `commit` makes them
 *   readable, all at once;
 * - a failed write leaves nothing behind: `write` removes what it wrote before its error propagates.
 * The store holds ciphertext only and names objects by random file id; it knows nothing about rooms or quotas.
 */
export interface BlobStore {
  /** `local` or `s3`, for logs and health reports. */
  readonly kind: 'local' | 's3';

  /** Prepares the store (creates the folder; checks, or creates, the bucket). Throws when it is unusable. */
  init(): Promise<void>;

  /** A cheap probe for /health: throws when the store cannot be used right now. */
  check(): Promise<void>;

  /**
   * Streams `source` into the temporary blob for `id`, cutting it off with SIZE_MISMATCH as soon as it exceeds
   * `expectedBytes` and failing the same way when it ends short. `onProgress` gets the byte count as data arrives.
   * Memory stays flat whatever the size. On any failure the temporary blob is gone before the error propagates.
   */
  write(id: string, source: Readable, expectedBytes: number, onProgress?: (bytes: number) => void): Promise<void>;

  /** Makes a completed temporary blob readable as `id`. */
  commit(id: string): Promise<void>;

  /**
   * Starts reading a committed blob (the whole of it, or `range`), or null when there is none. Once this resolves
   * the stream keeps delivering the bytes even if the blob is removed a moment later (a burn-after-reading file
   * still streams to its last reader). Destroy the stream when it is not consumed.
   */
  read(id: string, range?: BlobRange): Promise<Readable | null>;

  /** Removes the blob and any temporary blob for `id`; missing ones are fine. */
  remove(id: string): Promise<void>;

  /** Removes only the temporary blob for `id`; a missing one is fine. */
  removeTemp(id: string): Promise<void>;

  /** Everything the store holds, for the orphan sweep. */
  list(): Promise<BlobListing>;

  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** Ids are checked against the id pattern before they become paths or keys, so nothing can escape the store. */
export function checkedId(id: string): string {
  if (!isId(id)) throw new Error(`not a blob id: ${JSON.stringify(id)}`);
  return id;
}

/**
 * Counts bytes on their way into the store: stops the stream the moment it passes the declared size, and fails
 * it at its end when it is short, so that a store that commits on the end of its input never sees a bad size.
 */
export class ByteCounter extends Transform {
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

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.limit) {
      done(new AppError('SIZE_MISMATCH', `The file part has ${this.bytes} bytes but ${this.limit} were declared`));
      return;
    }
    done();
  }
}
