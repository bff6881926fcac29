/**
 * How file transfers reach the server. By default the SDK uses fetch (and XMLHttpRequest for browser
 * uploads); the Node entry plugs in node:http, which keeps memory flat on uploads and costs less CPU on
 * downloads than Node 20's fetch.
 */

/** A request with a streamed body of known length. */
export interface StreamRequest {
  url: string;
  method: string;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
  /** Exact body length in bytes (sent as Content-Length). */
  length: number;
  signal?: AbortSignal;
}

/** A request without a body. */
export interface BodilessRequest {
  url: string;
  method: string;
  headers: Headers;
  signal?: AbortSignal;
}

export interface TransferTransport {
  /**
   * Sends a streamed body; resolves with the response (any status). Rejects with what the body stream failed
   * with, a TypeError for a network failure (as fetch does), or the SDK's ABORTED error.
   */
  sendStream(request: StreamRequest): Promise<Response>;
  /** Sends a request; resolves once the response headers arrived, with its body as a stream. Rejects as sendStream. */
  fetchStream(request: BodilessRequest): Promise<Response>;
}
