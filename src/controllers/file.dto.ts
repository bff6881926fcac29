import type { StoredFileInfo } from '../services/file.service';
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

/** The answer to a completed upload, the same for `POST /upload_file` and the last byte of a resumable upload. */
export function toUploadResponse(stored: StoredFileInfo, publicUrl: string): UploadResponse {
  return {
    file_id: stored.fileId,
    url: `${publicUrl}/f/${stored.fileId}`,
    size: stored.size,
    expires_at: stored.expiresAt,
    max_downloads: stored.maxDownloads,
  };
}

/** What a holder of the file's key may learn about it without downloading it (not counted as a download). */
export interface FileInfoResponse {
  file_id: FileId;
  /**
   * Ciphertext bytes.
   * @example 1048848
   */
  size: number;
  /**
   * When the file is deleted (Unix milliseconds).
   * @example 1764173400000
   */
  expires_at: number;
  /**
   * Downloads allowed in all, or null for no limit.
   * @example 3
   */
  max_downloads: number | null;
  /**
   * Counted downloads still allowed, or null for no limit.
   * @example 2
   */
  downloads_left: number | null;
  // Spelt out rather than a named type: OpenAPI 3.0 cannot make a `$ref` nullable.
  /** The sealed file info the uploader attached (`{name, type, size}` sealed with the file's `fm` key), or null. */
  file_info: {
    /**
     * AES-GCM nonce, 12 bytes base64url.
     * @pattern ^[A-Za-z0-9_-]{16}$
     */
    iv: string;
    /**
     * AES-GCM ciphertext with its tag, base64url.
     * @pattern ^[A-Za-z0-9_-]{22,5500}$
     */
    ct: string;
  } | null;
}

export const fileInfoExample: FileInfoResponse = {
  file_id: 'Vb8n1W3cQeS0sY2aH5xJ0g',
  size: 1048848,
  expires_at: 1764173400000,
  max_downloads: 3,
  downloads_left: 2,
  file_info: { iv: '3q2-7wAAAAC6ur6-', ct: 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy' },
};

export const uploadExample: UploadResponse = {
  file_id: 'Vb8n1W3cQeS0sY2aH5xJ0g',
  url: 'http://localhost:5000/f/Vb8n1W3cQeS0sY2aH5xJ0g',
  size: 1048848,
  expires_at: 1764173400000,
  max_downloads: null,
};
