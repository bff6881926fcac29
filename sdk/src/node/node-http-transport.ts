/**
 * File transfers over node:http(s) (Node entry only).
 *   - Uploads: Node 20's fetch reads a streamed request body as fast as it can and buffers whatever the
 *     socket has not taken (a 1 GiB upload peaks near 1 GB of memory); here each chunk is written only once
 *     the socket has drained, so memory stays at a few records. If the server answers before the body is
 *     complete (a refusal), writing stops and the answer is returned.
 *   - Downloads: the response body is read as a stream, reading up to 4 MiB ahead of the decryption, with
 *     less than half the CPU (client and server together) of Node 20's fetch, which leaves more for decryption.
 */
import http from 'node:http';
import https from 'node:https';
import { abortedError } from '../errors.js';
import type { BodilessRequest, StreamRequest, TransferTransport } from '../files/transfer-transport.js';

/** How far a download may read ahead of its consumer: enough to keep the connection busy while records decrypt. */
const DOWNLOAD_READ_AHEAD_BYTES = 4 * 1024 * 1024;
/**
 * Socket reads are at most 64 KiB; the body is handed on in pieces of about 1 MiB instead, so that each Web
 * stream stage after it (decryption, continuation, progress) takes 16 times fewer turns, at the cost of one copy.
 */
const DOWNLOAD_PIECE_BYTES = 1024 * 1024;

/**
 * A response body as a Web stream that reads ahead up to {@link DOWNLOAD_READ_AHEAD_BYTES}, pausing the
 * socket beyond that: fewer pause/resume cycles than reading on demand, for both client and server.
 */
function responseBody(res: http.IncomingMessage, mapError: (error: Error) => unknown): ReadableStream<Uint8Array> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const handOn = () => {
          controller.enqueue(held.length === 1 ? held[0] : Buffer.concat(held, heldBytes));
          held = [];
          heldBytes = 0;
        };
        res.on('data', (chunk: Buffer) => {
          held.push(chunk);
          heldBytes += chunk.length;
          if (heldBytes < DOWNLOAD_PIECE_BYTES) return;
          handOn();
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        });
        res.on('end', () => {
          if (heldBytes > 0) handOn();
          controller.close();
        });
        res.on('error', (error) => controller.error(mapError(error)));
        res.on('aborted', () => controller.error(mapError(new Error('the connection closed before the end of the body'))));
      },
      pull() {
        res.resume();
      },
      cancel() {
        res.destroy();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: DOWNLOAD_READ_AHEAD_BYTES }),
  );
}

/** Resolves when the request can take more (or has closed). */
function drained(req: http.ClientRequest): Promise<void> {
  return new Promise<void>((resume) => {
    const done = () => {
      req.off('drain', done).off('close', done);
      resume();
    };
    req.on('drain', done).on('close', done);
  });
}

function responseHeaders(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  return headers;
}

function outgoingHeaders(headers: Headers, extra: http.OutgoingHttpHeaders = {}): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...extra };
  headers.forEach((value, name) => (out[name] = value));
  return out;
}

function clientFor(url: URL): typeof http | typeof https {
  return url.protocol === 'https:' ? https : http;
}

const networkError = (error: Error) => new TypeError(`request failed: ${error.message}`, { cause: error });

/** Sends a streamed body with node:http, honouring the socket's backpressure. */
export function sendStreamWithNodeHttp(request: StreamRequest): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (request.signal?.aborted) return reject(abortedError(request.signal));
    const url = new URL(request.url);
    const reader = request.body.getReader();
    let settled = false;
    let answered = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      request.signal?.removeEventListener('abort', onAbort);
      action();
    };
    const fail = (error: unknown) =>
      settle(() => {
        req.destroy();
        void reader.cancel(error).catch(() => undefined);
        reject(error);
      });
    const onAbort = () => fail(abortedError(request.signal));

    const headers = outgoingHeaders(request.headers, { 'content-length': String(request.length) });
    const req = clientFor(url).request(url, { method: request.method, headers }, (res) => {
      answered = true;
      void reader.cancel().catch(() => undefined); // a refusal before the end: stop reading the source
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () =>
        settle(() =>
          resolve(
            new Response(Buffer.concat(chunks), {
              status: res.statusCode ?? 500,
              statusText: res.statusMessage ?? '',
              headers: responseHeaders(res),
            }),
          ),
        ),
      );
    });
    req.on('error', (error) => {
      if (!answered) fail(networkError(error));
    });
    request.signal?.addEventListener('abort', onAbort, { once: true });

    (async () => {
      let corked = false;
      for (;;) {
        const { done, value } = await reader.read();
        if (done || answered || settled) break;
        // Records that are ready in the same turn go out in one writev call rather than one write each.
        if (!corked) {
          corked = true;
          req.cork();
          process.nextTick(() => {
            corked = false;
            req.uncork();
          });
        }
        if (!req.write(value)) await drained(req);
      }
      if (!settled) req.end();
    })().catch((error: unknown) => {
      if (!answered) fail(error); // the body failed: its own error (e.g. INVALID_SOURCE), not a network error
    });
  });
}

/** Sends a request without a body; resolves with the response as soon as its headers arrive. */
export function fetchStreamWithNodeHttp(request: BodilessRequest): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (request.signal?.aborted) return reject(abortedError(request.signal));
    const url = new URL(request.url);
    const req = clientFor(url).request(url, { method: request.method, headers: outgoingHeaders(request.headers) }, (res) => {
      const status = res.statusCode ?? 500;
      const empty = request.method === 'HEAD' || status === 204 || status === 304;
      if (empty) res.resume();
      const body = empty
        ? null
        : responseBody(res, (error) => (request.signal?.aborted ? abortedError(request.signal) : networkError(error)));
      resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res) }));
    });
    const onAbort = () => req.destroy(abortedError(request.signal));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => request.signal?.removeEventListener('abort', onAbort));
    req.on('error', (error) => reject(request.signal?.aborted ? abortedError(request.signal) : networkError(error)));
    req.end();
  });
}

/** The Node entry's transfers: node:http for uploads and downloads. */
export const nodeHttpTransport: TransferTransport = { sendStream: sendStreamWithNodeHttp, fetchStream: fetchStreamWithNodeHttp };
