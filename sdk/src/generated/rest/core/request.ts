// DO NOT EDIT. Copied from sdk/codegen/request.ts by npm run generate:sdk: edit that file instead.
/**
 * The request function of the REST client that openapi-typescript-codegen generates from spec/openapi.json
 * (its `--request` option; `npm run generate:sdk` copies this file to sdk/src/generated/rest/core/request.ts).
 *
 * Why not the stock fetch client: it reads binary responses as text (which mangles bytes that are not UTF-8),
 * and it builds FormData in whatever order the caller's object lists its keys, while the server needs
 * `room_id`, `proof` and `size` before `file` (it checks the proof and reserves quota before it reads the
 * file). This one:
 *   - encodes multipart bodies itself, in the spec's field order, as a Blob of parts (Blob parts are never
 *     copied: browsers and Node read them lazily, from disk when the Blob is a file), or as a stream with an
 *     exact Content-Length when a part is a stream (see `encodeMultipart`);
 *   - returns binary responses as a Blob, byte for byte;
 *   - turns every error response into a `SealroomApiError` (an `ApiError`) carrying the server's
 *     `{error: {code, message, details?}}`.
 * It runs unchanged in Node >= 20 and in browsers: fetch, Blob, ReadableStream and crypto are globals in both.
 * The helpers are exported so the SDK's streaming upload and download share this client's URL building,
 * headers and error mapping.
 */
import { ApiError } from './ApiError.js';
import type { ApiRequestOptions } from './ApiRequestOptions.js';
import type { ApiResult } from './ApiResult.js';
import { CancelablePromise } from './CancelablePromise.js';
import type { OnCancel } from './CancelablePromise.js';
import { MULTIPART_FIELD_ORDER } from './MultipartFieldOrder.js';
import type { OpenAPIConfig } from './OpenAPI.js';
import type { ErrorCode } from '../models/ErrorCode.js';
import type { FieldError } from '../models/FieldError.js';

/** The fetch function requests go through (the global one unless a client supplies its own). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** RequestInit with `duplex`, which fetch needs for a streamed body (not yet in TypeScript's DOM types). */
type StreamingRequestInit = RequestInit & { duplex?: 'half' };

// ---- errors ------------------------------------------------------------------------------------------

/** The code of an error response that is not the server's `{error: {code, message}}` shape (e.g. from a proxy). */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

/** An error response from the server, with its stable error code. */
export class SealroomApiError extends ApiError {
  /** The server's error code, or `UNEXPECTED_RESPONSE` when the body was not the server's error shape. */
  public readonly code: ErrorCode | typeof UNEXPECTED_RESPONSE;
  /** For `VALIDATION_FAILED`: which fields were wrong. */
  public readonly details?: FieldError[];
  /** Seconds after which a retry may succeed (the Retry-After header of a 429), when the server said. */
  public readonly retryAfterSeconds?: number;

  constructor(request: ApiRequestOptions, response: ApiResult, retryAfter: string | null) {
    const error = serverError(response.body);
    super(request, response, error ? error.message : `HTTP ${response.status} ${response.statusText}`.trim());
    this.name = 'SealroomApiError';
    this.code = error ? error.code : UNEXPECTED_RESPONSE;
    if (error?.details) this.details = error.details;
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) this.retryAfterSeconds = seconds;
  }
}

/** The server's `{error: {code, message, details?}}`, if `body` has that shape. */
function serverError(body: unknown): { code: ErrorCode; message: string; details?: FieldError[] } | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return { code: code as ErrorCode, message, ...(Array.isArray(details) ? { details: details as FieldError[] } : {}) };
}

/** Reads an error response (JSON when it says so, else text) and makes the SealroomApiError for it. */
export async function apiErrorFromResponse(options: ApiRequestOptions, url: string, response: Response): Promise<SealroomApiError> {
  let body: unknown;
  try {
    body = isJson(response) ? await response.json() : await response.text();
  } catch {
    body = undefined; // a cut or malformed error body: the status still tells what happened
  }
  const result: ApiResult = { url, ok: false, status: response.status, statusText: response.statusText, body };
  return new SealroomApiError(options, result, response.headers.get('retry-after'));
}

// ---- URL and headers ---------------------------------------------------------------------------------

const isDefined = <T>(value: T | null | undefined): value is Exclude<T, null | undefined> => value !== undefined && value !== null;

type Scalar = string | number | boolean;

function queryString(query: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (!isDefined(value)) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item as Scalar))}`);
    }
  }
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/** The full URL of an operation: base, path with its parameters filled in, query. */
export function requestUrl(config: OpenAPIConfig, options: ApiRequestOptions): string {
  const encode = config.ENCODE_PATH ?? encodeURIComponent;
  const path = options.url
    .replace('{api-version}', config.VERSION)
    .replace(/{(.*?)}/g, (placeholder: string, name: string) =>
      options.path && Object.prototype.hasOwnProperty.call(options.path, name) ? encode(String(options.path[name] as Scalar)) : placeholder,
    );
  return `${config.BASE.replace(/\/+$/, '')}${path}${options.query ? queryString(options.query) : ''}`;
}

async function resolveValue<T>(
  options: ApiRequestOptions,
  value: T | ((options: ApiRequestOptions) => Promise<T>) | undefined,
): Promise<T | undefined> {
  return typeof value === 'function' ? (value as (options: ApiRequestOptions) => Promise<T>)(options) : value;
}

/** The request headers: the config's, the operation's, and credentials. The body's Content-Type is added by the caller. */
export async function requestHeaders(config: OpenAPIConfig, options: ApiRequestOptions): Promise<Headers> {
  const [token, username, password, extra] = await Promise.all([
    resolveValue(options, config.TOKEN),
    resolveValue(options, config.USERNAME),
    resolveValue(options, config.PASSWORD),
    resolveValue(options, config.HEADERS),
  ]);
  const headers = new Headers({ Accept: 'application/json' });
  for (const [name, value] of Object.entries({ ...extra, ...options.headers })) {
    if (isDefined(value)) headers.set(name, String(value as Scalar));
  }
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (username && password) headers.set('Authorization', `Basic ${btoa(`${username}:${password}`)}`);
  return headers;
}

// ---- multipart -----------------------------------------------------------------------------------------

/** A part whose bytes come from a stream; `size` must be exact (it goes into Content-Length). */
export interface StreamPart {
  stream: ReadableStream<Uint8Array>;
  size: number;
  /** The part's Content-Type; application/octet-stream by default. */
  type?: string;
  /** The part's file name; `blob` by default. */
  filename?: string;
}

export type MultipartValue = string | Blob | StreamPart;

/** An encoded multipart/form-data body. */
export interface MultipartBody {
  /** `multipart/form-data; boundary=...` */
  contentType: string;
  /** Exact size of the body in bytes. */
  length: number;
  /** A Blob when every part is a string or Blob, otherwise a stream of exactly `length` bytes. */
  body: Blob | ReadableStream<Uint8Array>;
}

const utf8 = new TextEncoder();

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

function isStreamPart(value: unknown): value is StreamPart {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as StreamPart).stream instanceof ReadableStream &&
    Number.isSafeInteger((value as StreamPart).size)
  );
}

/** Quotes a name in a Content-Disposition header as the HTML standard's form encoding does. */
function quoteName(name: string): string {
  return `"${name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')}"`;
}

function randomBoundary(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `----SealroomFormBoundary${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Encodes fields as multipart/form-data in the order given. The body is exact and never buffers a
 * file part: Blob parts are referenced (not copied) by the resulting Blob, and stream parts are piped
 * through, checked against their declared size.
 */
export function encodeMultipart(fields: ReadonlyArray<readonly [string, MultipartValue]>): MultipartBody {
  const boundary = randomBoundary();
  const segments: Array<Uint8Array | Blob | StreamPart> = [];
  fields.forEach(([name, value], index) => {
    let head = `${index === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Disposition: form-data; name=${quoteName(name)}`;
    if (typeof value === 'string') {
      segments.push(utf8.encode(`${head}\r\n\r\n${value}`));
      return;
    }
    const filename = isBlob(value)
      ? typeof File !== 'undefined' && value instanceof File
        ? value.name
        : 'blob'
      : (value.filename ?? 'blob');
    const type = (value.type ?? '') || 'application/octet-stream';
    head += `; filename=${quoteName(filename)}\r\nContent-Type: ${type.replace(/[\r\n]/g, '')}\r\n\r\n`;
    segments.push(utf8.encode(head), value);
  });
  segments.push(utf8.encode(`${fields.length === 0 ? '' : '\r\n'}--${boundary}--\r\n`));

  const contentType = `multipart/form-data; boundary=${boundary}`;
  const length = segments.reduce((sum, s) => sum + (s instanceof Uint8Array ? s.byteLength : s.size), 0);
  if (!segments.some(isStreamPart)) {
    return { contentType, length, body: new Blob(segments as Array<Uint8Array<ArrayBuffer> | Blob>) };
  }
  return { contentType, length, body: concatSegments(segments) };
}

/** One stream of all segments, read lazily; a stream part of the wrong length fails the body. */
function concatSegments(segments: ReadonlyArray<Uint8Array | Blob | StreamPart>): ReadableStream<Uint8Array> {
  let index = 0;
  let current: { reader: ReadableStreamDefaultReader<Uint8Array>; expected: number; seen: number } | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          if (current) {
            const { done, value } = await current.reader.read();
            if (!done) {
              current.seen += value.byteLength;
              if (current.seen > current.expected)
                throw new Error(`a multipart part is longer than its declared ${current.expected} bytes`);
              if (value.byteLength > 0) return controller.enqueue(value);
              continue;
            }
            if (current.seen !== current.expected)
              throw new Error(`a multipart part has ${current.seen} bytes, not its declared ${current.expected}`);
            current = null;
          }
          if (index === segments.length) return controller.close();
          const segment = segments[index++];
          if (segment instanceof Uint8Array) return controller.enqueue(segment);
          const stream = isBlob(segment) ? (segment.stream() as ReadableStream<Uint8Array>) : segment.stream;
          current = { reader: stream.getReader(), expected: segment.size, seen: 0 };
        }
      },
      async cancel(reason) {
        await current?.reader.cancel(reason);
      },
    },
    { highWaterMark: 0 }, // pull only when the connection wants more: backpressure reaches the source
  );
}

/**
 * An operation's form fields in the order its schema in spec/openapi.json lists them (the server relies on
 * it); fields the spec does not list follow, text before files.
 */
export function orderedFormFields(options: ApiRequestOptions): Array<[string, MultipartValue]> {
  const formData = options.formData ?? {};
  const order = MULTIPART_FIELD_ORDER[`${options.method} ${options.url}`] ?? [];
  const rank = (name: string, value: unknown) => {
    const position = order.indexOf(name);
    return position >= 0 ? position : order.length + (isBlob(value) || isStreamPart(value) ? 1 : 0);
  };
  return Object.entries(formData)
    .filter(([, value]) => isDefined(value))
    .map(([name, value], index) => ({ name, value, index, rank: rank(name, value) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ name, value }): [string, MultipartValue] => [
      name,
      typeof value === 'string' || isBlob(value) || isStreamPart(value)
        ? value
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value as Scalar),
    ]);
}

// ---- sending -------------------------------------------------------------------------------------------

function isJson(response: Response): boolean {
  const type = response.headers.get('content-type')?.toLowerCase() ?? '';
  return type.startsWith('application/json') || type.startsWith('application/problem+json');
}

interface EncodedBody {
  body?: Blob | ReadableStream<Uint8Array> | string;
  contentType?: string;
  length?: number;
}

function encodeBody(options: ApiRequestOptions): EncodedBody {
  if (options.formData) {
    const { contentType, length, body } = encodeMultipart(orderedFormFields(options));
    return { contentType, length, body };
  }
  if (options.body === undefined) return {};
  if (isBlob(options.body))
    return { body: options.body, contentType: options.mediaType ?? (options.body.type || 'application/octet-stream') };
  if (typeof options.body === 'string' && !options.mediaType?.includes('/json'))
    return { body: options.body, contentType: options.mediaType ?? 'text/plain' };
  return { body: JSON.stringify(options.body), contentType: options.mediaType ?? 'application/json' };
}

/**
 * Sends one request with fetch. A stream body goes with `duplex: 'half'` and, when its length is known,
 * an exact Content-Length (Node; browsers only stream request bodies over HTTP/2, so the SDK sends Blobs there).
 */
export async function sendRequest(
  config: OpenAPIConfig,
  options: ApiRequestOptions,
  url: string,
  encoded: EncodedBody,
  signal: AbortSignal,
  fetchFunction: FetchFunction = globalThis.fetch,
): Promise<Response> {
  const headers = await requestHeaders(config, options);
  if (encoded.contentType) headers.set('Content-Type', encoded.contentType);
  const init: StreamingRequestInit = { method: options.method, headers, body: encoded.body, signal };
  if (encoded.body instanceof ReadableStream) {
    init.duplex = 'half';
    if (encoded.length !== undefined) headers.set('Content-Length', String(encoded.length));
  }
  if (config.WITH_CREDENTIALS) init.credentials = config.CREDENTIALS;
  return fetchFunction(url, init);
}

/** Reads a successful response: nothing for 204 and HEAD, JSON, text, or the exact bytes as a Blob. */
async function readBody(options: ApiRequestOptions, response: Response): Promise<unknown> {
  if (options.responseHeader) return response.headers.get(options.responseHeader) ?? undefined;
  if (response.status === 204 || options.method === 'HEAD') return undefined;
  if (isJson(response)) return response.json();
  if ((response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/')) return response.text();
  return response.blob();
}

/**
 * Request method used by the generated services.
 * @param config The OpenAPI configuration object
 * @param options The request options from the service
 * @param fetchFunction fetch to use (a client's own, e.g. with a proxy agent); the global one by default
 * @returns CancelablePromise<T>
 * @throws SealroomApiError for an error response; fetch's own errors (network, abort) as they are
 */
export const request = <T>(config: OpenAPIConfig, options: ApiRequestOptions, fetchFunction?: FetchFunction): CancelablePromise<T> => {
  return new CancelablePromise<T>(async (resolve, reject, onCancel: OnCancel) => {
    try {
      const controller = new AbortController();
      onCancel(() => controller.abort());
      const url = requestUrl(config, options);
      const response = await sendRequest(config, options, url, encodeBody(options), controller.signal, fetchFunction);
      if (!response.ok) throw await apiErrorFromResponse(options, url, response);
      resolve((await readBody(options, response)) as T);
    } catch (error) {
      reject(error);
    }
  });
};
