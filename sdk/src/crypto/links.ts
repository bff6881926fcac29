/**
 * Invite and file links. Keys travel in the fragment (after `#`), which browsers never send to the server.
 *   invite: BASE_URL/r/<room_id>#<room secret, base64url>   (password-only room: no fragment, or an empty one)
 *   file:   BASE_URL/f/<file_id>#<file key, base64url>
 * BASE_URL is http(s) and may carry a path prefix (https://host/sealroom); parsing is strict so that a
 * mangled link fails loudly instead of yielding a wrong room or key.
 */
import { base64urlDecodeExact, base64urlEncode, copyBytes, type Bytes } from './encoding.js';
import { InvalidInputError, InvalidLinkError } from './errors.js';
import { FILE_KEY_BYTES } from './file-cipher.js';
import { assertValidId, isValidId } from './ids.js';
import { ROOM_SECRET_BYTES } from './room-keys.js';

/** A parsed invite link. */
export interface InviteLink {
  /** Scheme, host, port and path prefix, without a trailing slash, e.g. `https://host/sealroom`. */
  baseUrl: string;
  roomId: string;
  /** The 32-byte room secret, or `null` when the link carries none. */
  secret: Bytes | null;
  /**
   * True when the link carries no secret: the room is password-only, and the password is required.
   * When false the room may still also have a password; `/room_exists` tells.
   */
  passwordOnly: boolean;
}

/** A parsed file link. */
export interface FileLink {
  /** Scheme, host, port and path prefix, without a trailing slash. */
  baseUrl: string;
  fileId: string;
  /** The 32-byte file key. */
  fileKey: Bytes;
}

type LinkKind = 'r' | 'f';

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * Checks a base URL and returns it without a trailing slash.
 * @throws InvalidInputError for a non-http(s) URL or one with credentials, a query or a fragment
 */
function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new InvalidInputError('base URL is not a valid URL', 'INVALID_INPUT', { cause: error });
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) throw new InvalidInputError('base URL must be http or https');
  if (url.username !== '' || url.password !== '') throw new InvalidInputError('base URL must not contain credentials');
  if (baseUrl.includes('?') || baseUrl.includes('#')) throw new InvalidInputError('base URL must not have a query or fragment');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function formatLink(baseUrl: string, kind: LinkKind, id: string, fragment: string | null): string {
  const link = `${normalizeBaseUrl(baseUrl)}/${kind}/${id}`;
  return fragment === null ? link : `${link}#${fragment}`;
}

/**
 * Splits a link into base URL, id and fragment (`null` when the link has no `#`).
 * @throws InvalidLinkError
 */
function parseLink(link: string, kind: LinkKind): { baseUrl: string; id: string; fragment: string | null } {
  if (typeof link !== 'string') throw new InvalidLinkError('link must be a string');
  const text = link.trim(); // pasted links often carry surrounding whitespace
  // URL parsing would quietly drop or rewrite these; a link never needs them.
  if (/[\s\\]/.test(text)) throw new InvalidLinkError('link must not contain whitespace or backslashes');
  if (text.includes('?')) throw new InvalidLinkError('link must not have a query string');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidLinkError('link is not a valid URL');
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) throw new InvalidLinkError('link must be http or https');
  if (url.username !== '' || url.password !== '') throw new InvalidLinkError('link must not contain credentials');
  const match = new RegExp(`^(.*)/${kind}/([^/]*)$`).exec(url.pathname);
  if (match === null) throw new InvalidLinkError(`link path must end with /${kind}/<id>`);
  const [, prefix, id] = match;
  if (!isValidId(id)) throw new InvalidLinkError('link has an invalid id');
  const fragment = url.hash !== '' ? url.hash.slice(1) : text.endsWith('#') ? '' : null;
  return { baseUrl: url.origin + prefix, id, fragment };
}

/** Decodes a link's key fragment. @throws InvalidLinkError */
function decodeLinkKey(fragment: string, byteLength: number, what: string): Bytes {
  try {
    return base64urlDecodeExact(fragment, byteLength, what);
  } catch {
    throw new InvalidLinkError(`link fragment must be a ${byteLength}-byte ${what} in base64url`);
  }
}

/**
 * Formats an invite link `BASE_URL/r/<room_id>#<secret>`; without a secret (password-only room),
 * `BASE_URL/r/<room_id>`.
 * @throws InvalidInputError (bad base URL, secret not 32 bytes), InvalidInputError `INVALID_ID`
 */
export function formatInviteLink(baseUrl: string, roomId: string, secret: Uint8Array | null): string {
  assertValidId(roomId, 'room_id');
  const fragment = secret === null ? null : base64urlEncode(copyBytes(secret, 'room secret', ROOM_SECRET_BYTES));
  return formatLink(baseUrl, 'r', roomId, fragment);
}

/**
 * Parses an invite link. A link without a fragment, or with an empty one, is a password-only room's
 * (`secret: null`, `passwordOnly: true`).
 * @throws InvalidLinkError
 */
export function parseInviteLink(link: string): InviteLink {
  const { baseUrl, id, fragment } = parseLink(link, 'r');
  const secret = fragment === null || fragment === '' ? null : decodeLinkKey(fragment, ROOM_SECRET_BYTES, 'room secret');
  return { baseUrl, roomId: id, secret, passwordOnly: secret === null };
}

/**
 * Formats a file link `BASE_URL/f/<file_id>#<file key>`.
 * @throws InvalidInputError (bad base URL, file key not 32 bytes), InvalidInputError `INVALID_ID`
 */
export function formatFileLink(baseUrl: string, fileId: string, fileKey: Uint8Array): string {
  assertValidId(fileId, 'file_id');
  return formatLink(baseUrl, 'f', fileId, base64urlEncode(copyBytes(fileKey, 'file key', FILE_KEY_BYTES)));
}

/**
 * Parses a file link; its fragment must hold the 32-byte file key.
 * @throws InvalidLinkError
 */
export function parseFileLink(link: string): FileLink {
  const { baseUrl, id, fragment } = parseLink(link, 'f');
  if (fragment === null || fragment === '') throw new InvalidLinkError('file link has no key after #');
  return { baseUrl, fileId: id, fileKey: decodeLinkKey(fragment, FILE_KEY_BYTES, 'file key') };
}
