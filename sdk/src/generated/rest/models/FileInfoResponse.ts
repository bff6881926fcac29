// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { FileId } from './FileId.js';
import type { SealedFileInfo } from './SealedFileInfo.js';
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
   * The sealed file info the uploader attached, or null.
   */
  file_info: SealedFileInfo | null;
};

