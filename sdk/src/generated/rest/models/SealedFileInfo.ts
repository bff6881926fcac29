// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * The sealed file info an uploader may attach: `{name, type, size}` sealed with the file's `fm` key (see PROTOCOL.md).
 */
export type SealedFileInfo = {
  /**
   * AES-GCM nonce, 12 bytes base64url.
   */
  iv: string;
  /**
   * AES-GCM ciphertext with its tag, base64url.
   */
  ct: string;
};

