import type { RequestHandler } from 'express';
import { PROTOCOL } from '../config';
import { AppError } from '../errors';

/** What a request that does not speak this server's protocol (a v1 client, or none said) is answered. */
export const unsupportedVersion = () =>
  new AppError('UNSUPPORTED_VERSION', `This server speaks ${PROTOCOL} only (requests say "protocol": "${PROTOCOL}"); update your client`);

/**
 * Refuses a JSON body without `protocol: "sealroom/v2"` before tsoa validates the rest, so that a v1 client hears
 * UNSUPPORTED_VERSION rather than which v2 field it lacks. Mount before the route.
 */
export const requireProtocolInBody: RequestHandler = (req, _res, next) => {
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || body.protocol !== PROTOCOL) return next(unsupportedVersion());
  next();
};
