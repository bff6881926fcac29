// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * A file id, made by the server: 6-36 characters of A-Z, a-z, 0-9, "_" and "-".
 */
export type FileId = string;
