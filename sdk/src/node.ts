/**
 * @sealroom/sdk/node: everything in the main entry, with a SealroomClient that also takes Node Readables
 * (e.g. `fs.createReadStream(path)`) as file sources and can save downloads to a path. Node >= 20 only.
 */
import { SealroomClient as WebSealroomClient, type DownloadOptions, type DownloadTarget } from './client.js';
import type { PlainSource, SourceHints } from './files/file-source.js';
import type { TransferTransport } from './files/transfer-transport.js';
import { nodeFileSource, type NodeFileSource } from './node/node-file-source.js';
import { nodeHttpTransport } from './node/node-http-transport.js';
import { nodeRecordAead } from './node/node-record-aead.js';
import type { RecordAeadFactory } from './crypto/record-aead.js';
import { saveStream } from './node/save-file.js';
import type { RangeBody } from './files/resumable-upload.js';
import { readableRangeBody } from './node/file-resume-store.js';

export * from './index.js';
export { nodeFileSource, readableToWebStream, type NodeFileSource } from './node/node-file-source.js';
export { saveStream } from './node/save-file.js';
export { nodeRecordAead } from './node/node-record-aead.js';
export { FileIdentityStore } from './node/file-identity-store.js';
export { FileResumeStore } from './node/file-resume-store.js';
export { fetchStreamWithNodeHttp, nodeHttpTransport, sendStreamWithNodeHttp } from './node/node-http-transport.js';
export type { BodilessRequest, StreamRequest, TransferTransport } from './files/transfer-transport.js';

/** What `saveFile` wrote. */
export interface SavedFile {
  path: string;
  /** Plaintext bytes written. */
  size: number;
  /** The file's name and type, when it came from a room announcement. */
  name?: string;
  type?: string;
}

/**
 * The SealroomClient of the Node entry: Node Readables as sources, saving downloads to a path, and file
 * transfers over node:http (flat memory on uploads, where Node 20's fetch buffers streamed request bodies;
 * less CPU on downloads), with file records encrypted and decrypted by node:crypto.
 */
export class SealroomClient extends WebSealroomClient<NodeFileSource> {
  protected override transferTransport(): TransferTransport | undefined {
    return this.options.fetch ? undefined : nodeHttpTransport; // a caller's own fetch is used for everything
  }

  protected override rangeBody(): RangeBody {
    return readableRangeBody;
  }

  protected override recordAead(): RecordAeadFactory {
    return nodeRecordAead;
  }

  protected override toPlainSource(source: NodeFileSource, hints: SourceHints): Promise<PlainSource> {
    return nodeFileSource(source, hints);
  }

  /**
   * Downloads, decrypts and writes a file to `path` (through a temporary file, renamed once the whole file
   * decrypted and authenticated).
   * @throws as downloadFile, and SealroomError `FILE_SYSTEM_ERROR`
   */
  async saveFile(target: DownloadTarget, path: string, options: DownloadOptions = {}): Promise<SavedFile> {
    const download = await this.downloadFile(target, options);
    await saveStream(download.stream, path);
    return {
      path,
      size: download.size,
      ...(download.name !== undefined ? { name: download.name } : {}),
      ...(download.type !== undefined ? { type: download.type } : {}),
    };
  }
}
