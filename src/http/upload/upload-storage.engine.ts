import { PassThrough, type Readable } from 'node:stream';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { AppError, type ErrorCode, fieldError, isAppError } from '../../errors';
import { PROTOCOL } from '../../config';
import { isBase64Url, isId } from '../../ids';
import type { FileService } from '../../services/file.service';
import { parseFileInfo } from '../../services/file.service';
import { PROOF_PATTERN } from '../../services/proof';
import { unsupportedVersion } from '../protocol-version';
import { clientKey } from '../client-key';
import { sendError } from '../error-handler';

/**
 * Refusals answered at once, while the client may still be sending: multer answers an error only once the
 * body has ended, and a client that trickles its body (the very client these limits are for) would hold the
 * connection until the idle timeout. The connection is closed after the answer; the rest of the body is not read.
 */
const ANSWER_AT_ONCE = new Set<ErrorCode>(['IP_QUOTA_EXCEEDED', 'ROOM_QUOTA_EXCEEDED', 'TOO_MANY_UPLOADS', 'UPLOAD_TOO_SLOW']);

function answerAtOnce(req: Request, err: unknown): void {
  const res = req.res;
  if (!isAppError(err) || !ANSWER_AT_ONCE.has(err.code) || !res || res.headersSent) return;
  res.setHeader('Connection', 'close');
  sendError(res, err);
}

/** What the storage engine hands to the controller for the one file part. */
export interface ReceivedUpload {
  fileId: string;
  size: number;
}

export type MulterFile = Express.Multer.File & Partial<ReceivedUpload>;

/**
 * A multer storage engine that streams the one `file` part straight to the blob store. The form's fields
 * come first, so the room proof is checked and the declared size reserved in the quota before a single
 * byte of the file is accepted; the bytes then go to a temporary file that becomes the blob only when the
 * declared size arrived exactly. Any failure gives the reservation back and removes what was written.
 */
export class UploadStorage implements StorageEngine {
  constructor(private readonly files: FileService) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<Express.Multer.File> & ReceivedUpload) => void,
  ): void {
    this.store(req, file).then(
      (info) => cb(null, { ...info, path: info.fileId }),
      (err) => {
        file.stream.resume(); // discard the rest of the part; the request is answered with the error
        cb(err);
      },
    );
  }

  _removeFile(_req: Request, file: MulterFile, cb: (error: Error | null) => void): void {
    if (!file.fileId) return cb(null);
    this.files.abort(file.fileId).then(() => cb(null), cb);
  }

  private async store(req: Request, file: Express.Multer.File): Promise<ReceivedUpload> {
    if (file.fieldname !== 'file') {
      throw new AppError('MALFORMED_UPLOAD', `Unexpected file part "${file.fieldname}"; the ciphertext goes in the part named "file"`);
    }
    const fields = readUploadFields(req.body as Record<string, unknown>);
    const fileId = await this.files.reserve({ ...fields, clientKey: clientKey(req) }).catch((e: unknown) => {
      answerAtOnce(req, e);
      throw e;
    });
    // Whatever happens next (a later field fails validation, the client vanishes), an upload that is not
    // completed by the time the response ends is given back. After completion this does nothing. The
    // response may already be over (a truncated body answered while the reservation was being made).
    const res = req.res;
    if (!res || res.writableFinished || res.destroyed) {
      await this.files.abort(fileId);
      throw new AppError('MALFORMED_UPLOAD', 'The request ended before the upload was complete');
    }
    res.once('close', () => void this.files.abort(fileId).catch(() => undefined));
    try {
      await this.files.receive(fileId, shielded(file.stream), fields.size);
    } catch (e) {
      await this.files.abort(fileId);
      answerAtOnce(req, e);
      throw e;
    }
    return { fileId, size: fields.size };
  }
}

/**
 * The part's bytes behind a stream of their own. The blob store's pipeline destroys its source with the error that
 * stopped it (the disk filling up, a slow client cut); had that source been multer's, multer would answer the error
 * at once, before the reservation is given back and the temporary file removed. A client that breaks off still
 * reaches the store.
 */
function shielded(part: Readable): Readable {
  const body = new PassThrough({ highWaterMark: part.readableHighWaterMark });
  part.once('error', (e) => body.destroy(e));
  return part.pipe(body);
}

/**
 * The fields that must arrive before the file part, because they decide whether to accept its bytes (a
 * resumable upload's Upload-Metadata carries the same ones: `where` names them in errors).
 */
export function readUploadFields(
  body: Record<string, unknown>,
  where: 'body' | 'metadata' = 'body',
): { roomId: string; proof: string; size: number; downloadKey: string } {
  // The version first: a v1 client hears that it must update, not which v2 field it lacks.
  if (body.protocol !== PROTOCOL) throw unsupportedVersion();
  const missing = ['room_id', 'proof', 'size', 'download_key'].filter((name) => typeof body[name] !== 'string');
  if (missing.length > 0) {
    const message = where === 'body' ? 'is required and must come before the file part' : 'is required';
    throw new AppError(
      'MALFORMED_UPLOAD',
      `The fields ${missing.join(', ')} must be sent ${where === 'body' ? 'before the file part' : 'in Upload-Metadata'}`,
      {
        details: missing.map((name) => ({ field: `${where}.${name}`, message })),
      },
    );
  }
  if (!isId(body.room_id)) throw fieldError(`${where}.room_id`, 'must be 6-36 characters of A-Z, a-z, 0-9, "_" and "-"');
  if (!PROOF_PATTERN.test(String(body.proof))) throw fieldError(`${where}.proof`, 'must be "<unix seconds>.<base64url HMAC>"');
  const size = strictInteger(body.size);
  if (size === null || size < 0) throw fieldError(`${where}.size`, 'must be a non-negative integer (the ciphertext size in bytes)');
  if (!isBase64Url(body.download_key, 32)) throw fieldError(`${where}.download_key`, 'must be 32 bytes in base64url without padding');
  // Sent before the file part, the sealed file info is checked before the bytes are accepted too.
  if (typeof body.file_info === 'string' && body.file_info !== '') parseFileInfo(body.file_info, where);
  return { roomId: String(body.room_id), proof: String(body.proof), size, downloadKey: String(body.download_key) };
}

function strictInteger(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}
