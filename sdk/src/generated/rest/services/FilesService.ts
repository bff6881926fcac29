// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { DownloadProof } from '../models/DownloadProof.js';
import type { DownloadToken } from '../models/DownloadToken.js';
import type { FileId } from '../models/FileId.js';
import type { FileInfoResponse } from '../models/FileInfoResponse.js';
import type { UploadResponse } from '../models/UploadResponse.js';
import type { CancelablePromise } from '../core/CancelablePromise.js';
import type { BaseHttpRequest } from '../core/BaseHttpRequest.js';
export class FilesService {
  constructor(public readonly httpRequest: BaseHttpRequest) {}
  /**
   * Start a resumable upload (tus)
   * Creates a resumable upload of one encrypted file (tus creation). `Upload-Length` is the ciphertext's exact size;
   * `Upload-Metadata` carries the upload form's fields as tus metadata (comma-separated `key base64(value)` pairs):
   * `protocol` (`sealroom/v2`), `room_id`, `proof` (a room proof for `upload`), `download_key`, and optionally
   * `file_info`, `max_downloads` and `expires_in`, with the same meaning and rules as in `POST /upload_file`.
   * Everything is checked and the length reserved in the storage quota (with the address's and the room's shares
   * and their counts of uploads in progress) before any byte is stored, with the same error codes as
   * `POST /upload_file`. The answer's `Location` (relative: `uploads/{upload_id}`) names the upload; its id is the
   * file's id. The body may carry the first bytes (creation-with-upload, `Content-Type:
   * application/offset+octet-stream`). An upload not completed within RESUMABLE_UPLOAD_EXPIRY of its creation
   * (`Upload-Expires`) is removed and its reservation given back.
   * @returns UploadResponse Not used: a creation that also completes the upload answers 201 with the body of `POST /upload_file`
   * @returns string Upload created; `Location` names it
   * @throws ApiError
   */
  public createUpload({
    uploadLength,
    uploadMetadata,
    tusResumable,
  }: {
    /**
     * The exact ciphertext size in bytes, at most the server's upload limit (see `/config`).
     */
    uploadLength: string,
    /**
     * The upload form's fields as tus metadata: `protocol c2VhbHJvb20vdjI=,room_id ...,proof ...,download_key ...`.
     */
    uploadMetadata: string,
    /**
     * `1.0.0`
     */
    tusResumable?: string,
  }): CancelablePromise<UploadResponse | string> {
    return this.httpRequest.request({
      method: 'POST',
      url: '/uploads',
      headers: {
        'Upload-Length': uploadLength,
        'Upload-Metadata': uploadMetadata,
        'Tus-Resumable': tusResumable,
      },
      responseHeader: 'Upload-Offset',
      errors: {
        400: `No \`protocol sealroom/v2\` in the metadata (UNSUPPORTED_VERSION); a field is missing or malformed (VALIDATION_FAILED, MALFORMED_UPLOAD); no Upload-Length`,
        403: `The proof is invalid or expired (PROOF_INVALID, PROOF_EXPIRED), uploads are off, or another origin`,
        404: `No such room`,
        412: `No \`Tus-Resumable: 1.0.0\` (UNSUPPORTED_VERSION; \`Tus-Version\` lists the versions spoken)`,
        413: `Upload-Length is over UPLOAD_SIZE_LIMIT`,
        429: `Rate limits (RATE_LIMITED) or too many uploads in progress from this address or into this room (TOO_MANY_UPLOADS)`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable, or in a cluster Redis, which holds each upload's lock`,
        507: `The quota or the disk is full (STORAGE_FULL), or the address's or room's share of it is (IP_QUOTA_EXCEEDED, ROOM_QUOTA_EXCEEDED)`,
      },
    });
  }
  /**
   * Ask where to resume (tus)
   * How much of an upload the server holds (tus core): `Upload-Offset` is where the next PATCH must start,
   * `Upload-Length` the declared size, `Upload-Expires` when an unfinished upload is removed. 404 once the upload
   * completed, was terminated or expired.
   * @returns string The upload exists
   * @throws ApiError
   */
  public uploadOffset({
    uploadId,
    tusResumable,
  }: {
    /**
     * The upload's id (its file id), from `Location`.
     */
    uploadId: FileId,
    /**
     * `1.0.0`
     */
    tusResumable?: string,
  }): CancelablePromise<string> {
    return this.httpRequest.request({
      method: 'HEAD',
      url: '/uploads/{upload_id}',
      path: {
        'upload_id': uploadId,
      },
      headers: {
        'Tus-Resumable': tusResumable,
      },
      responseHeader: 'Upload-Expires',
      errors: {
        404: `No such upload in progress`,
        412: `No \`Tus-Resumable: 1.0.0\` (UNSUPPORTED_VERSION; \`Tus-Version\` lists the versions spoken)`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable, or in a cluster Redis, which holds each upload's lock`,
      },
    });
  }
  /**
   * Send more of a resumable upload (tus)
   * Appends ciphertext at `Upload-Offset`, which must be the upload's current offset (409 UPLOAD_OFFSET_MISMATCH
   * otherwise, or while another PATCH to it runs). The body (`Content-Type: application/offset+octet-stream`) may
   * stop anywhere: what arrived is kept, and HEAD tells where to go on. It must keep UPLOAD_MIN_RATE after
   * UPLOAD_RATE_GRACE (408 UPLOAD_TOO_SLOW; the upload stays resumable) and may not pass `Upload-Length` (413).
   * The PATCH that completes the upload makes it a file and answers 200 with the body of `POST /upload_file`
   * (and `Sealroom-File-Id`); the others answer 204 with the new `Upload-Offset`.
   * @returns UploadResponse The upload is complete and is now a file
   * @throws ApiError
   */
  public appendUpload({
    uploadId,
    uploadOffset,
    contentType,
    tusResumable,
  }: {
    /**
     * The upload's id (its file id).
     */
    uploadId: FileId,
    /**
     * Where these bytes start: the offset HEAD reported.
     */
    uploadOffset: string,
    /**
     * `application/offset+octet-stream`
     */
    contentType: string,
    /**
     * `1.0.0`
     */
    tusResumable?: string,
  }): CancelablePromise<UploadResponse> {
    return this.httpRequest.request({
      method: 'PATCH',
      url: '/uploads/{upload_id}',
      path: {
        'upload_id': uploadId,
      },
      headers: {
        'Upload-Offset': uploadOffset,
        'Content-Type': contentType,
        'Tus-Resumable': tusResumable,
      },
      errors: {
        404: `No such upload in progress (completed, terminated or expired)`,
        408: `The body went slower than UPLOAD_MIN_RATE`,
        409: `Upload-Offset is not the upload's offset, or another PATCH to it is under way`,
        412: `No \`Tus-Resumable: 1.0.0\` (UNSUPPORTED_VERSION; \`Tus-Version\` lists the versions spoken)`,
        413: `More bytes than Upload-Length`,
        415: `Content-Type is not application/offset+octet-stream`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable, or in a cluster Redis, which holds each upload's lock`,
      },
    });
  }
  /**
   * Abandon a resumable upload (tus)
   * Abandons an upload in progress (tus termination): its bytes are removed and its reservation given back.
   * @returns void
   * @throws ApiError
   */
  public terminateUpload({
    uploadId,
    tusResumable,
  }: {
    /**
     * The upload's id (its file id).
     */
    uploadId: FileId,
    /**
     * `1.0.0`
     */
    tusResumable?: string,
  }): CancelablePromise<void> {
    return this.httpRequest.request({
      method: 'DELETE',
      url: '/uploads/{upload_id}',
      path: {
        'upload_id': uploadId,
      },
      headers: {
        'Tus-Resumable': tusResumable,
      },
      errors: {
        404: `No such upload in progress`,
        412: `No \`Tus-Resumable: 1.0.0\` (UNSUPPORTED_VERSION; \`Tus-Version\` lists the versions spoken)`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable, or in a cluster Redis, which holds each upload's lock`,
      },
    });
  }
  /**
   * Describe a file (key holders only)
   * What the holder of a file's key may know before downloading it: its size, expiry, download limit, downloads
   * left and the sealed file info its uploader attached. Needs a download proof; never counts as a download.
   * @returns FileInfoResponse Ok
   * @throws ApiError
   */
  public fileInfo({
    filename,
    xDownloadProof,
  }: {
    /**
     * The file id.
     */
    filename: FileId,
    /**
     * `<unix seconds>.<base64url HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")>`, accepted from 110 s before to 10 s after the server's clock.
     */
    xDownloadProof?: DownloadProof,
  }): CancelablePromise<FileInfoResponse> {
    return this.httpRequest.request({
      method: 'GET',
      url: '/file_info',
      headers: {
        'x-download-proof': xDownloadProof,
      },
      query: {
        'filename': filename,
      },
      errors: {
        400: `Malformed file id or proof`,
        401: `No download proof`,
        403: `The download proof is not made with this file's key, or is outside the window (PROOF_EXPIRED)`,
        404: `No such file, or it expired or reached its download limit`,
        429: `Too many failed proofs from this address`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
      },
    });
  }
  /**
   * Describe an encrypted file
   * The download's headers without its body: size, ETag and expiry. Needs `X-Download-Proof` or
   * `X-Download-Token` like a download; never counts as a download and issues no token.
   * @returns any The file exists
   * @throws ApiError
   */
  public headFile({
    filename,
    xDownloadProof,
    xDownloadToken,
    range,
    ifRange,
  }: {
    /**
     * The file id.
     */
    filename: FileId,
    /**
     * A download proof (see `GET /get_file`).
     */
    xDownloadProof?: DownloadProof,
    /**
     * A download token from an earlier download (see `GET /get_file`).
     */
    xDownloadToken?: DownloadToken,
    range?: string,
    ifRange?: string,
  }): CancelablePromise<any> {
    return this.httpRequest.request({
      method: 'HEAD',
      url: '/get_file',
      headers: {
        'x-download-proof': xDownloadProof,
        'x-download-token': xDownloadToken,
        'range': range,
        'if-range': ifRange,
      },
      query: {
        'filename': filename,
      },
      errors: {
        400: `Malformed file id, proof or token`,
        401: `No download proof and no download token`,
        403: `The proof or token is not valid for this file, outside the window, or used up`,
        404: `No such file`,
        416: `The range lies outside the file`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
      },
    });
  }
  /**
   * Download an encrypted file
   * Streams a file's ciphertext as an attachment. A download needs either
   * - `X-Download-Proof`, a fresh proof made with the file's download key: this starts a new download and counts
   * it at once against `max_downloads` (refused with 404 once they are used up); the response carries
   * `X-Download-Token`; or
   * - `X-Download-Token` from an earlier response, to continue or resume that download with `Range` requests:
   * not counted again. A token is good for this file only, until the file expires, and for at most twice the
   * file's size in bytes served (then 403 PROOF_EXPIRED).
   *
   * The file id alone downloads nothing (401 DOWNLOAD_PROOF_REQUIRED) and cannot use up the file's downloads.
   * Supports a single `Range` (with `If-Range`).
   * @returns binary The ciphertext
   * @throws ApiError
   */
  public getFile({
    filename,
    xDownloadProof,
    xDownloadToken,
    range,
    ifRange,
  }: {
    /**
     * The file id.
     */
    filename: FileId,
    /**
     * `<unix seconds>.<base64url HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")>`, accepted from 110 s before to 10 s after the server's clock. Starts a new, counted download.
     */
    xDownloadProof?: DownloadProof,
    /**
     * The `X-Download-Token` of an earlier response for this file: continues that download, not counted.
     */
    xDownloadToken?: DownloadToken,
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
        'x-download-proof': xDownloadProof,
        'x-download-token': xDownloadToken,
        'range': range,
        'if-range': ifRange,
      },
      query: {
        'filename': filename,
      },
      errors: {
        400: `Malformed file id (for example a path), proof or token`,
        401: `No download proof and no download token`,
        403: `The proof is not made with this file's key (PROOF_INVALID) or outside the window (PROOF_EXPIRED); the token is unknown, for another file, expired or has served twice the file (PROOF_EXPIRED)`,
        404: `No such file, or it expired or reached its download limit`,
        416: `The range lies outside the file`,
        429: `Too many failed proofs from this address`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
      },
    });
  }
  /**
   * Upload an encrypted file
   * Stores one encrypted file for a room. Send a `multipart/form-data` body whose fields come in this order:
   * `protocol` (`sealroom/v2`), `room_id`, `proof` (a room proof for `upload`), `size` (the ciphertext's exact
   * size in bytes), `download_key` (the file's download verifier), optionally `file_info`, then the `file` part
   * with the ciphertext, and optionally `max_downloads` and `expires_in`. The proof is checked and the size reserved
   * in the storage quota before any byte of the file is accepted; the file is streamed to disk and becomes
   * downloadable only once exactly `size` bytes arrived. A form without `protocol: sealroom/v2` before the file part
   * gets UNSUPPORTED_VERSION. One address group (an IPv4 address, an IPv6 /64) and one room may each hold only a
   * share of the quota and a few uploads at once, and an upload must keep a minimum rate (see `uploads` in
   * `/config`); such refusals are answered at once and the connection closed. An upload tells whether its room
   * exists, so it also counts as a room look-up (RATE_LIMIT_LOOKUP). A browser page of another origin than this
   * server or CORS_ORIGINS is refused (ORIGIN_NOT_ALLOWED).
   * @returns UploadResponse File stored
   * @throws ApiError
   */
  public uploadFile({
    formData,
  }: {
    formData: {
      /**
       * The wire protocol version: `sealroom/v2`. Send it first.
       */
      protocol: string;
      /**
       * The room the file belongs to.
       */
      room_id: string;
      /**
       * A room proof for `upload`: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v2|upload|<room_id>|<ts>")>`.
       */
      proof: string;
      /**
       * The exact ciphertext size in bytes, at most the server's upload limit (see `/config`).
       */
      size: string;
      /**
       * The file's download key `dk` = HKDF-SHA256(file key, info "sealroom/v2 file download"), 32 bytes base64url. Downloads must carry a proof made with it; the server cannot derive the file key from it. Before the file part.
       */
      download_key: string;
      /**
       * Optional: `{name, type, size}` sealed with the file's `fm` key, as the JSON text `{"iv":"...","ct":"..."}` (ct at most 5500 characters); returned by `/file_info` so that a file link describes itself. Leave empty for none.
       */
      file_info?: string;
      /**
       * The ciphertext.
       */
      file: Blob;
      /**
       * Delete the file after this many downloads (1-1000); leave out, or send empty (as forms do), for no limit.
       */
      max_downloads?: string;
      /**
       * Delete the file this many seconds after the upload completes (1 to the server's file age limit, `file_age_ms` / 1000 in `/config`); leave out, or send empty, for the server's file age limit.
       */
      expires_in?: string;
    },
  }): CancelablePromise<UploadResponse> {
    return this.httpRequest.request({
      method: 'POST',
      url: '/upload_file',
      formData: formData,
      mediaType: 'multipart/form-data',
      errors: {
        400: `No \`protocol: sealroom/v2\` before the file part (UNSUPPORTED_VERSION); a field is missing, malformed or after the file part; \`expires_in\` is over the file age limit; no file part or two; the file differs from its declared size`,
        403: `The proof is invalid or expired (PROOF_INVALID, PROOF_EXPIRED), uploads are off (UPLOADS_DISABLED), or the request came from a web page of another origin (ORIGIN_NOT_ALLOWED)`,
        404: `No such room, or it was deleted during the upload`,
        408: `The upload went slower than UPLOAD_MIN_RATE after UPLOAD_RATE_GRACE; its reservation was given back`,
        413: `The file is larger than UPLOAD_SIZE_LIMIT`,
        415: `The body is not multipart/form-data`,
        429: `Too many uploads started, room look-ups or failed proofs from this address (RATE_LIMITED), or too many uploads in progress from this address or into this room (TOO_MANY_UPLOADS)`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
        507: `The storage quota (FOLDER_SIZE_LIMIT) or the disk is full (STORAGE_FULL), or this address's (IP_QUOTA_EXCEEDED) or this room's (ROOM_QUOTA_EXCEEDED) share of it is`,
      },
    });
  }
}
