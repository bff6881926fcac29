/**
 * Resumable uploads (tus 1.0, `POST /uploads`, PROTOCOL.md 7.4.1) with tus-js-client, in Node and browsers.
 *
 * The ciphertext is never kept: tus-js-client asks for the bytes from an offset (`slice(start, end)`), and
 * {@link encryptedRange} makes them again from the plaintext. A record's nonce depends only on the file key and
 * the record's index, so encrypting from the record that holds `start` (with {@link createEncryptStream}'s
 * `firstRecord`) gives exactly the bytes the first attempt sent; memory stays at a few records. What makes this
 * possible across runs is the resume state ({@link ResumeStore}): the upload URL and the file key, kept on this
 * device only (never sent anywhere but as the link the user shares).
 */
import { Upload, type DetailedError, type HttpResponse } from 'tus-js-client';
import { createEncryptStream, encryptedSize, RECORD_CIPHERTEXT_BYTES, RECORD_PLAINTEXT_BYTES } from '../crypto/file-cipher.js';
import type { RecordAeadFactory } from '../crypto/record-aead.js';
import { abortedError, SealroomError, SealroomServerError, throwIfAborted, type ServerErrorCode } from '../errors.js';
import type { UploadResponse } from '../generated/rest/models/UploadResponse.js';
import { PROTOCOL_VERSION } from '../protocol.js';
import type { PlainSource } from './file-source.js';
import type { ProgressListener } from './transfer-progress.js';

/** What a device remembers about an upload it may resume: kept client-side only (the file key is secret). */
export interface ResumeRecord {
  /** The upload's URL on the server (`…/uploads/<id>`). */
  uploadUrl: string;
  /** The file key, base64url: the resumed ciphertext must be the same. */
  fileKey: string;
  /** Plaintext size, to tell a changed file from the same one. */
  size: number;
  /** When the upload was created (ms since the epoch). */
  createdAt: number;
}

/** Where resume records live: localStorage in browsers, a JSON file in Node (see the Node entry). */
export interface ResumeStore {
  get(key: string): Promise<ResumeRecord | undefined>;
  set(key: string, record: ResumeRecord): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * The part of the Web Storage API the store uses. Named here rather than as the DOM's `Storage`, so that the
 * SDK's types also compile in projects without the DOM library (Node programs).
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A {@link ResumeStore} in the browser's localStorage (per origin), under `sealroom.resume.<key>`. */
export class LocalStorageResumeStore implements ResumeStore {
  constructor(
    private readonly storage: KeyValueStorage = (globalThis as { localStorage?: KeyValueStorage }).localStorage as KeyValueStorage,
  ) {}
  async get(key: string): Promise<ResumeRecord | undefined> {
    const text = this.storage.getItem(`sealroom.resume.${key}`);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as ResumeRecord;
    } catch {
      return undefined;
    }
  }
  async set(key: string, record: ResumeRecord): Promise<void> {
    this.storage.setItem(`sealroom.resume.${key}`, JSON.stringify(record));
  }
  async remove(key: string): Promise<void> {
    this.storage.removeItem(`sealroom.resume.${key}`);
  }
}

/** A {@link ResumeStore} in memory: resumes within one run (after network cuts), not across runs. */
export class MemoryResumeStore implements ResumeStore {
  private readonly records = new Map<string, ResumeRecord>();
  async get(key: string) {
    return this.records.get(key);
  }
  async set(key: string, record: ResumeRecord) {
    this.records.set(key, record);
  }
  async remove(key: string) {
    this.records.delete(key);
  }
}

/** Resumable uploads, as the client is configured for them. */
export interface ResumableUploadOptions {
  /** Where resume state is kept; localStorage in browsers by default, a JSON file for the Node entry's CLI. */
  store: ResumeStore;
  /** Bytes per PATCH request; the whole rest of the file by default. */
  chunkSize?: number;
  /** Delays (ms) of tus-js-client's automatic retries after a failed request; `[0, 1000, 3000, 5000]` by default. */
  retryDelays?: number[];
}

/**
 * Turns a range of ciphertext into what the HTTP stack sends: a Node Readable in Node (the Node entry), a Blob
 * in browsers (XMLHttpRequest streams nothing else).
 */
export type RangeBody = (range: ReadableStream<Uint8Array>, length: number) => Promise<unknown>;

/** The default {@link RangeBody}: a Blob made of 4 MiB Blobs (browsers keep large Blobs on disk). */
export const blobRangeBody: RangeBody = async (range) => {
  const reader = range.getReader();
  const blobs: Blob[] = [];
  let batch: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    batch.push(value as Uint8Array<ArrayBuffer>);
    bytes += value.byteLength;
    if (bytes >= 4 * 1024 * 1024) {
      blobs.push(new Blob(batch));
      batch = [];
      bytes = 0;
    }
  }
  blobs.push(new Blob(batch));
  return new Blob(blobs, { type: 'application/offset+octet-stream' });
};

/**
 * The ciphertext bytes `[start, end)` of `source` encrypted under `fileKey`, made from the plaintext: the records
 * that cover the range are encrypted again and the bytes before `start` dropped. Streamed.
 * @throws SealroomError `INVALID_SOURCE` when the source cannot be read from an offset
 */
export function encryptedRange(
  source: PlainSource,
  fileKey: Uint8Array,
  start: number,
  end: number,
  aead?: RecordAeadFactory,
): ReadableStream<Uint8Array> {
  if (!source.streamFrom) throw new SealroomError('INVALID_SOURCE', 'this source cannot be read from an offset, so it cannot resume');
  const firstRecord = Math.floor(start / RECORD_CIPHERTEXT_BYTES);
  let skip = start - firstRecord * RECORD_CIPHERTEXT_BYTES;
  let left = end - start;
  const records = source
    .streamFrom(firstRecord * RECORD_PLAINTEXT_BYTES)
    .pipeThrough(createEncryptStream(fileKey, { firstRecord, ...(aead ? { aead } : {}) }))
    .getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (left > 0) {
          const { done, value } = await records.read();
          if (done) break;
          let chunk = value;
          if (skip > 0) {
            const dropped = Math.min(skip, chunk.byteLength);
            chunk = chunk.subarray(dropped);
            skip -= dropped;
          }
          if (chunk.byteLength === 0) continue;
          if (chunk.byteLength > left) chunk = chunk.subarray(0, left);
          left -= chunk.byteLength;
          controller.enqueue(chunk);
          // Enough: stop encrypting the rest (the encrypter may be flushing its last record; that is fine).
          if (left === 0) await records.cancel().catch(() => undefined);
          return;
        }
        controller.close();
      },
      async cancel(reason) {
        await records.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

export interface ResumableUpload {
  /** The server's base URL (`/uploads` is appended). */
  baseUrl: string;
  roomId: string;
  /** A fresh room proof for `upload`, made for each creation attempt. */
  proof: () => Promise<string>;
  source: PlainSource;
  fileKey: Uint8Array;
  downloadKey: string;
  fileInfo?: string;
  maxDownloads?: number;
  expiresIn?: number;
  /** An upload to resume (from the resume store); a new one is created when it is gone. */
  uploadUrl?: string;
  /** Called once the server named the upload: the time to save resume state. */
  onUploadUrl?: (url: string) => void | Promise<void>;
  /** Called when an earlier upload is resumed, with the bytes the server already holds. */
  onResumed?: (offset: number, total: number) => void;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  options: ResumableUploadOptions;
  body: RangeBody;
  aead?: RecordAeadFactory;
}

/**
 * Uploads `upload.source` encrypted, over tus; resumes `upload.uploadUrl` when given (and still on the server).
 * @throws SealroomServerError (the server's code), SealroomError (`NETWORK_ERROR`, `ABORTED`)
 */
export async function uploadResumable(upload: ResumableUpload): Promise<UploadResponse> {
  throwIfAborted(upload.signal);
  const total = encryptedSize(upload.source.size);
  const metadata: Record<string, string> = {
    protocol: PROTOCOL_VERSION,
    room_id: upload.roomId,
    proof: await upload.proof(),
    download_key: upload.downloadKey,
    ...(upload.fileInfo !== undefined ? { file_info: upload.fileInfo } : {}),
    ...(upload.maxDownloads !== undefined ? { max_downloads: String(upload.maxDownloads) } : {}),
    ...(upload.expiresIn !== undefined ? { expires_in: String(upload.expiresIn) } : {}),
  };
  const plainTotal = upload.source.size;
  const toPlain = (cipherBytes: number) => Math.min(plainTotal, Math.floor((cipherBytes / Math.max(total, 1)) * plainTotal));
  return new Promise<UploadResponse>((resolve, reject) => {
    let resumedReported = false;
    const tus = new Upload(
      {} as Blob, // the reader below ignores it: the bytes come from the plaintext source
      {
        endpoint: `${upload.baseUrl.replace(/\/$/, '')}/uploads`,
        ...(upload.uploadUrl ? { uploadUrl: upload.uploadUrl } : {}),
        uploadSize: total,
        metadata,
        chunkSize: upload.options.chunkSize ?? Number.POSITIVE_INFINITY,
        retryDelays: upload.options.retryDelays ?? [0, 1000, 3000, 5000],
        storeFingerprintForResuming: false,
        removeFingerprintOnSuccess: false,
        fileReader: {
          openFile: async () => ({
            size: total,
            slice: async (start: number, end: number) => {
              const stop = Math.min(end, total);
              if (start > 0 && !resumedReported) {
                resumedReported = true;
                upload.onResumed?.(toPlain(start), plainTotal);
              }
              const range = encryptedRange(upload.source, upload.fileKey, start, stop, upload.aead);
              const value = await upload.body(range, stop - start);
              return { value, done: stop >= total };
            },
            close: () => undefined,
          }),
        },
        onUploadUrlAvailable: () => {
          if (tus.url) void Promise.resolve(upload.onUploadUrl?.(tus.url)).catch(() => undefined);
        },
        onProgress: (sent) => upload.onProgress?.({ phase: 'uploading', loaded: toPlain(sent), total: plainTotal }),
        onShouldRetry: (error) => {
          // The server's refusals (proof, quota, size) do not get better by retrying; cuts and 409/423 do.
          const status = error.originalResponse?.getStatus() ?? 0;
          return status === 0 || status === 409 || status === 423 || status >= 500;
        },
        onSuccess: ({ lastResponse }) => {
          try {
            resolve(uploadAnswer(lastResponse, tus.url));
          } catch (error) {
            reject(error);
          }
        },
        onError: (error) => reject(toUploadError(error as DetailedError, upload.signal)),
      },
    );
    upload.signal?.addEventListener(
      'abort',
      () => {
        void tus.abort(false);
        reject(abortedError(upload.signal!));
      },
      { once: true },
    );
    tus.start();
  });
}

/** The completing response's body: the same as POST /upload_file's. */
function uploadAnswer(response: HttpResponse, url: string | null): UploadResponse {
  const body = response.getBody();
  try {
    const parsed = JSON.parse(body) as UploadResponse;
    if (typeof parsed.file_id === 'string') return parsed;
  } catch {
    // fall through
  }
  throw new SealroomServerError('UNEXPECTED_RESPONSE', `the upload ${url ?? ''} completed without the file's description`);
}

function toUploadError(error: DetailedError, signal?: AbortSignal): SealroomError {
  if (signal?.aborted) return abortedError(signal);
  const response = error.originalResponse;
  if (response) {
    try {
      const body = JSON.parse(response.getBody()) as { error?: { code?: string; message?: string } };
      if (body.error?.code) {
        return new SealroomServerError(body.error.code as ServerErrorCode, body.error.message ?? body.error.code, {
          status: response.getStatus(),
          cause: error,
        });
      }
    } catch {
      // not JSON: fall through
    }
    return new SealroomServerError('UNEXPECTED_RESPONSE', `the server answered ${response.getStatus()}`, {
      status: response.getStatus(),
      cause: error,
    });
  }
  return new SealroomError('NETWORK_ERROR', `the upload was cut off: ${error.message}`, { cause: error });
}
