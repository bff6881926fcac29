/**
 * Errors thrown by the crypto layer. Every error is a {@link SealroomCryptoError} (a `SealroomError`, like
 * every error of the SDK) with a stable `code` that callers can switch on; `message` is for people and may change.
 */
import { SealroomError } from '../errors.js';

/** Every code the crypto layer can throw, with what it means. */
export const CRYPTO_ERROR_CODES = [
  /** An argument is malformed: wrong type, wrong key length, a value out of range or over a cap. */
  'INVALID_INPUT',
  /** Text that should be strict base64url, hex or UTF-8 is not. */
  'INVALID_ENCODING',
  /** A room, member, file or message id breaks the id rules (6-36 chars of `[A-Za-z0-9_-]`). */
  'INVALID_ID',
  /** An invite or file link is malformed. */
  'INVALID_LINK',
  /** Password KDF parameters are weaker than the minimum (PBKDF2 iterations < 600,000). */
  'KDF_TOO_WEAK',
  /**
   * AES-GCM authentication failed: wrong key or password, or the ciphertext, IV or context
   * (room, message, member, file, record position) was altered. These causes cannot be told apart.
   */
  'DECRYPT_FAILED',
  /** A sealed value authenticated but its plaintext padding is malformed (a buggy or hostile sender). */
  'INVALID_PADDING',
  /** A sealed value authenticated but is not the JSON shape expected for its kind. */
  'INVALID_PAYLOAD',
  /** An encrypted file ended before its last record. */
  'TRUNCATED',
  /**
   * A sealed value opened, but its Ed25519 signature does not verify with its sender's identity key (or the
   * sender is unknown): a forged, relabelled or altered message, profile or file announcement.
   */
  'BAD_SIGNATURE',
  /** A byte count cannot be the size of an encrypted file. */
  'INVALID_SIZE',
  /**
   * WebCrypto is missing. Browsers only offer `crypto.subtle` in secure contexts: serve Sealroom over
   * https (or from localhost).
   */
  'CRYPTO_UNAVAILABLE',
] as const;

/** A stable error code: one of {@link CRYPTO_ERROR_CODES}. */
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

/** Base class of every error thrown by the crypto layer. */
export class SealroomCryptoError extends SealroomError {
  /** Stable, machine-readable code. */
  declare readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The caller passed something malformed (code `INVALID_INPUT`, `INVALID_ENCODING` or `INVALID_ID`). */
export class InvalidInputError extends SealroomCryptoError {
  constructor(
    message: string,
    code: Extract<CryptoErrorCode, 'INVALID_INPUT' | 'INVALID_ENCODING' | 'INVALID_ID'> = 'INVALID_INPUT',
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** An invite or file link could not be parsed (code `INVALID_LINK`). */
export class InvalidLinkError extends SealroomCryptoError {
  constructor(message: string) {
    super('INVALID_LINK', message);
  }
}

/** Password KDF parameters below the minimum (code `KDF_TOO_WEAK`). */
export class KdfTooWeakError extends SealroomCryptoError {
  constructor(message: string) {
    super('KDF_TOO_WEAK', message);
  }
}

/**
 * Ciphertext that must not be trusted: it failed to authenticate, or authenticated but is malformed
 * (codes `DECRYPT_FAILED`, `INVALID_PADDING`, `INVALID_PAYLOAD`, `TRUNCATED`).
 */
export class DecryptError extends SealroomCryptoError {
  constructor(
    message: string,
    code: Extract<CryptoErrorCode, 'DECRYPT_FAILED' | 'INVALID_PADDING' | 'INVALID_PAYLOAD' | 'TRUNCATED'> = 'DECRYPT_FAILED',
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** A signature that does not verify, or a sender whose identity key is unknown (code `BAD_SIGNATURE`). */
export class SignatureError extends SealroomCryptoError {
  constructor(message: string) {
    super('BAD_SIGNATURE', message);
  }
}

/** A byte count that cannot be an encrypted file's size (code `INVALID_SIZE`). */
export class InvalidSizeError extends SealroomCryptoError {
  constructor(message: string) {
    super('INVALID_SIZE', message);
  }
}

/** The runtime has no WebCrypto (code `CRYPTO_UNAVAILABLE`). */
export class CryptoUnavailableError extends SealroomCryptoError {
  constructor(message: string) {
    super('CRYPTO_UNAVAILABLE', message);
  }
}

/** True when `error` is a {@link SealroomCryptoError}, optionally with the given code. */
export function isSealroomCryptoError(error: unknown, code?: CryptoErrorCode): error is SealroomCryptoError {
  return error instanceof SealroomCryptoError && (code === undefined || error.code === code);
}
