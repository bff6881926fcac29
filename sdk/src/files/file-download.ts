/**
 * Downloading and decrypting a file (GET /get_file) as a stream: the response body flows through the
 * decrypting TransformStream, so memory stays at about one 64 KiB record whatever the size.
 *
 * A download starts with a fresh download proof (`X-Download-Proof`, made with the file's `dk`): the server
 * counts it as one download and answers with a download token (`X-Download-Token`). If the connection breaks
 * mid-body, the SDK continues where it stopped with the token and a Range request, which the server does not
 * count again, so one completed transfer costs exactly one download.
 */
import { createDecryptStream, deriveFileAccessKeys, plainSizeFromEncrypted } from '../crypto/file-cipher.js';
import { makeDownloadProof } from '../crypto/proof.js';
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
  const decrypt = createDecryptStream(request.fileKey); // checks the key before any request
  const access = await deriveFileAccessKeys(request.fileKey);
  const proof = await makeDownloadProof(access.dk, request.fileId);
  const response = await getFile(rest, request, { xDownloadProof: proof });
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
  const token = response.headers.get('x-download-token');
  const body = token === null ? (response.body as ReadableStream<Uint8Array>) : resumableBody(rest, request, response, token, length);
  const plaintext = body.pipeThrough(decrypt);
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

/** How many times a broken download continues with its token before giving up. */
const CONTINUATION_ATTEMPTS = 3;

/** GET /get_file with a download proof, or a token and a range; throws the server's error for a non-2xx answer. */
async function getFile(
  rest: RestApi,
  request: DecryptedDownloadRequest,
  access: { xDownloadProof: string } | { xDownloadToken: string; range: string },
): Promise<Response> {
  const options = operationRequest(rest.config, (api) => api.files.getFile({ filename: request.fileId, ...access }));
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
  return response;
}

/**
 * The response body, continued after a broken connection: the rest is asked for with the download token and
 * `Range: bytes=<received>-` (not counted again by the server). Gives up after {@link CONTINUATION_ATTEMPTS}.
 */
function resumableBody(
  rest: RestApi,
  request: DecryptedDownloadRequest,
  first: Response,
  token: string,
  length: number,
): ReadableStream<Uint8Array> {
  let reader = (first.body as ReadableStream<Uint8Array>).getReader();
  let received = 0;
  let attempts = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          received += value.byteLength;
          controller.enqueue(value);
          return;
        } catch (error) {
          if (request.signal?.aborted || received >= length || ++attempts > CONTINUATION_ATTEMPTS) throw error;
          const next = await getFile(rest, request, { xDownloadToken: token, range: `bytes=${received}-` });
          const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(next.headers.get('content-range') ?? '');
          if (next.status !== 206 || next.body === null || range === null || Number(range[1]) !== received || Number(range[3]) !== length) {
            await next.body?.cancel();
            throw new SealroomError('UNEXPECTED_RESPONSE', 'the server did not continue the download where it broke off');
          }
          reader = next.body.getReader();
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
