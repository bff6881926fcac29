import type { RequestHandler } from 'express';
import type { LimitName } from '../services/rate-limit.service';
import type { Services } from '../services/services';
import { clientKey } from './client-key';

/** Takes one point of `name` for the caller's IP before the handler runs; 429 RATE_LIMITED when none are left. */
export function rateLimit(name: LimitName): RequestHandler {
  return (req, _res, next) => {
    const { limits } = req.app.locals.services as Services;
    limits.consume(name, clientKey(req)).then(() => next(), next);
  };
}
