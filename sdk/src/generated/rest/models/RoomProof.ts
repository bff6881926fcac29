// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * A room proof: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v1|<purpose>|<room_id>|<ts>")>`.
 */
export type RoomProof = string;
