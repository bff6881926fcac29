/**
 * The generated REST client (generated/rest, from spec/openapi.json) bound to one server, with the SDK's
 * error mapping: the request file's SealroomApiError becomes a {@link SealroomServerError} with the server's
 * code; fetch's failures become NETWORK_ERROR or ABORTED. The JSON operations go through the generated
 * services; the streaming upload and download (file-upload.ts, file-download.ts) use the same config, fetch
 * and helpers of the request file.
 */
import { SealroomError, SealroomServerError, abortedError, isAbortError, isSealroomError } from '../errors.js';
import { SealroomApi } from '../generated/rest/SealroomApi.js';
import { BaseHttpRequest } from '../generated/rest/core/BaseHttpRequest.js';
import type { ApiRequestOptions } from '../generated/rest/core/ApiRequestOptions.js';
import type { CancelablePromise } from '../generated/rest/core/CancelablePromise.js';
import type { OpenAPIConfig } from '../generated/rest/core/OpenAPI.js';
import { SealroomApiError, request, type FetchFunction } from '../generated/rest/core/request.js';

export type { FetchFunction };

/**
 * A SealroomError in `error`'s cause chain: fetch wraps what a request body stream failed with. (Duck-typed:
 * fetch's own errors may come from another realm, where `instanceof Error` is false.)
 */
function sealroomCause(error: unknown): SealroomError | undefined {
  let cause = error;
  for (let depth = 0; typeof cause === 'object' && cause !== null && depth < 4; depth++) {
    if (isSealroomError(cause)) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Turns anything a request rejected with into a SealroomError. */
export function toSealroomError(error: unknown, signal?: AbortSignal, baseUrl?: string): SealroomError {
  const own = sealroomCause(error);
  if (own) return own;
  if (error instanceof SealroomApiError) {
    return new SealroomServerError(error.code, error.message, {
      status: error.status,
      details: error.details,
      retryAfterSeconds: error.retryAfterSeconds,
      cause: error,
    });
  }
  if (signal?.aborted || isAbortError(error)) return abortedError(signal);
  const message = error instanceof Error ? error.message : String(error);
  // fetch says only "fetch failed": name the server tried and the system's reason (ECONNREFUSED, ENOTFOUND...).
  const reason = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const where = baseUrl !== undefined ? ` at ${baseUrl}` : '';
  return new SealroomError(
    'NETWORK_ERROR',
    `Could not reach the Sealroom server${where}: ${message}${typeof reason === 'string' ? ` (${reason})` : ''}`,
    {
      cause: error,
    },
  );
}

/** A generated-client HttpRequest class that sends through the given fetch. */
function httpRequestWith(fetchFunction: FetchFunction | undefined): new (config: OpenAPIConfig) => BaseHttpRequest {
  return class SealroomHttpRequest extends BaseHttpRequest {
    override request<T>(options: ApiRequestOptions): CancelablePromise<T> {
      return request<T>(this.config, options, fetchFunction);
    }
  };
}

/** One server's REST API. */
export class RestApi {
  /** The generated client; its services are `api.rooms`, `api.files`, `api.server`. */
  readonly api: SealroomApi;

  constructor(
    /** The server's URL, e.g. `https://chat.example` (a path prefix is kept). */
    readonly baseUrl: string,
    /** The fetch the client uses; the global one when absent. */
    readonly fetchFunction?: FetchFunction,
  ) {
    this.api = new SealroomApi({ BASE: baseUrl.replace(/\/+$/, '') }, httpRequestWith(fetchFunction));
  }

  /** The generated client's configuration (base URL, headers), shared with the streaming transfers. */
  get config(): OpenAPIConfig {
    return this.api.request.config;
  }

  /**
   * Runs one generated operation and maps its errors. An abort signal cancels it.
   * @throws SealroomServerError, SealroomError (`NETWORK_ERROR`, `ABORTED`)
   */
  async call<T>(operation: (api: SealroomApi) => CancelablePromise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortedError(signal);
    const pending = operation(this.api);
    const onAbort = () => pending.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await pending;
    } catch (error) {
      throw toSealroomError(error, signal, this.baseUrl);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
