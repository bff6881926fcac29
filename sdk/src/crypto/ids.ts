/**
 * Id rules shared by rooms, members, files and messages: 6-36 characters of `[A-Za-z0-9_-]`, so ids are
 * safe in URLs, file names and AAD strings (they can never contain the `|` separator).
 */
import { base64urlEncode } from './encoding.js';
import { InvalidInputError } from './errors.js';
import { randomBytes } from './primitives.js';

export const ID_MIN_LENGTH = 6;
export const ID_MAX_LENGTH = 36;
/** Matches a valid id. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{6,36}$/;
/** Random bytes in a generated id (128 bits, 22 base64url characters). */
export const RANDOM_ID_BYTES = 16;

/** What an id names, used in error messages. */
export type IdKind = 'room_id' | 'member_id' | 'file_id' | 'message_id';

/** True when `value` is a string that follows the id rules. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/**
 * Checks an id and returns it.
 * @throws InvalidInputError with code `INVALID_ID`
 */
export function assertValidId(value: unknown, kind: IdKind): string {
  if (!isValidId(value)) {
    throw new InvalidInputError(`${kind} must be ${ID_MIN_LENGTH}-${ID_MAX_LENGTH} characters of [A-Za-z0-9_-]`, 'INVALID_ID');
  }
  return value;
}

/** A fresh random id: 16 random bytes as base64url (22 characters). */
export function randomId(): string {
  return base64urlEncode(randomBytes(RANDOM_ID_BYTES));
}
