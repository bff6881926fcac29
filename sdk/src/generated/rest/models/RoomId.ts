// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * A room id: 6-36 characters of A-Z, a-z, 0-9, "_" and "-" (random ones are 16 bytes, 22 characters).
 */
export type RoomId = string;
