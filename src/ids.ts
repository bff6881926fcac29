import { randomBytes } from 'node:crypto';

/** Room, member and file ids: 6-36 characters of the base64url alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{6,36}$/;

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** 128 random bits, base64url: 22 characters. */
export const randomId = (): string => randomBytes(16).toString('base64url');

/** Strict base64url (no padding, canonical) of exactly `bytes` bytes. */
export function isBase64Url(value: unknown, bytes: number): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64url');
  return decoded.length === bytes && decoded.toString('base64url') === value;
}
