import type { FileId } from './common.dto';

export interface UploadResponse {
  file_id: FileId;
  /**
   * The file's page without its key; clients append `#<file key>` to make the link they share.
   * @example "http://localhost:5000/f/Vb8n1W3cQeS0sY2aH5xJ0g"
   */
  url: string;
  /**
   * Ciphertext bytes stored.
   * @example 1048848
   */
  size: number;
  /**
   * When the file is deleted (Unix milliseconds): FILE_AGE_LIMIT after the upload completed.
   * @example 1764173400000
   */
  expires_at: number;
  /**
   * Downloads allowed before the file is deleted, or null for no limit.
   * @example null
   */
  max_downloads: number | null;
}

export const uploadExample: UploadResponse = {
  file_id: 'Vb8n1W3cQeS0sY2aH5xJ0g',
  url: 'http://localhost:5000/f/Vb8n1W3cQeS0sY2aH5xJ0g',
  size: 1048848,
  expires_at: 1764173400000,
  max_downloads: null,
};
