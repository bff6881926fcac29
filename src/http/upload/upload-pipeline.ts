import type { ErrorRequestHandler, Express, Request } from 'express';
import multer from 'multer';
import type { Config } from '../../config';
import type { FileService } from '../../services/file.service';
import type { RateLimitService } from '../../services/rate-limit.service';
import { uploadPreflight } from './upload-preflight.middleware';
import { UploadStorage, type MulterFile } from './upload-storage.engine';

/**
 * `POST /upload_file`, in the order its steps run:
 *   1. the preflight (upload-preflight.middleware.ts) refuses what cannot succeed before a byte of the body is
 *      read: uploads off, not multipart, a Content-Length over the limit or over the space left, a rate limit;
 *   2. multer parses the form with our storage engine (upload-storage.engine.ts): the fields before the file
 *      part are checked, the room proof verified and the declared size reserved in the quota (FileService),
 *      then the ciphertext streams to a temporary file;
 *   3. tsoa's route calls FileController.uploadFile, which completes the upload;
 *   4. on any error, what the request received is given back before the error is answered.
 *
 * Step 1 is mounted here, before tsoa's routes, because tsoa puts multer first in the route's own chain:
 * a middleware declared on the controller would only run after multer had started reading the body. Step 4
 * is mounted after them and before the app's error handler. Returns the multer instance for RegisterRoutes.
 */
export function mountUploadPipeline(app: Express, files: FileService, limits: RateLimitService, config: Pick<Config, 'uploadLimitBytes'>) {
  app.post('/upload_file', uploadPreflight(files, limits, config));
  return multer({
    storage: new UploadStorage(files),
    // One file part and a handful of small fields (the largest, file_info, under 6 KiB); nothing is buffered.
    limits: { files: 1, fields: 12, fieldSize: 6 * 1024, fieldNameSize: 64, parts: 13, fileSize: Math.max(config.uploadLimitBytes, 1) },
  });
}

/** Step 4: mount after tsoa's routes. A refused upload has left nothing behind by the time its client hears of it. */
export function discardRefusedUploads(files: FileService): ErrorRequestHandler {
  return (err, req, _res, next) => {
    discardReceivedUploads(req, files)
      .catch((cleanupErr: unknown) => req.log?.warn({ err: cleanupErr }, 'could not discard a refused upload; the sweeper will'))
      .finally(() => next(err));
  };
}

async function discardReceivedUploads(req: Request, files: FileService): Promise<void> {
  const received = Object.values((req.files ?? {}) as Record<string, MulterFile[]>).flat();
  await Promise.all(received.filter((f) => f.fileId).map((f) => files.abort(f.fileId as string)));
}
