import type { Logger } from 'pino';
import { ACK_ERROR_CODES, type AckErrorCode, type ErrorAck } from '@sealroom/contracts';
import { isDatabaseDown } from '../db/db-errors';
import { AppError, type ErrorCode } from '../errors';
import { isRedisDown } from '../redis/redis-connection';

/** The codes asyncapi.yaml lets an acknowledgement carry (each must be one of the server's codes, or this fails to compile). */
const ACK_CODES = new Set<ErrorCode>(ACK_ERROR_CODES);

/** Turns what a handler threw into `{ok: false, error}`; unexpected errors are logged and become INTERNAL. */
export function errorAck(err: unknown, log: Logger): ErrorAck {
  let e: AppError;
  if (err instanceof AppError && ACK_CODES.has(err.code)) e = err;
  else if (isDatabaseDown(err)) e = new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable; retry shortly');
  else if (isRedisDown(err)) e = new AppError('SERVICE_UNAVAILABLE', 'The cluster store (Redis) is unavailable; retry shortly');
  else {
    log.error({ err }, 'socket handler failed');
    e = new AppError('INTERNAL', 'Something went wrong on the server');
  }
  return {
    ok: false,
    error: { code: e.code as AckErrorCode, message: e.message, ...(e.retryAfterSeconds ? { retry_after: e.retryAfterSeconds } : {}) },
  };
}

/** Runs a handler and acknowledges exactly once, with its result or its error. */
export function answer<R>(ack: (reply: R | ErrorAck) => void, log: Logger, work: () => Promise<R>): void {
  work().then(ack, (err: unknown) => ack(errorAck(err, log)));
}
