/**
 * Sending a Blob body with XMLHttpRequest, for browsers: unlike fetch it reports upload progress. The
 * answer is turned into a fetch Response so the rest of the SDK handles both transports alike.
 */
import { abortedError } from '../errors.js';

/** True where XMLHttpRequest exists (browsers, not Node). */
export function xhrAvailable(): boolean {
  return typeof XMLHttpRequest === 'function';
}

export interface XhrRequest {
  method: string;
  headers: Headers;
  body: Blob;
  withCredentials: boolean;
  signal?: AbortSignal;
  onUploadProgress?: (sent: number, total: number) => void;
}

function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * Sends the request; resolves with the response (any status), rejects with a TypeError on a network
 * failure (as fetch does) or ABORTED when the signal fires.
 */
export function sendWithXhr(url: string, request: XhrRequest): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (request.signal?.aborted) {
      reject(abortedError(request.signal));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, url);
    xhr.responseType = 'blob';
    xhr.withCredentials = request.withCredentials;
    request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
    const onAbort = () => xhr.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => request.signal?.removeEventListener('abort', onAbort);
    xhr.upload.onprogress = (event) => request.onUploadProgress?.(event.loaded, event.lengthComputable ? event.total : request.body.size);
    xhr.onload = () => {
      done();
      const headers = parseHeaders(xhr.getAllResponseHeaders());
      resolve(new Response(xhr.response as Blob, { status: xhr.status, statusText: xhr.statusText, headers }));
    };
    xhr.onerror = () => {
      done();
      reject(new TypeError('network error while uploading'));
    };
    xhr.onabort = () => {
      done();
      reject(abortedError(request.signal));
    };
    xhr.send(request.body);
  });
}
