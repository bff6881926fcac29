import type { Readable } from 'node:stream';
import type { DataStore } from '@tus/utils';
import { isId } from '../ids';

/**
 * Where resumable (tus) uploads in progress live: DATA_DIR/resumable beside the local blob folder
 * (LocalResumableUploadStore), or the bucket beside the S3 blob store (S3ResumableUploadStore), so that with S3
 * an upload's next request may reach any node. A tus DataStore, plus what the services need around it.
 */
export interface ResumableUploadStore extends DataStore {
  /** Prepares the store (creates its folder); throws when it is unusable. */
  init(): Promise<void>;

  /** Ids of the uploads with anything stored (bytes or description), for the sweeper. */
  ids(): Promise<string[]>;

  /** Removes what an upload left (its bytes in progress and its description); missing ones are fine. */
  discard(id: string): Promise<void>;

  /**
   * Hands a completed upload over to the blob store: makes its bytes the blob store's temporary blob for `id`
   * when that needs no byte to move through the node (a rename in DATA_DIR; in the bucket, the completed
   * multipart upload already is `tmp/<id>`) and resolves null; otherwise resolves the bytes, to be streamed into
   * the blob store.
   */
  takeCompleted(id: string): Promise<Readable | null>;

  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** Upload ids become file names and object keys: they are checked against the id pattern first. */
export function checkedUploadId(id: string): string {
  if (!isId(id)) throw new Error(`not an upload id: ${JSON.stringify(id)}`);
  return id;
}
