// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * The room owner's signature for deleting the room: `<unix seconds>.<base64url Ed25519 signature>` (64 bytes, 86
 * characters) over `enc("sealroom/v2 sig", "delete", <room_id>, <ts>)` with the owner's private key.
 */
export type OwnerSignature = string;
