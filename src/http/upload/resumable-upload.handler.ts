import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, RequestHandler, Response } from 'express';
import { EVENTS, Metadata, type Locker, type Upload } from '@tus/utils';
import { MemoryLocker, Server as TusServer } from '@tus/server';
import type { Config } from '../../config';
import { toUploadResponse } from '../../controllers/file.dto';
import { AppError, type ErrorBody, type ErrorCode, fieldError, isAppError } from '../../errors';
import { randomId } from '../../ids';
import { originPolicy } from '../../origin-policy';
import type { FileService } from '../../services/file.service';
import type { RateLimitService } from '../../services/rate-limit.service';
import type { ResumableUploadService } from '../../services/resumable-upload.service';
import type { ResumableUploadStore } from '../../storage/resumable-upload-store';
import { clientKey } from '../client-key';
import { toAppError } from '../error-handler';
import { readUploadFields } from './upload-storage.engine';

/** Where resumable uploads live: `POST /uploads` creates one, `/uploads/{id}` resumes (HEAD, PATCH) or ends (DELETE) it. */
export const RESUMABLE_PATH = '/uploads';

/** The Upload-Metadata keys a creation request carries: the upload form's fields, same names, same rules. */
const METADATA_KEYS = ['protocol', 'room_id', 'proof', 'download_key', 'file_info', 'max_downloads', 'expires_in'] as const;
/** What the upload keeps on disk for its completion: the proof and the download key are used up at creation. */
const KEPT_KEYS = ['file_info', 'max_downloads', 'expires_in'] as const;

/** tus's own refusals, by status, as this API's codes (the status stays tus's: tus clients act on it). */
const TUS_CODES: Record<number, ErrorCode> = {
  400: 'MALFORMED_UPLOAD',
  403: 'MALFORMED_UPLOAD',
  404: 'FILE_NOT_FOUND',
  409: 'UPLOAD_OFFSET_MISMATCH',
  410: 'FILE_NOT_FOUND',
  412: 'UNSUPPORTED_VERSION',
  413: 'FILE_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  423: 'UPLOAD_OFFSET_MISMATCH',
  460: 'SIZE_MISMATCH',
};

export interface ResumableUploads {
  /** Runs one tus request (POST, HEAD, PATCH, DELETE, OPTIONS) to its end. */
  handle(req: Request, res: Response): Promise<void>;
}

/**
 * The tus 1.0 server (core, creation, creation-with-upload, termination, expiration) behind `/uploads`, with this
 * API's rules: the creation request is refused, with the same codes as `POST /upload_file` and before a byte is
 * stored, for a bad or expired proof, a length over the limit, a full quota or share, too many uploads in
 * progress; every error is `{error: {code, message}}`; the request that completes an upload is answered with the
 * same JSON as `POST /upload_file`.
 */
export function createResumableUploads(
  uploads: ResumableUploadService,
  store: ResumableUploadStore,
  config: Pick<Config, 'uploadLimitBytes' | 'publicUrl' | 'corsOrigins'>,
  /** Who may write an upload: tus's in-memory lock on one node, a Redis lock across a cluster. */
  locker?: Locker,
): ResumableUploads {
  const allowedOrigin = originPolicy(config);
  const creationLocker = new MemoryLocker();
  const tus = new TusServer({
    path: RESUMABLE_PATH,
    datastore: store,
    // A creation's id was made by this node a moment ago and no one else knows it yet: its lock stays in this
    // process, so that creating an upload never needs Redis (nor leaves a reservation behind when Redis is away).
    ...(locker && { locker: (req: { method: string }) => (req.method === 'POST' ? creationLocker : locker) }),
    maxSize: Math.max(config.uploadLimitBytes, 1),
    // Relative to the creation URL, so that a path prefix in front of the server (BASE_URL) is kept.
    generateUrl: (_req, { id }) => `uploads/${id}`,
    allowedOrigins: (origin) => allowedOrigin(origin),
    // The upload id is the file id: a client that lost the last response still knows its file.
    namingFunction: () => randomId(),
    onUploadCreate: async (req, upload) => {
      const node = nodeRequest(req);
      const meta = readMetadata(upload);
      if (upload.size === undefined) throw new AppError('MALFORMED_UPLOAD', 'Send Upload-Length: the exact ciphertext size');
      const fields = readUploadFields({ ...meta, size: String(upload.size) }, 'metadata');
      readCompletion(meta);
      await uploads.create({ ...fields, fileId: upload.id, clientKey: clientKey(node) });
      const kept: Record<string, string | null> = {};
      for (const key of KEPT_KEYS) if (meta[key]) kept[key] = meta[key];
      return { metadata: kept };
    },
    onUploadFinish: async (req, upload) => {
      const meta = readMetadata(upload);
      const stored = await uploads.finish(upload.id, upload.size ?? upload.offset, readCompletion(meta));
      const body = toUploadResponse(stored, config.publicUrl);
      // tus asks for 204 on PATCH, but its clients take any 2xx and hand the body to the application.
      return {
        status_code: req.method === 'POST' ? 201 : 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Sealroom-File-Id': stored.fileId },
        body: JSON.stringify(body),
      };
    },
    onResponseError: (req, err) => {
      const e = asAppError(err, nodeRequest(req));
      const status = isAppError(err) || !('status_code' in err) ? e.status : err.status_code;
      const body: ErrorBody = { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
      return { status_code: status, body: JSON.stringify(body) };
    },
  });
  // The store failed to create an upload that was reserved: give the reservation back at once.
  const create = store.create.bind(store);
  store.create = async (upload: Upload) =>
    create(upload).catch(async (e: unknown) => {
      await uploads.createFailed(upload.id);
      throw e;
    });
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, id: string) => {
    uploads.terminated(id).catch(() => undefined); // the sweeper reclaims it otherwise
  });

  return {
    async handle(req, res) {
      answerJsonErrors(res);
      await tus.handle(req as IncomingMessage, res as ServerResponse);
    },
  };
}

/**
 * The checks of `POST /uploads` that need no database: uploads on, the tus version, a length under the limit
 * and the space left; then the upload counts against the caller's upload and look-up rate limits (it tells
 * whether its room exists). Mounted before the route, like the form upload's preflight.
 */
export function resumablePreflight(files: FileService, limits: RateLimitService): RequestHandler {
  return (req, res, next) => {
    const refuse = (e: unknown) => {
      res.setHeader('Connection', 'close');
      next(e);
    };
    try {
      const length = req.headers['upload-length'];
      if (req.headers['upload-defer-length'] !== undefined || typeof length !== 'string' || !/^\d{1,16}$/.test(length)) {
        throw new AppError('MALFORMED_UPLOAD', 'Send Upload-Length: the exact ciphertext size (deferred lengths are not supported)');
      }
      files.checkUploadAllowed(Number(length));
      const key = clientKey(req);
      limits
        .consume('upload', key)
        .then(() => limits.consume('lookup', key))
        .then(() => files.checkSpaceFor(Number(length)))
        .then(() => next(), refuse);
    } catch (e) {
      refuse(e);
    }
  };
}

/**
 * What tus would refuse in plain text before any of its hooks run (no or another Tus-Resumable, a PATCH body of
 * another type, malformed metadata) is refused here as JSON, like every other error.
 */
const tusHeaders: RequestHandler = (req, res, next) => {
  if (req.method === 'OPTIONS') return next();
  if (req.headers['tus-resumable'] !== '1.0.0') {
    res.setHeader('Tus-Version', '1.0.0');
    const body: ErrorBody = {
      error: { code: 'UNSUPPORTED_VERSION', message: 'Resumable uploads speak tus 1.0: send Tus-Resumable: 1.0.0' },
    };
    res.status(412).json(body);
    return;
  }
  if (req.method === 'PATCH' && req.headers['content-type'] !== 'application/offset+octet-stream') {
    return next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'A PATCH body must be Content-Type: application/offset+octet-stream'));
  }
  const metadata = req.headers['upload-metadata'];
  if (req.method === 'POST' && typeof metadata === 'string') {
    try {
      Metadata.parse(metadata);
    } catch {
      return next(new AppError('MALFORMED_UPLOAD', 'Upload-Metadata must be comma-separated "key base64(value)" pairs'));
    }
  }
  next();
};

/** Mounts the checks before tsoa's routes, and the tus method tsoa has no decorator for (the CORS preflight). */
export function mountResumableUploads(app: Express, files: FileService, limits: RateLimitService, resumable: ResumableUploads): void {
  app.use(RESUMABLE_PATH, tusHeaders);
  app.post(RESUMABLE_PATH, resumablePreflight(files, limits));
  app.options([RESUMABLE_PATH, `${RESUMABLE_PATH}/:id`], (req, res, next) => void resumable.handle(req, res).catch(next));
}

function nodeRequest(req: { runtime?: { node?: { req: unknown } } }): Request {
  return req.runtime?.node?.req as Request;
}

function readMetadata(upload: Upload): Partial<Record<(typeof METADATA_KEYS)[number], string>> {
  const meta: Partial<Record<(typeof METADATA_KEYS)[number], string>> = {};
  for (const key of METADATA_KEYS) {
    const value = upload.metadata?.[key];
    if (typeof value === 'string') meta[key] = value;
  }
  return meta;
}

/** The completion options of the form (max_downloads, expires_in, file_info), checked at creation already. */
function readCompletion(meta: ReturnType<typeof readMetadata>) {
  const { max_downloads: max, expires_in: expires, file_info: info } = meta;
  if (max && !/^([1-9]\d{0,2}|1000)$/.test(max)) throw fieldError('metadata.max_downloads', 'must be a whole number from 1 to 1000');
  if (expires && !/^[1-9]\d{0,9}$/.test(expires)) throw fieldError('metadata.expires_in', 'must be a whole number of seconds');
  return { maxDownloads: max ? Number(max) : null, expiresInSeconds: expires ? Number(expires) : null, fileInfo: info || null };
}

function asAppError(err: Error | { status_code: number; body: string }, req: Request): AppError {
  if (isAppError(err)) return err;
  if ('status_code' in err && typeof err.status_code === 'number') {
    const code = TUS_CODES[err.status_code] ?? (err.status_code >= 500 ? 'INTERNAL' : 'MALFORMED_UPLOAD');
    return new AppError(code, String(err.body).trim() || 'The upload request was refused');
  }
  return toAppError(err, req);
}

/**
 * tus writes its answers as text; this API's errors are JSON everywhere (their bodies are made JSON by
 * onResponseError above), so an error's Content-Type says so.
 */
function answerJsonErrors(res: Response): void {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  (res as { writeHead: unknown }).writeHead = (status: number, ...rest: unknown[]) => {
    if (status >= 400) {
      const raw = rest.find(Array.isArray) as string[] | undefined;
      if (raw) {
        for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === 'content-type') raw[i + 1] = 'application/json; charset=utf-8';
        if (!raw.some((v, i) => i % 2 === 0 && v.toLowerCase() === 'content-type'))
          raw.push('Content-Type', 'application/json; charset=utf-8');
      }
    }
    return writeHead(status, ...rest);
  };
}
