/**
 * The JSON shapes sealed inside messages, profiles and file metadata, their caps, and their validation.
 * Validation runs both before sealing (a caller's mistake: `INVALID_INPUT`) and after opening (another
 * member's bad data: `INVALID_PAYLOAD`). Unknown fields are dropped, not rejected, so that later protocol
 * additions do not break older clients. Every payload carries its sender's signature `sig` (signing.ts); its
 * shape is checked here, its validity by the opener with the sender's identity key.
 */
import { base64urlDecodeExact } from './encoding.js';
import { DecryptError, InvalidInputError, type SealroomCryptoError } from './errors.js';
import { FILE_KEY_BYTES } from './file-cipher.js';
import { isValidId } from './ids.js';
import { isPublicKeyText, isSignatureText } from './signing.js';

/** Most UTF-16 code units (JavaScript `string.length`) in a message's text. */
export const MAX_MESSAGE_TEXT_LENGTH = 16_000;
/** Most UTF-16 code units in a display name. */
export const MAX_PROFILE_NAME_LENGTH = 64;
/** Most UTF-16 code units in a shared file's name (the usual file-system limit). */
export const MAX_FILE_NAME_LENGTH = 255;
/** Most characters in a shared file's MIME type (RFC 6838: 127 + "/" + 127). */
export const MAX_FILE_TYPE_LENGTH = 255;

/** Any JSON value. (The payload shapes below are type aliases, not interfaces, so they are JsonValues.) */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A chat message's sealed content. */
export type MessagePayload = {
  text: string;
  /** The sender's clock, Unix milliseconds. */
  sent_at: number;
  /** Id of the message this one answers. */
  reply_to?: string;
  /** The sender's Ed25519 signature (base64url, 86 characters). */
  sig: string;
};

/** A member's sealed profile. */
export type ProfilePayload = {
  /** Display name: 1-64 characters, no control or bidirectional-override characters. */
  name: string;
  /** The member's Ed25519 identity public key (base64url, 43 characters). */
  identity_key: string;
  /** The member's signature over its room, member id, identity key and name. */
  sig: string;
};

/** A shared file's sealed metadata (the `file:share` message). */
export type FileMetaPayload = {
  /** File name: 1-255 characters, no path separators, control or bidirectional-override characters, not `.`/`..`. */
  name: string;
  /** MIME type, printable ASCII, may be empty when unknown. */
  type: string;
  /** Plaintext size in bytes. */
  size: number;
  /** The 32-byte file key, base64url (43 characters). */
  key: string;
  /** The sender's Ed25519 signature (base64url, 86 characters). */
  sig: string;
};

/** A payload before it is signed: everything but `sig`. */
export type Unsigned<T> = Omit<T, 'sig'>;

/** The self-describing file info sealed at upload (`file_info`), readable with the file key alone. */
export type FileInfoPayload = {
  name: string;
  type: string;
  size: number;
};

/** Which side found the problem: the caller before sealing, or the opener after decryption. */
export type ValidationSide = 'seal' | 'open';

type Fail = (message: string) => never;

function failer(side: ValidationSide, kind: string): Fail {
  return (message: string): never => {
    const error: SealroomCryptoError =
      side === 'seal' ? new InvalidInputError(`${kind}: ${message}`) : new DecryptError(`${kind}: ${message}`, 'INVALID_PAYLOAD');
    throw error;
  };
}

function asRecord(value: unknown, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be a JSON object');
  return value as Record<string, unknown>;
}

function stringField(record: Record<string, unknown>, field: string, minLength: number, maxLength: number, fail: Fail): string {
  const value = record[field];
  if (typeof value !== 'string') fail(`${field} must be a string`);
  if (value.length < minLength || value.length > maxLength) fail(`${field} must be ${minLength}-${maxLength} characters long`);
  return value;
}

function nonNegativeIntegerField(record: Record<string, unknown>, field: string, fail: Fail): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${field} must be a non-negative integer`);
  return value;
}

/**
 * C0 and C1 controls, DEL, and the bidirectional embedding/override/isolate controls. Names are shown in
 * terminals and file managers: controls could inject escape sequences, and a right-to-left override can
 * disguise "invoice\u202Efdp.exe" as "invoiceexe.pdf".
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Validates a message payload; returns a copy with only the known fields. */
export function validateMessagePayload(value: unknown, side: ValidationSide): MessagePayload {
  const fail: Fail = failer(side, 'message');
  const record = asRecord(value, fail);
  const text = stringField(record, 'text', 0, MAX_MESSAGE_TEXT_LENGTH, fail);
  const sentAt = nonNegativeIntegerField(record, 'sent_at', fail);
  const replyTo = record.reply_to;
  // Other clients may write an absent reply as null; accept that when opening, not when sealing.
  const sig = signatureField(record, fail);
  if (replyTo === undefined || (replyTo === null && side === 'open')) return { text, sent_at: sentAt, sig };
  if (!isValidId(replyTo)) fail('reply_to must be a message id');
  return { text, sent_at: sentAt, reply_to: replyTo, sig };
}

function signatureField(record: Record<string, unknown>, fail: Fail): string {
  const sig = record.sig;
  if (!isSignatureText(sig)) fail('sig must be a 64-byte signature in base64url');
  return sig as string;
}

/** Validates a profile payload; returns a copy with only the known fields. */
export function validateProfilePayload(value: unknown, side: ValidationSide): ProfilePayload {
  const fail: Fail = failer(side, 'profile');
  const record = asRecord(value, fail);
  const name = stringField(record, 'name', 1, MAX_PROFILE_NAME_LENGTH, fail);
  if (UNSAFE_NAME_CHARACTERS.test(name)) fail('name contains control or bidirectional-override characters');
  const identityKey = record.identity_key;
  if (!isPublicKeyText(identityKey)) fail('identity_key must be a 32-byte public key in base64url');
  return { name, identity_key: identityKey as string, sig: signatureField(record, fail) };
}

/** Validates a file metadata payload; returns a copy with only the known fields. */
export function validateFileMetaPayload(value: unknown, side: ValidationSide): FileMetaPayload {
  const fail: Fail = failer(side, 'file metadata');
  const { name, type, size } = validateFileInfoPayload(value, side, fail);
  const record = asRecord(value, fail);
  const key = stringField(record, 'key', 43, 43, fail);
  try {
    base64urlDecodeExact(key, FILE_KEY_BYTES, 'key');
  } catch {
    fail('key must be 32 bytes in base64url');
  }
  return { name, type, size, key, sig: signatureField(record, fail) };
}

/** Validates a file info payload (name, type, size); returns a copy with only the known fields. */
export function validateFileInfoPayload(value: unknown, side: ValidationSide, failWith?: Fail): FileInfoPayload {
  const fail: Fail = failWith ?? failer(side, 'file info');
  const record = asRecord(value, fail);
  const name = stringField(record, 'name', 1, MAX_FILE_NAME_LENGTH, fail);
  // Receivers save files under this name: it must never be able to leave the chosen folder.
  if (/[/\\]/.test(name) || name === '.' || name === '..') fail('name must be a plain file name, without path separators');
  if (UNSAFE_NAME_CHARACTERS.test(name)) fail('name contains control or bidirectional-override characters');
  const type = stringField(record, 'type', 0, MAX_FILE_TYPE_LENGTH, fail);
  if (!/^[\x20-\x7e]*$/.test(type)) fail('type must be printable ASCII');
  const size = nonNegativeIntegerField(record, 'size', fail);
  return { name, type, size };
}
