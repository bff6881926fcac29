// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * A download proof: `<unix seconds>.<base64url HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")>`, where `dk`
 * is the file's download key (derived from the file key).
 */
export type DownloadProof = string;
