// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * A download token from the `X-Download-Token` header of an earlier counted download: 16 random bytes, base64url.
 */
export type DownloadToken = string;
