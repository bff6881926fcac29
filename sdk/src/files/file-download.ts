/**
 * Downloading and decrypting a file (GET /get_file) as a stream: the response body flows through the
 * decrypting TransformStream, so memory stays at about one 64 KiB record whatever the size.
 */
import { createDecryptStream, plainSizeFromEncrypted } from '../crypto/file-cipher.js';
import type { RecordAeadFactory } from '../crypto/record-aead.js';
import { SealroomError, isSealroomError, throwIfAborted } from '../errors.js';
import { apiErrorFromResponse, requestHeaders, requestUrl, sendRequest } from '../generated/rest/core/request.js';
import { operationRequest } from '../rest/operation-request.js';
import { toSealroomError, type RestApi } from '../rest/rest-api.js';
import { relay } from './stream-relay.js';
import type { ProgressListener } from './transfer-progress.js';
import type { TransferTransport } from './transfer-transport.js';

export interface DecryptedDownloadRequest {
  fileId: string;
  /** The 32-byte file key. */
  fileKey: Uint8Array;
  /** The ciphertext size the file should have (from its `file:new` announcement), checked when known. */
  expectedEncryptedSize?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** How the request is sent; fetch by default. */
  sender?: TransferTransport;
  /** Decrypts the records; WebCrypto by default. */
  aead?: RecordAeadFactory;
}

/** A file being downloaded: its plaintext as a stream, and what the server said about it. */
export interface FileDownload {
  /**
   * The plaintext. Each chunk is released only after its record authenticated, but the end of the file is
   * checked last: treat the data as complete only when the stream closes without error. Errors are
   * SealroomErrors (`DECRYPT_FAILED`, `TRUNCATED`, `NETWORK_ERROR`, `ABORTED`).
   */
  stream: ReadableStream<Uint8Array>;
  /** Plaintext size in bytes. */
  size: number;
  /** Ciphertext size in bytes, as stored. */
  encryptedSize: number;
  /** When the server deletes the file (Unix milliseconds), if it said. */
  expiresAt?: number;
}

/**
 * Starts downloading a file and returns once the server answered; the body is then read as the stream is.
 * @throws SealroomServerError (e.g. `FILE_NOT_FOUND`), SealroomError (`NETWORK_ERROR`, `ABORTED`,
 *   `UNEXPECTED_RESPONSE`), SealroomCryptoError `INVALID_SIZE`
 */
export async function downloadDecrypted(rest: RestApi, request: DecryptedDownloadRequest): Promise<FileDownload> {
  throwIfAborted(request.signal);
  const decrypt = createDecryptStream(request.fileKey, request.aead ? { aead: request.aead } : {}); // checks the key before any request
  const options = operationRequest(rest.config, (api) => api.files.getFile({ filename: request.fileId }));
  const url = requestUrl(rest.config, options);
  let response: Response;
  try {
    if (request.sender) {
      const headers = await requestHeaders(rest.config, options);
      response = await request.sender.fetchStream({
        url,
        method: options.method,
        headers,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } else {
      response = await sendRequest(rest.config, options, url, {}, request.signal ?? new AbortController().signal, rest.fetchFunction);
    }
    if (!response.ok) throw await apiErrorFromResponse(options, url, response);
  } catch (error) {
    throw toSealroomError(error, request.signal);
  }
  const length = Number(response.headers.get('content-length'));
  if (response.body === null || response.status !== 200 || !Number.isSafeInteger(length)) {
    await response.body?.cancel();
    throw new SealroomError('UNEXPECTED_RESPONSE', `the server answered ${response.status} without a sized body`);
  }
  if (request.expectedEncryptedSize !== undefined && length !== request.expectedEncryptedSize) {
    await response.body.cancel();
    throw new SealroomError('UNEXPECTED_RESPONSE', `the file has ${length} bytes, but ${request.expectedEncryptedSize} were announced`);
  }
  let size: number;
  try {
    size = plainSizeFromEncrypted(length);
  } catch (error) {
    await response.body.cancel();
    throw error;
  }
  const expiresAt = Number(response.headers.get('x-sealroom-expires-at'));
  const plaintext = (response.body as ReadableStream<Uint8Array>).pipeThrough(decrypt);
  let loaded = 0;
  return {
    stream: relay(plaintext, {
      chunk: (value) => {
        loaded += value.byteLength;
        request.onProgress?.({ phase: 'downloading', loaded, total: size });
      },
      error: (error) => (isSealroomError(error) ? error : toSealroomError(error, request.signal)),
    }),
    size,
    encryptedSize: length,
    ...(Number.isSafeInteger(expiresAt) && expiresAt > 0 ? { expiresAt } : {}),
  };
}
