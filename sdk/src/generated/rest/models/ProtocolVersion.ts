// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * The wire protocol version the client speaks. This server speaks `sealroom/v2` only; anything else (or nothing,
 * as v1 clients send) is refused with UNSUPPORTED_VERSION before any other check.
 */
export type ProtocolVersion = 'sealroom/v2';
