import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { AppError } from '../errors';
import { ORIGIN_REFUSED, originPolicy } from '../origin-policy';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request (POST, DELETE, ...) that a browser sent for a page of another origin
 * with 403 ORIGIN_NOT_ALLOWED, before it can create rooms, start an upload or count a failed proof against
 * the victim's address. Reads (GET, HEAD) and CORS preflights pass; requests without Origin pass.
 */
export function checkOrigin(config: Pick<Config, 'publicUrl' | 'corsOrigins'>): RequestHandler {
  const allowed = originPolicy(config);
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || allowed(req.headers.origin)) return next();
    // An upload's body is not read: close the connection rather than drain it.
    if (req.method === 'POST' && req.path === '/upload_file') res.setHeader('Connection', 'close');
    next(new AppError('ORIGIN_NOT_ALLOWED', ORIGIN_REFUSED));
  };
}
