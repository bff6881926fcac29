// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { FileId } from './FileId.js';
/**
 * What a holder of the file's key may learn about it without downloading it (not counted as a download).
 */
export type FileInfoResponse = {
  file_id: FileId;
  /**
   * Ciphertext bytes.
   */
  size: number;
  /**
   * When the file is deleted (Unix milliseconds).
   */
  expires_at: number;
  /**
   * Downloads allowed in all, or null for no limit.
   */
  max_downloads: number | null;
  /**
   * Counted downloads still allowed, or null for no limit.
   */
  downloads_left: number | null;
  /**
   * The sealed file info the uploader attached (`{name, type, size}` sealed with the file's `fm` key), or null.
   */
  file_info: {
    /**
     * AES-GCM ciphertext with its tag, base64url.
     */
    ct: string;
    /**
     * AES-GCM nonce, 12 bytes base64url.
     */
    iv: string;
  } | null;
};

