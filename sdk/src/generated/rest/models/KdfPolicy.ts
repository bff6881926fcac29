// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * The minimum password-KDF parameters the server accepts for password rooms.
 */
export type KdfPolicy = {
  algorithm: 'PBKDF2-SHA256';
  min_iterations: number;
};

