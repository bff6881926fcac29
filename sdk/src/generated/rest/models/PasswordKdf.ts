// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * Public parameters of a password room's key derivation, sent when a password room is created and returned by
 * `/room_exists`. Knowing them does not help without the password.
 */
export type PasswordKdf = {
  /**
   * PBKDF2 salt: 16 random bytes, base64url without padding.
   */
  salt: string;
  /**
   * PBKDF2-SHA256 iterations: at least 600000, at most 10000000 (what clients agree to run).
   */
  iterations: number;
};

