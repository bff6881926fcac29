import type { Request as ExpressRequest } from 'express';
import {
  Controller,
  Delete,
  Example,
  Head,
  Header,
  Patch,
  Path,
  Post,
  Request,
  Response,
  Route,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { ErrorBody } from '../errors';
import type { ResumableUploads } from '../http/upload/resumable-upload.handler';
import { databaseDown, headersTooLarge, type FileId } from './common.dto';
import { uploadExample, type UploadResponse } from './file.dto';

/**
 * Resumable uploads over the tus 1.0 protocol (core, creation, creation-with-upload, termination, expiration):
 * https://tus.io/protocols/resumable-upload. Each method here documents one tus request and hands it, raw, to
 * the tus server (@tus/server), which reads the body and writes the response itself; tsoa only checks the
 * route and the documented headers. `POST /upload_file` remains for clients that send a file in one request.
 */
@Route('uploads')
@Tags('Files')
@Response<ErrorBody>(431, 'The request line and headers exceed 16 KiB (refused before any route runs)', headersTooLarge)
@Response<ErrorBody>(412, 'No `Tus-Resumable: 1.0.0` (UNSUPPORTED_VERSION; `Tus-Version` lists the versions spoken)', {
  error: { code: 'UNSUPPORTED_VERSION', message: 'Resumable uploads speak tus 1.0: send Tus-Resumable: 1.0.0' },
})
@Response<ErrorBody>(503, "The database is unavailable, or in a cluster Redis, which holds each upload's lock", databaseDown)
export class UploadController extends Controller {
  constructor(private readonly tus: ResumableUploads) {
    super();
  }

  /**
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
   * @summary Start a resumable upload (tus)
   * @param _tusResumable `1.0.0`
   * @param uploadLength The exact ciphertext size in bytes, at most the server's upload limit (see `/config`).
   * @pattern uploadLength ^\d{1,16}$
   * @param uploadMetadata The upload form's fields as tus metadata: `protocol c2VhbHJvb20vdjI=,room_id ...,proof ...,download_key ...`.
   */
  @Post()
  @SuccessResponse<{ Location: string; 'Upload-Expires'?: string; 'Upload-Offset'?: string }>(201, 'Upload created; `Location` names it')
  @Response<UploadResponse>(200, 'Not used: a creation that also completes the upload answers 201 with the body of `POST /upload_file`')
  @Response<ErrorBody>(
    400,
    'No `protocol sealroom/v2` in the metadata (UNSUPPORTED_VERSION); a field is missing or malformed (VALIDATION_FAILED, MALFORMED_UPLOAD); no Upload-Length',
    { error: { code: 'MALFORMED_UPLOAD', message: 'The fields proof must be sent in Upload-Metadata' } },
  )
  @Response<ErrorBody>(403, 'The proof is invalid or expired (PROOF_INVALID, PROOF_EXPIRED), uploads are off, or another origin', {
    error: { code: 'PROOF_INVALID', message: 'The room proof is not valid for upload in this room' },
  })
  @Response<ErrorBody>(404, 'No such room', {
    error: { code: 'ROOM_NOT_FOUND', message: 'No such room (it may have expired or been deleted)' },
  })
  @Response<ErrorBody>(413, 'Upload-Length is over UPLOAD_SIZE_LIMIT', {
    error: { code: 'FILE_TOO_LARGE', message: 'Files may be at most 104857600 bytes' },
  })
  @Response<ErrorBody>(
    429,
    'Rate limits (RATE_LIMITED) or too many uploads in progress from this address or into this room (TOO_MANY_UPLOADS)',
    {
      error: {
        code: 'TOO_MANY_UPLOADS',
        message: 'Too many uploads in progress (at most 3 per address and 10 per room); wait for one to finish',
      },
    },
  )
  @Response<ErrorBody>(
    507,
    "The quota or the disk is full (STORAGE_FULL), or the address's or room's share of it is (IP_QUOTA_EXCEEDED, ROOM_QUOTA_EXCEEDED)",
    {
      error: { code: 'STORAGE_FULL', message: 'The server has no room for this file now; try again later or send a smaller file' },
    },
  )
  async createUpload(
    // The headers are read by the tus server; they are parameters here for tsoa to document and check.
    @Header('Upload-Length') uploadLength: string,
    @Header('Upload-Metadata') uploadMetadata: string,
    @Request() req: ExpressRequest,
    @Header('Tus-Resumable') _tusResumable?: string,
  ): Promise<void> {
    await this.tus.handle(req, req.res as NonNullable<ExpressRequest['res']>);
  }

  /**
   * How much of an upload the server holds (tus core): `Upload-Offset` is where the next PATCH must start,
   * `Upload-Length` the declared size, `Upload-Expires` when an unfinished upload is removed. 404 once the upload
   * completed, was terminated or expired.
   * @summary Ask where to resume (tus)
   * @param upload_id The upload's id (its file id), from `Location`.
   * @param _tusResumable `1.0.0`
   */
  @Head('{upload_id}')
  @SuccessResponse<{ 'Upload-Offset': string; 'Upload-Length': string; 'Upload-Expires'?: string }>(200, 'The upload exists')
  @Response<void>(404, 'No such upload in progress')
  async uploadOffset(
    @Path() upload_id: FileId,
    @Request() req: ExpressRequest,
    @Header('Tus-Resumable') _tusResumable?: string,
  ): Promise<void> {
    await this.tus.handle(req, req.res as NonNullable<ExpressRequest['res']>);
  }

  /**
   * Appends ciphertext at `Upload-Offset`, which must be the upload's current offset (409 UPLOAD_OFFSET_MISMATCH
   * otherwise, or while another PATCH to it runs). The body (`Content-Type: application/offset+octet-stream`) may
   * stop anywhere: what arrived is kept, and HEAD tells where to go on. It must keep UPLOAD_MIN_RATE after
   * UPLOAD_RATE_GRACE (408 UPLOAD_TOO_SLOW; the upload stays resumable) and may not pass `Upload-Length` (413).
   * The PATCH that completes the upload makes it a file and answers 200 with the body of `POST /upload_file`
   * (and `Sealroom-File-Id`); the others answer 204 with the new `Upload-Offset`.
   * @summary Send more of a resumable upload (tus)
   * @param upload_id The upload's id (its file id).
   * @param uploadOffset Where these bytes start: the offset HEAD reported.
   * @pattern uploadOffset ^\d{1,16}$
   * @param contentType `application/offset+octet-stream`
   * @param _tusResumable `1.0.0`
   */
  @Patch('{upload_id}')
  @SuccessResponse<{ 'Upload-Offset': string }>(204, 'Bytes stored; `Upload-Offset` is the new offset')
  @Response<UploadResponse, { 'Upload-Offset': string; 'Sealroom-File-Id': string }>(
    200,
    'The upload is complete and is now a file',
    uploadExample,
  )
  @Example<UploadResponse>(uploadExample)
  @Response<ErrorBody>(404, 'No such upload in progress (completed, terminated or expired)', {
    error: { code: 'FILE_NOT_FOUND', message: 'The file for this url was not found' },
  })
  @Response<ErrorBody>(408, 'The body went slower than UPLOAD_MIN_RATE', {
    error: { code: 'UPLOAD_TOO_SLOW', message: 'The upload fell below 10240 bytes per second' },
  })
  @Response<ErrorBody>(409, "Upload-Offset is not the upload's offset, or another PATCH to it is under way", {
    error: { code: 'UPLOAD_OFFSET_MISMATCH', message: 'Upload-Offset conflict' },
  })
  @Response<ErrorBody>(413, 'More bytes than Upload-Length', { error: { code: 'FILE_TOO_LARGE', message: 'Maximum size exceeded' } })
  @Response<ErrorBody>(415, 'Content-Type is not application/offset+octet-stream', {
    error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Invalid or missing Content-Type header' },
  })
  async appendUpload(
    @Path() upload_id: FileId,
    @Header('Upload-Offset') uploadOffset: string,
    @Header('Content-Type') contentType: string,
    @Request() req: ExpressRequest,
    @Header('Tus-Resumable') _tusResumable?: string,
  ): Promise<void> {
    await this.tus.handle(req, req.res as NonNullable<ExpressRequest['res']>);
  }

  /**
   * Abandons an upload in progress (tus termination): its bytes are removed and its reservation given back.
   * @summary Abandon a resumable upload (tus)
   * @param upload_id The upload's id (its file id).
   * @param _tusResumable `1.0.0`
   */
  @Delete('{upload_id}')
  @SuccessResponse(204, 'Upload removed')
  @Response<ErrorBody>(404, 'No such upload in progress', {
    error: { code: 'FILE_NOT_FOUND', message: 'The file for this url was not found' },
  })
  async terminateUpload(
    @Path() upload_id: FileId,
    @Request() req: ExpressRequest,
    @Header('Tus-Resumable') _tusResumable?: string,
  ): Promise<void> {
    await this.tus.handle(req, req.res as NonNullable<ExpressRequest['res']>);
  }
}
