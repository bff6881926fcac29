// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { FileId } from '../models/FileId.js';
import type { UploadResponse } from '../models/UploadResponse.js';
import type { CancelablePromise } from '../core/CancelablePromise.js';
import type { BaseHttpRequest } from '../core/BaseHttpRequest.js';
export class FilesService {
  constructor(public readonly httpRequest: BaseHttpRequest) {}
  /**
   * Describe an encrypted file
   * The download's headers without its body: size, ETag and expiry. Does not count as a download.
   * @returns any The file exists
   * @throws ApiError
   */
  public headFile({
    filename,
    range,
    ifRange,
  }: {
    /**
     * The file id.
     */
    filename: FileId,
    range?: string,
    ifRange?: string,
  }): CancelablePromise<any> {
    return this.httpRequest.request({
      method: 'HEAD',
      url: '/get_file',
      headers: {
        'range': range,
        'if-range': ifRange,
      },
      query: {
        'filename': filename,
      },
      errors: {
        400: `Malformed file id`,
        404: `No such file`,
        416: `The range lies outside the file`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
      },
    });
  }
  /**
   * Download an encrypted file
   * Streams a file's ciphertext as an attachment. Supports a single `Range` (with `If-Range`) so downloads can
   * resume; a request from the first byte counts towards the file's download limit.
   * @returns binary The ciphertext
   * @throws ApiError
   */
  public getFile({
    filename,
    range,
    ifRange,
  }: {
    /**
     * The file id.
     */
    filename: FileId,
    /**
     * Optional, e.g. `bytes=1024-`.
     */
    range?: string,
    /**
     * Optional ETag: honour `range` only while the file is this one.
     */
    ifRange?: string,
  }): CancelablePromise<Blob> {
    return this.httpRequest.request({
      method: 'GET',
      url: '/get_file',
      headers: {
        'range': range,
        'if-range': ifRange,
      },
      query: {
        'filename': filename,
      },
      errors: {
        400: `Malformed file id (for example a path)`,
        404: `No such file, or it expired or reached its download limit`,
        416: `The range lies outside the file`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
      },
    });
  }
  /**
   * Upload an encrypted file
   * Stores one encrypted file for a room. Send a `multipart/form-data` body whose fields come in this order:
   * `room_id`, `proof` (a room proof for `upload`), `size` (the ciphertext's exact size in bytes), then the
   * `file` part with the ciphertext, and optionally `max_downloads` and `expires_in`. The proof is checked and the size
   * reserved in the storage quota before any byte of the file is accepted; the file is streamed to disk and
   * becomes downloadable only once exactly `size` bytes arrived.
   * @returns UploadResponse File stored
   * @throws ApiError
   */
  public uploadFile({
    formData,
  }: {
    formData: {
      /**
       * Delete the file this many seconds after the upload completes (1 to the server's file age limit, `file_age_ms` / 1000 in `/config`); leave out, or send empty, for the server's file age limit.
       */
      expires_in?: string;
      /**
       * The room the file belongs to.
       */
      room_id: string;
      /**
       * A room proof for `upload`: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v1|upload|<room_id>|<ts>")>`.
       */
      proof: string;
      /**
       * The exact ciphertext size in bytes, at most the server's upload limit (see `/config`).
       */
      size: string;
      /**
       * The ciphertext.
       */
      file: Blob;
      /**
       * Delete the file after this many downloads (1-1000); leave out, or send empty (as forms do), for no limit.
       */
      max_downloads?: string;
    },
  }): CancelablePromise<UploadResponse> {
    return this.httpRequest.request({
      method: 'POST',
      url: '/upload_file',
      formData: formData,
      mediaType: 'multipart/form-data',
      errors: {
        400: `A field is missing, malformed or after the file part; \`expires_in\` is over the file age limit; no file part or two; the file differs from its declared size`,
        403: `The proof is invalid or expired, or uploads are off`,
        404: `No such room, or it was deleted during the upload`,
        413: `The file is larger than UPLOAD_SIZE_LIMIT`,
        415: `The body is not multipart/form-data`,
        429: `Too many uploads or failed proofs from this address`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
        507: `The storage quota (FOLDER_SIZE_LIMIT) or the disk is full`,
      },
    });
  }
}
