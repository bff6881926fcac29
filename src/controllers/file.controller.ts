import type { Request as ExpressRequest } from 'express';
import {
  Controller,
  Example,
  FormField,
  Get,
  Head,
  Query,
  Request,
  Response,
  Route,
  SuccessResponse,
  Tags,
  UploadedFile,
  Post,
  Header,
} from '@tsoa/runtime';
import type { Readable } from 'node:stream';
import type { Config } from '../config';
import { AppError, type ErrorBody } from '../errors';
import type { ReceivedUpload } from '../http/upload/upload-storage.engine';
import type { Download, FileService } from '../services/file.service';
import { clientKey } from '../http/client-key';
import { databaseDown, headersTooLarge, type DownloadProof, type DownloadToken, type FileId } from './common.dto';
import { fileInfoExample, toUploadResponse, uploadExample, type FileInfoResponse, type UploadResponse } from './file.dto';

const proofRequired: ErrorBody = {
  error: {
    code: 'DOWNLOAD_PROOF_REQUIRED',
    message: 'Downloading needs X-Download-Proof (made with the file key) or X-Download-Token; the file id alone is not enough',
  },
};
const proofRefused: ErrorBody = { error: { code: 'PROOF_INVALID', message: 'The download proof is not valid for this file' } };

const notFound: ErrorBody = {
  error: { code: 'FILE_NOT_FOUND', message: 'No such file (it may have expired, been deleted or reached its download limit)' },
};

/** Encrypted files. The server stores and serves ciphertext; names, types and keys travel sealed in the room. */
@Route('')
@Response<ErrorBody>(431, 'The request line and headers exceed 16 KiB (refused before any route runs)', headersTooLarge)
@Tags('Files')
export class FileController extends Controller {
  constructor(
    private readonly files: FileService,
    private readonly config: Pick<Config, 'publicUrl'>,
  ) {
    super();
  }

  /**
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
   * @summary Upload an encrypted file
   * @param protocol The wire protocol version: `sealroom/v2`. Send it first.
   * @pattern protocol ^sealroom/v2$
   * @param room_id The room the file belongs to.
   * @pattern room_id ^[A-Za-z0-9_-]{6,36}$
   * @param proof A room proof for `upload`: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v2|upload|<room_id>|<ts>")>`.
   * @pattern proof ^\d{1,12}\.[A-Za-z0-9_-]{43}$
   * @param size The exact ciphertext size in bytes, at most the server's upload limit (see `/config`).
   * @pattern size ^\d{1,16}$
   * @param download_key The file's download key `dk` = HKDF-SHA256(file key, info "sealroom/v2 file download"), 32 bytes base64url. Downloads must carry a proof made with it; the server cannot derive the file key from it. Before the file part.
   * @pattern download_key ^[A-Za-z0-9_-]{43}$
   * @param file_info Optional: `{name, type, size}` sealed with the file's `fm` key, as the JSON text `{"iv":"...","ct":"..."}` (ct at most 5500 characters); returned by `/file_info` so that a file link describes itself. Leave empty for none.
   * @param max_downloads Delete the file after this many downloads (1-1000); leave out, or send empty (as forms do), for no limit.
   * @pattern max_downloads ^([1-9]\d{0,2}|1000)?$
   * @param expires_in Delete the file this many seconds after the upload completes (1 to the server's file age limit, `file_age_ms` / 1000 in `/config`); leave out, or send empty, for the server's file age limit.
   * @pattern expires_in ^([1-9]\d{0,9})?$
   * @param file The ciphertext.
   */
  @Post('upload_file')
  @SuccessResponse(201, 'File stored')
  @Example<UploadResponse>(uploadExample)
  @Response<ErrorBody>(
    400,
    'No `protocol: sealroom/v2` before the file part (UNSUPPORTED_VERSION); a field is missing, malformed or after the file part; `expires_in` is over the file age limit; no file part or two; the file differs from its declared size',
    {
      error: { code: 'SIZE_MISMATCH', message: 'The file part has 1000 bytes but 1048848 were declared' },
    },
  )
  @Response<ErrorBody>(
    403,
    'The proof is invalid or expired (PROOF_INVALID, PROOF_EXPIRED), uploads are off (UPLOADS_DISABLED), or the request came from a web page of another origin (ORIGIN_NOT_ALLOWED)',
    {
      error: { code: 'PROOF_INVALID', message: 'The room proof is not valid for upload in this room' },
    },
  )
  @Response<ErrorBody>(404, 'No such room, or it was deleted during the upload', {
    error: { code: 'ROOM_NOT_FOUND', message: 'No such room (it may have expired or been deleted)' },
  })
  @Response<ErrorBody>(408, 'The upload went slower than UPLOAD_MIN_RATE after UPLOAD_RATE_GRACE; its reservation was given back', {
    error: { code: 'UPLOAD_TOO_SLOW', message: 'The upload fell below 10240 bytes per second; its reservation was given back' },
  })
  @Response<ErrorBody>(413, 'The file is larger than UPLOAD_SIZE_LIMIT', {
    error: { code: 'FILE_TOO_LARGE', message: 'Files may be at most 104857600 bytes' },
  })
  @Response<ErrorBody>(415, 'The body is not multipart/form-data', {
    error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Uploads must be multipart/form-data' },
  })
  @Response<ErrorBody>(
    429,
    'Too many uploads started, room look-ups or failed proofs from this address (RATE_LIMITED), or too many uploads in progress from this address or into this room (TOO_MANY_UPLOADS)',
    {
      error: { code: 'RATE_LIMITED', message: 'Too many requests; retry in 20 s' },
    },
  )
  @Response<ErrorBody>(503, 'The database is unavailable', databaseDown)
  @Response<ErrorBody>(
    507,
    "The storage quota (FOLDER_SIZE_LIMIT) or the disk is full (STORAGE_FULL), or this address's (IP_QUOTA_EXCEEDED) or this room's (ROOM_QUOTA_EXCEEDED) share of it is",
    {
      error: { code: 'STORAGE_FULL', message: 'The server has no room for this file now; try again later or send a smaller file' },
    },
  )
  async uploadFile(
    @FormField() protocol: string,
    @FormField() room_id: string,
    @FormField() proof: string,
    @FormField() size: string,
    @FormField() download_key: string,
    @UploadedFile() file: Express.Multer.File,
    @FormField() file_info?: string,
    @FormField() max_downloads?: string,
    @FormField() expires_in?: string,
  ): Promise<UploadResponse> {
    // The storage engine already checked the fields, reserved the quota and wrote the bytes (see UploadStorage).
    const { fileId } = (file ?? {}) as Partial<ReceivedUpload>;
    if (!fileId) throw new AppError('MALFORMED_UPLOAD', 'The form has no file part; send the ciphertext in a part named "file"');
    const stored = await this.files.complete(fileId, {
      maxDownloads: max_downloads ? Number(max_downloads) : null,
      expiresInSeconds: expires_in ? Number(expires_in) : null,
      fileInfo: file_info ? file_info : null,
    });
    this.setStatus(201);
    return toUploadResponse(stored, this.config.publicUrl);
  }

  /**
   * What the holder of a file's key may know before downloading it: its size, expiry, download limit, downloads
   * left and the sealed file info its uploader attached. Needs a download proof; never counts as a download.
   * @summary Describe a file (key holders only)
   * @param filename The file id.
   * @param downloadProof `<unix seconds>.<base64url HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")>`, accepted from 110 s before to 10 s after the server's clock.
   */
  @Get('file_info')
  @Example<FileInfoResponse>(fileInfoExample)
  @Response<ErrorBody>(400, 'Malformed file id or proof', {
    error: { code: 'VALIDATION_FAILED', message: "Invalid request: filename: Not match in '^[A-Za-z0-9_-]{6,36}$'" },
  })
  @Response<ErrorBody>(401, 'No download proof', proofRequired)
  @Response<ErrorBody>(403, "The download proof is not made with this file's key, or is outside the window (PROOF_EXPIRED)", proofRefused)
  @Response<ErrorBody>(404, 'No such file, or it expired or reached its download limit', notFound)
  @Response<ErrorBody>(429, 'Too many failed proofs from this address', {
    error: { code: 'RATE_LIMITED', message: 'Too many failed attempts; retry in 30 s' },
  })
  @Response<ErrorBody>(503, 'The database is unavailable', databaseDown)
  async fileInfo(
    @Query() filename: FileId,
    @Request() req: ExpressRequest,
    @Header('x-download-proof') downloadProof?: DownloadProof,
  ): Promise<FileInfoResponse> {
    const file = await this.files.describeFor(filename, { proof: downloadProof, clientKey: clientKey(req) });
    return {
      file_id: file.fileId,
      size: file.size,
      expires_at: file.expiresAt,
      max_downloads: file.maxDownloads,
      downloads_left: file.maxDownloads === null ? null : Math.max(0, file.maxDownloads - file.downloads),
      file_info: file.fileInfo,
    };
  }

  /**
   * The download's headers without its body: size, ETag and expiry. Needs `X-Download-Proof` or
   * `X-Download-Token` like a download; never counts as a download and issues no token.
   * @summary Describe an encrypted file
   * @param filename The file id.
   * @param downloadProof A download proof (see `GET /get_file`).
   * @param downloadToken A download token from an earlier download (see `GET /get_file`).
   */
  @Head('get_file')
  @SuccessResponse(200, 'The file exists')
  @Response<void>(206, 'The range exists')
  @Response<void>(400, 'Malformed file id, proof or token')
  @Response<void>(401, 'No download proof and no download token')
  @Response<void>(403, 'The proof or token is not valid for this file, outside the window, or used up')
  @Response<void>(404, 'No such file')
  @Response<void>(416, 'The range lies outside the file')
  async headFile(
    @Query() filename: FileId,
    @Request() req: ExpressRequest,
    @Header('x-download-proof') downloadProof?: DownloadProof,
    @Header('x-download-token') downloadToken?: DownloadToken,
    @Header('range') range?: string,
    @Header('if-range') ifRange?: string,
  ): Promise<void> {
    const download = await this.files.download(filename, {
      range,
      ifRange,
      headOnly: true,
      proof: downloadProof,
      token: downloadToken,
      clientKey: clientKey(req),
    });
    this.describeDownload(download);
  }

  /**
   * Streams a file's ciphertext as an attachment. A download needs either
   * - `X-Download-Proof`, a fresh proof made with the file's download key: this starts a new download and counts
   *   it at once against `max_downloads` (refused with 404 once they are used up); the response carries
   *   `X-Download-Token`; or
   * - `X-Download-Token` from an earlier response, to continue or resume that download with `Range` requests:
   *   not counted again. A token is good for this file only, until the file expires, and for at most twice the
   *   file's size in bytes served (then 403 PROOF_EXPIRED).
   *
   * The file id alone downloads nothing (401 DOWNLOAD_PROOF_REQUIRED) and cannot use up the file's downloads.
   * Supports a single `Range` (with `If-Range`).
   * @summary Download an encrypted file
   * @param filename The file id.
   * @param downloadProof `<unix seconds>.<base64url HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")>`, accepted from 110 s before to 10 s after the server's clock. Starts a new, counted download.
   * @param downloadToken The `X-Download-Token` of an earlier response for this file: continues that download, not counted.
   * @param range Optional, e.g. `bytes=1024-`.
   * @param ifRange Optional ETag: honour `range` only while the file is this one.
   */
  @Get('get_file')
  @SuccessResponse<{ 'X-Download-Token'?: string }>(200, 'The ciphertext', 'application/octet-stream')
  @Response<Readable, { 'X-Download-Token'?: string }>(206, 'Part of the ciphertext (Range request)', undefined, 'application/octet-stream')
  @Response<ErrorBody>(
    400,
    'Malformed file id (for example a path), proof or token',
    { error: { code: 'VALIDATION_FAILED', message: "Invalid request: filename: Not match in '^[A-Za-z0-9_-]{6,36}$'" } },
    'application/json',
  )
  @Response<ErrorBody>(401, 'No download proof and no download token', proofRequired, 'application/json')
  @Response<ErrorBody>(
    403,
    "The proof is not made with this file's key (PROOF_INVALID) or outside the window (PROOF_EXPIRED); the token is unknown, for another file, expired or has served twice the file (PROOF_EXPIRED)",
    proofRefused,
    'application/json',
  )
  @Response<ErrorBody>(404, 'No such file, or it expired or reached its download limit', notFound, 'application/json')
  @Response<ErrorBody>(
    416,
    'The range lies outside the file',
    { error: { code: 'RANGE_NOT_SATISFIABLE', message: "The range bytes=9999- lies outside the file's 100 bytes" } },
    'application/json',
  )
  @Response<ErrorBody>(
    429,
    'Too many failed proofs from this address',
    { error: { code: 'RATE_LIMITED', message: 'Too many failed attempts; retry in 30 s' } },
    'application/json',
  )
  @Response<ErrorBody>(503, 'The database is unavailable', databaseDown, 'application/json')
  async getFile(
    @Query() filename: FileId,
    @Request() req: ExpressRequest,
    @Header('x-download-proof') downloadProof?: DownloadProof,
    @Header('x-download-token') downloadToken?: DownloadToken,
    @Header('range') range?: string,
    @Header('if-range') ifRange?: string,
  ): Promise<Readable> {
    const download = await this.files.download(filename, {
      range,
      ifRange,
      headOnly: false,
      proof: downloadProof,
      token: downloadToken,
      clientKey: clientKey(req),
    });
    this.describeDownload(download);
    if (download.token) this.setHeader('X-Download-Token', download.token);
    const body = download.body as Readable;
    // tsoa pipes the stream into the response; a client that goes away must not leave the file open, and a
    // storage that fails mid-file cuts the connection (the length is already sent) without taking the process.
    req.res?.once('close', () => body.destroy());
    body.once('error', (err) => req.log?.error({ err, fileId: filename }, 'could not read a stored file'));
    const sent = download.sent;
    if (sent) req.res?.once('finish', () => void sent().catch((err: unknown) => req.log?.warn({ err }, 'could not burn a spent file')));
    return body;
  }

  private describeDownload(d: Download): void {
    this.setStatus(d.partial ? 206 : 200);
    this.setHeader('Content-Type', 'application/octet-stream');
    this.setHeader('Content-Disposition', `attachment; filename="${d.file.fileId}.sealed"`);
    this.setHeader('Content-Length', String(d.length));
    this.setHeader('Accept-Ranges', 'bytes');
    this.setHeader('Cache-Control', 'no-store');
    this.setHeader('ETag', d.etag);
    this.setHeader('X-Sealroom-Expires-At', String(d.file.expiresAt));
    if (d.partial) this.setHeader('Content-Range', `bytes ${d.start}-${d.end}/${d.file.size}`);
  }
}
