/**
 * Encrypting and uploading a file (POST /upload_file) with memory that stays flat for any size.
 *
 * Two transports, chosen per runtime (see {@link defaultUploadTransport}):
 *   - `stream` (Node, Deno, Bun): the plaintext is read, encrypted record by record and sent as it goes, in a
 *     multipart body with an exact Content-Length. The body is sent by a {@link TransferTransport}: the Node
 *     entry's sends it with node:http, whose backpressure reaches the source (about one record in memory at a time);
 *     the default is fetch with `duplex: 'half'`, which is correct everywhere but, in Node 20's fetch
 *     (undici 6), reads the body as fast as it can and buffers what the socket has not taken yet.
 *   - `blob` (browsers): browsers stream request bodies only over HTTP/2, so the encrypted body is first
 *     assembled as a Blob of 4 MiB Blobs (browsers keep large Blobs on disk, not in the page's memory) and
 *     then sent with XMLHttpRequest, which reports upload progress (fetch does not). Without XMLHttpRequest
 *     (e.g. a service worker) the Blob goes through fetch.
 * The multipart body comes from the generated client's request file (`encodeMultipart`, spec field order),
 * the request from the generated UploadFile operation (see operation-request.ts).
 */
import { createEncryptStream, encryptedSize } from '../crypto/file-cipher.js';
import { abortedError, throwIfAborted } from '../errors.js';
import type { UploadResponse } from '../generated/rest/models/UploadResponse.js';
import {
  apiErrorFromResponse,
  encodeMultipart,
  orderedFormFields,
  requestHeaders,
  requestUrl,
  sendRequest,
  type MultipartValue,
} from '../generated/rest/core/request.js';
import { PROTOCOL_VERSION } from '../protocol.js';
import { operationRequest } from '../rest/operation-request.js';
import { toSealroomError, type RestApi } from '../rest/rest-api.js';
import type { PlainSource } from './file-source.js';
import { relay } from './stream-relay.js';
import { progressCounter, type ProgressListener } from './transfer-progress.js';
import type { TransferTransport } from './transfer-transport.js';
import { sendWithXhr, xhrAvailable } from './xhr-upload.js';

export type UploadTransport = 'stream' | 'blob';

/** `stream` where request bodies can stream over HTTP/1.1 (Node and other server runtimes), `blob` in browsers. */
export function defaultUploadTransport(): UploadTransport {
  const runtime = globalThis as { process?: { versions?: { node?: string } } };
  return typeof runtime.process?.versions?.node === 'string' && !xhrAvailable() ? 'stream' : 'blob';
}

export interface EncryptedUpload {
  roomId: string;
  /** A room proof for `upload`. */
  proof: string;
  source: PlainSource;
  /** The 32-byte file key. */
  fileKey: Uint8Array;
  /** Delete the file after this many downloads (1-1000). */
  maxDownloads?: number;
  /** The file's download key `dk`, base64url: the server checks download proofs with it. */
  downloadKey: string;
  /** The sealed file info `{iv, ct}` as JSON text, if attached. */
  fileInfo?: string;
  /** Delete the file this many seconds after the upload (1 to the server's `file_age_ms` / 1000). */
  expiresIn?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  transport: UploadTransport;
  /** Sends `stream` transport bodies; fetch by default. */
  sender?: TransferTransport;
}

/** Encrypted bodies are assembled from Blobs of this size in the `blob` transport. */
const BLOB_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Encrypts `upload.source` and uploads it.
 * @throws SealroomServerError (the server's code), SealroomError (`NETWORK_ERROR`, `ABORTED`, `INVALID_SOURCE`)
 */
export async function uploadEncrypted(rest: RestApi, upload: EncryptedUpload): Promise<UploadResponse> {
  throwIfAborted(upload.signal);
  const size = encryptedSize(upload.source.size);
  // fetch reports a failing body only as "fetch failed" (sometimes with the cause flattened to a string),
  // so the body's own error is kept aside to be rethrown as it was.
  let bodyError: unknown;
  const file: MultipartValue =
    upload.transport === 'stream'
      ? {
          stream: relay(
            upload.source
              .stream()
              .pipeThrough(progressCounter('uploading', upload.source.size, upload.onProgress))
              .pipeThrough(createEncryptStream(upload.fileKey)),
            { error: (error) => (bodyError ??= error) },
          ),
          size,
        }
      : await encryptToBlob(upload);
  // The generated operation gives method, path and field names; its file field is typed as a Blob, and
  // the request file's encoder also takes the stream part used by the `stream` transport.
  const options = operationRequest(rest.config, (api) =>
    api.files.uploadFile({
      formData: {
        protocol: PROTOCOL_VERSION,
        room_id: upload.roomId,
        proof: upload.proof,
        size: String(size),
        download_key: upload.downloadKey,
        ...(upload.fileInfo !== undefined ? { file_info: upload.fileInfo } : {}),
        file: new Blob([]),
        ...(upload.maxDownloads !== undefined ? { max_downloads: String(upload.maxDownloads) } : {}),
        ...(upload.expiresIn !== undefined ? { expires_in: String(upload.expiresIn) } : {}),
      },
    }),
  );
  const withFile = { ...options, formData: { ...options.formData, file } };
  const url = requestUrl(rest.config, withFile);
  const body = encodeMultipart(orderedFormFields(withFile));
  let response: Response;
  try {
    if (body.body instanceof Blob && xhrAvailable()) {
      const headers = await requestHeaders(rest.config, withFile);
      headers.set('Content-Type', body.contentType);
      response = await sendWithXhr(url, {
        method: withFile.method,
        headers,
        body: body.body,
        withCredentials: rest.config.WITH_CREDENTIALS,
        signal: upload.signal,
        onUploadProgress: (sent, total) =>
          upload.onProgress?.({
            phase: 'uploading',
            loaded: Math.floor((sent / Math.max(total, 1)) * upload.source.size),
            total: upload.source.size,
          }),
      });
    } else if (body.body instanceof ReadableStream && upload.sender) {
      const headers = await requestHeaders(rest.config, withFile);
      headers.set('Content-Type', body.contentType);
      response = await upload.sender.sendStream({
        url,
        method: withFile.method,
        headers,
        body: body.body,
        length: body.length,
        ...(upload.signal ? { signal: upload.signal } : {}),
      });
    } else {
      response = await sendRequest(rest.config, withFile, url, body, upload.signal ?? new AbortController().signal, rest.fetchFunction);
    }
    if (!response.ok) throw await apiErrorFromResponse(withFile, url, response);
    return (await response.json()) as UploadResponse;
  } catch (error) {
    throw toSealroomError(upload.signal?.aborted || bodyError === undefined ? error : bodyError, upload.signal);
  }
}

/** Encrypts the whole source into a Blob made of {@link BLOB_BATCH_BYTES} Blobs. */
async function encryptToBlob(upload: EncryptedUpload): Promise<Blob> {
  const reader = upload.source
    .stream()
    .pipeThrough(progressCounter('encrypting', upload.source.size, upload.onProgress))
    .pipeThrough(createEncryptStream(upload.fileKey))
    .getReader();
  const blobs: Blob[] = [];
  let batch: Uint8Array<ArrayBuffer>[] = [];
  let batchBytes = 0;
  try {
    for (;;) {
      if (upload.signal?.aborted) {
        await reader.cancel(upload.signal.reason);
        throw abortedError(upload.signal);
      }
      const { done, value } = await reader.read();
      if (done) break;
      batch.push(value as Uint8Array<ArrayBuffer>);
      batchBytes += value.byteLength;
      if (batchBytes >= BLOB_BATCH_BYTES) {
        blobs.push(new Blob(batch));
        batch = [];
        batchBytes = 0;
      }
    }
  } catch (error) {
    throw toSealroomError(error, upload.signal);
  }
  blobs.push(new Blob(batch));
  return new Blob(blobs, { type: 'application/octet-stream' });
}
