// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { FileId } from './FileId.js';
export type UploadResponse = {
  file_id: FileId;
  /**
   * The file's page without its key; clients append `#<file key>` to make the link they share.
   */
  url: string;
  /**
   * Ciphertext bytes stored.
   */
  size: number;
  /**
   * When the file is deleted (Unix milliseconds): FILE_AGE_LIMIT after the upload completed.
   */
  expires_at: number;
  /**
   * Downloads allowed before the file is deleted, or null for no limit.
   */
  max_downloads: number | null;
};

