// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
export type HealthResponse = {
  /**
   * `ok` when every dependency answers; `unavailable` (with HTTP 503) otherwise.
   */
  status: 'ok' | 'unavailable';
  version: string;
  /**
   * Each dependency's state: `database` always, `redis` in a cluster, `blob_store` with BLOB_STORE=s3.
   */
  dependencies: Record<string, 'ok' | 'down'>;
  uptime_s: number;
};

