import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { MulterError } from 'multer';
import { ValidateError } from '@tsoa/runtime';
import { isDatabaseDown } from '../db/db-errors';
import { AppError, type ErrorBody } from '../errors';
import { isRedisDown } from '../redis/redis-connection';

/** Turns anything thrown on the way into `{error: {code, message}}` with the right status; no stack traces. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err, req);
  if (appError.code === 'INTERNAL') req.log?.error({ err }, 'unhandled error');
  if (res.headersSent) {
    // The body is already on its way (a download that failed half-way): all we can do is cut it off.
    res.destroy();
    return;
  }
  sendError(res, appError);
};

/** Unknown paths get the same error shape as everything else. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

export function sendError(res: Response, e: AppError): void {
  for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
  if (e.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(e.retryAfterSeconds));
  const body: ErrorBody = { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
  res.status(e.status).json(body);
}

/** Maps what a handler or middleware threw to the error the client is told; `req` tells a client's reset from the database's. */
export function toAppError(err: unknown, req: Request): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ValidateError) {
    const details = Object.entries(err.fields).map(([field, { message }]) => ({ field: tidyField(field), message }));
    const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return new AppError('VALIDATION_FAILED', `Invalid request: ${summary}`, { details });
  }
  if (err instanceof MulterError) return fromMulter(err);
  const status = (err as { status?: number; type?: string }).status;
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return new AppError('MALFORMED_JSON', 'The request body is not valid JSON');
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body encoding is not supported');
  }
  if (isBusboyError(err)) return new AppError('MALFORMED_UPLOAD', `The multipart body is malformed: ${(err as Error).message}`);
  // ECONNRESET names the client's connection or the database's, and only the request can tell which.
  if (isDatabaseDown(err) && !requestGone(req)) return new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable; retry shortly');
  if (isClientGone(err)) return new AppError('MALFORMED_UPLOAD', 'The request ended before the upload was complete');
  // Redis is in a request's path only in a cluster, for the lock of a resumable upload (rate limits fall back).
  if (isRedisDown(err) && !requestGone(req)) {
    return new AppError('SERVICE_UNAVAILABLE', 'The cluster store (Redis) is unavailable; retry shortly');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('VALIDATION_FAILED', (err as Error).message || 'Bad request');
  }
  const fsCode = (err as NodeJS.ErrnoException).code;
  if (fsCode === 'ENOSPC' || fsCode === 'EDQUOT') return new AppError('STORAGE_FULL', 'The server disk is full; try again later');
  return new AppError('INTERNAL', 'Something went wrong on the server');
}

function fromMulter(err: MulterError): AppError {
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return new AppError('FILE_TOO_LARGE', 'The file is larger than this server accepts');
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
      return new AppError('MALFORMED_UPLOAD', 'Send exactly one file part, named "file"');
    default:
      return new AppError('MALFORMED_UPLOAD', `The multipart body is not acceptable: ${err.message}`);
  }
}

/** tsoa names fields like `body.room_id` or `room_id`; keep them as the client sent them. */
const tidyField = (field: string) => field.replace(/^requestBody\./, 'body.');

const isBusboyError = (err: unknown) =>
  err instanceof Error &&
  /Unexpected end of form|Malformed part header|Multipart: Boundary not found|Unexpected end of file/i.test(err.message);

const isClientGone = (err: unknown) => err instanceof Error && /Request (aborted|closed)|aborted|ECONNRESET/.test(err.message);

/**
 * The client has gone: its request was cut short or its connection closed. (`req.destroyed` says nothing:
 * a body that was read to the end is destroyed too.)
 */
const requestGone = (req: Request) => req.readableAborted || req.socket?.destroyed === true;
