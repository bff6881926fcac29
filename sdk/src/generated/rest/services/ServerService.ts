// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { ConfigResponse } from '../models/ConfigResponse.js';
import type { HealthResponse } from '../models/HealthResponse.js';
import type { CancelablePromise } from '../core/CancelablePromise.js';
import type { BaseHttpRequest } from '../core/BaseHttpRequest.js';
export class ServerService {
  constructor(public readonly httpRequest: BaseHttpRequest) {}
  /**
   * Health check
   * Reports whether the server and its dependencies (the database; Redis in a cluster; the S3 bucket with
   * BLOB_STORE=s3) are usable. Answers 503 with the same body while one is down, so load balancers and container
   * health checks can act on it.
   * @returns HealthResponse Ok
   * @throws ApiError
   */
  public health(): CancelablePromise<HealthResponse> {
    return this.httpRequest.request({
      method: 'GET',
      url: '/health',
      errors: {
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `A dependency is down`,
      },
    });
  }
  /**
   * Server limits
   * The limits a client must respect before it encrypts anything: upload size, storage, lifetimes, the KDF
   * minimum, the proof window and the realtime limits.
   * @returns ConfigResponse Ok
   * @throws ApiError
   */
  public config(): CancelablePromise<ConfigResponse> {
    return this.httpRequest.request({
      method: 'GET',
      url: '/config',
      errors: {
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
      },
    });
  }
}
