import type { RequestHandler } from 'express';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import type { FileService } from '../../services/file.service';
import type { RateLimitService } from '../../services/rate-limit.service';
import { clientKey } from '../client-key';

/** Room for the form's small fields and multipart boundaries on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Runs before multer reads a byte of an upload: refuses what cannot succeed (uploads off, not multipart, a
 * Content-Length over the limit or over the space left in the quota) and counts the upload against the
 * caller's rate limit. A refused upload is answered at once and its connection closed, rather than reading
 * a body that would be thrown away (once multer has started, it reads the whole body before answering).
 */
export const uploadPreflight =
  (files: FileService, limits: RateLimitService, config: Pick<Config, 'uploadLimitBytes'>): RequestHandler =>
  (req, res, next) => {
    const refuse = (e: AppError) => {
      res.setHeader('Connection', 'close');
      next(e);
    };
    try {
      files.checkUploadAllowed();
    } catch (e) {
      return refuse(e as AppError);
    }
    if (!req.is('multipart/form-data')) {
      return refuse(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Uploads must be multipart/form-data'));
    }
    const contentLength = Number(req.headers['content-length']);
    if (Number.isFinite(contentLength) && contentLength > config.uploadLimitBytes + MULTIPART_OVERHEAD_BYTES) {
      return refuse(new AppError('FILE_TOO_LARGE', `Files may be at most ${config.uploadLimitBytes} bytes`));
    }
    // The file is at least the body minus the form's fields and boundaries.
    const minFileBytes = Number.isFinite(contentLength) ? Math.max(0, contentLength - MULTIPART_OVERHEAD_BYTES) : 0;
    const key = clientKey(req);
    limits
      .consume('upload', key)
      // An upload answers whether its room exists (ROOM_NOT_FOUND or not): it counts as a look-up too.
      .then(() => limits.consume('lookup', key))
      .then(() => (minFileBytes > 0 ? files.checkSpaceFor(minFileBytes) : undefined))
      .then(() => next(), refuse);
  };
