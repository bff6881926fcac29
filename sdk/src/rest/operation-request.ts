/**
 * The request options a generated operation would send, without sending it. The streaming upload and
 * download take their method, path, query and field names from the generated services this way, so they
 * follow spec/openapi.json (and stop compiling if an operation's parameters change) without copying it.
 */
import { SealroomApi } from '../generated/rest/SealroomApi.js';
import { BaseHttpRequest } from '../generated/rest/core/BaseHttpRequest.js';
import type { ApiRequestOptions } from '../generated/rest/core/ApiRequestOptions.js';
import { CancelablePromise } from '../generated/rest/core/CancelablePromise.js';
import type { OpenAPIConfig } from '../generated/rest/core/OpenAPI.js';

export function operationRequest<T>(config: OpenAPIConfig, call: (api: SealroomApi) => CancelablePromise<T>): ApiRequestOptions {
  let captured: ApiRequestOptions | undefined;
  class CapturingHttpRequest extends BaseHttpRequest {
    override request<T>(options: ApiRequestOptions): CancelablePromise<T> {
      captured = options;
      return new CancelablePromise<T>(() => undefined); // never sent, never settles
    }
  }
  call(new SealroomApi(config, CapturingHttpRequest));
  if (captured === undefined) throw new Error('internal error: the generated operation made no request');
  return captured;
}
