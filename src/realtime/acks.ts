import type { Logger } from 'pino';
import type { ErrorAck } from '../../sdk/src/generated/realtime/events';
import { isDatabaseDown } from '../db/db-errors';
import { AppError, type ErrorCode } from '../errors';
import { isRedisDown } from './redis-connection';

/** The codes asyncapi.yaml lets an acknowledgement carry. */
const ACK_CODES = new Set<ErrorCode>([
  'INVALID_PAYLOAD', 'PAYLOAD_TOO_LARGE', 'UNKNOWN_EVENT', 'PROOF_INVALID', 'PROOF_EXPIRED', 'ROOM_NOT_FOUND', 'FILE_NOT_FOUND',
  'NOT_IN_ROOM', 'ALREADY_IN_ROOM', 'MEMBER_ID_TAKEN', 'ROOM_FULL', 'TOO_MANY_ROOMS', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'INTERNAL',
]);

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
    error: { code: e.code as ErrorAck['error']['code'], message: e.message, ...(e.retryAfterSeconds ? { retry_after: e.retryAfterSeconds } : {}) },
  };
}

/** Runs a handler and acknowledges exactly once, with its result or its error. */
export function answer<R>(ack: (reply: R | ErrorAck) => void, log: Logger, work: () => Promise<R>): void {
  work().then(ack, (err: unknown) => ack(errorAck(err, log)));
}
