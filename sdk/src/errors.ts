/**
 * The SDK's errors. Everything the SDK throws or rejects with is a {@link SealroomError} with a stable `code`:
 *   - {@link SealroomServerError}: the server refused (REST error body or Socket.IO ack), with the server's code;
 *   - `SealroomCryptoError` (crypto/errors.ts): malformed input, a bad link, a wrong key, tampered data;
 *   - a plain SealroomError with a client code: the network failed, the caller aborted, a check made before
 *     sending failed (`FILE_TOO_LARGE` and `UPLOADS_DISABLED` reuse the server's codes, so callers handle one code).
 * `message` is for people and may change; switch on `code`.
 */
import type { CryptoErrorCode } from './crypto/errors.js';
import type { ErrorCode } from '@sealroom/contracts';
import type { FieldError } from './generated/rest/models/FieldError.js';

/** The server's error codes (REST and realtime share one list; see the OpenAPI spec's `ErrorCode`). */
export type ServerErrorCode = ErrorCode;

/** Codes the SDK itself raises, besides server and crypto codes. */
export const CLIENT_ERROR_CODES = [
  /** The server could not be reached, or the connection broke mid-request. */
  'NETWORK_ERROR',
  /** The caller aborted (its AbortSignal fired). */
  'ABORTED',
  /** The server did not answer in time. */
  'TIMEOUT',
  /** The room is closed (deleted or expired) or this handle left it: it can no longer be used. */
  'ROOM_CLOSED',
  /** The room has a password and none was given. */
  'PASSWORD_REQUIRED',
  /**
   * A file source is unusable: a stream without its `size`, a source that yields a different number of
   * bytes than declared, or one that failed while being read.
   */
  'INVALID_SOURCE',
  /** Writing a downloaded file to disk failed (Node's saveFile). */
  'FILE_SYSTEM_ERROR',
  /** The server answered something that is not in its contract (e.g. an HTML error page from a proxy). */
  'UNEXPECTED_RESPONSE',
  /** Deleting a room needs its owner credential (returned by `createRoom`), and this client has none. */
  'OWNER_CREDENTIAL_REQUIRED',
] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Every code a SealroomError can carry. */
export type SealroomErrorCode = ServerErrorCode | CryptoErrorCode | ClientErrorCode;

/** Base class of every error the SDK throws. */
export class SealroomError extends Error {
  /** Stable, machine-readable code. */
  readonly code: SealroomErrorCode;

  constructor(code: SealroomErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export interface ServerErrorDetails {
  /** The HTTP status, for REST errors (absent for Socket.IO acks). */
  status?: number;
  /** For `VALIDATION_FAILED`: which fields were wrong. */
  details?: FieldError[];
  /** Seconds after which a retry may succeed (rate limits). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** The server refused a request; `code` is the server's. */
export class SealroomServerError extends SealroomError {
  declare readonly code: ServerErrorCode | 'UNEXPECTED_RESPONSE';
  readonly status?: number;
  readonly details?: FieldError[];
  readonly retryAfterSeconds?: number;

  constructor(code: ServerErrorCode | 'UNEXPECTED_RESPONSE', message: string, extra: ServerErrorDetails = {}) {
    super(code, message, { cause: extra.cause });
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.details !== undefined) this.details = extra.details;
    if (extra.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

/** True when `error` is a {@link SealroomError}, optionally with the given code. */
export function isSealroomError(error: unknown, code?: SealroomErrorCode): error is SealroomError {
  return error instanceof SealroomError && (code === undefined || error.code === code);
}

/** True for an AbortSignal's reason or fetch's abort error (duck-typed: it may come from another realm). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** The error to reject with when `signal` fired: ABORTED, with the signal's reason as the cause. */
export function abortedError(signal?: AbortSignal): SealroomError {
  return new SealroomError('ABORTED', 'The operation was aborted', { cause: signal?.reason });
}

/** Throws ABORTED when `signal` has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortedError(signal);
}
