/**
 * Byte and text encodings used on the wire: strict base64url (RFC 4648 §5, no padding), hex and UTF-8.
 * Strict means one canonical encoding per byte string, so two clients never disagree about a value.
 */
import { InvalidInputError } from './errors.js';

/**
 * Bytes backed by a plain `ArrayBuffer`, which is what WebCrypto accepts (`BufferSource`).
 * Every byte array this SDK returns has this type.
 */
export type Bytes = Uint8Array<ArrayBuffer>;

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Character code -> 6-bit value, or -1 for characters outside the alphabet. */
const BASE64URL_VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64URL_ALPHABET.length; i++) values[BASE64URL_ALPHABET.charCodeAt(i)] = i;
  return values;
})();

/** Encodes bytes as base64url without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out +=
      BASE64URL_ALPHABET[n >> 18] + BASE64URL_ALPHABET[(n >> 12) & 63] + BASE64URL_ALPHABET[(n >> 6) & 63] + BASE64URL_ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += BASE64URL_ALPHABET[n >> 18] + BASE64URL_ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += BASE64URL_ALPHABET[n >> 18] + BASE64URL_ALPHABET[(n >> 12) & 63] + BASE64URL_ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/**
 * Decodes strict base64url: only `[A-Za-z0-9_-]`, no padding, no whitespace, and unused trailing bits
 * must be zero (so every byte string has exactly one accepted encoding).
 * @throws InvalidInputError with code `INVALID_ENCODING`
 */
export function base64urlDecode(text: string): Bytes {
  if (typeof text !== 'string') throw new InvalidInputError('base64url value must be a string', 'INVALID_ENCODING');
  if (text.length % 4 === 1) throw new InvalidInputError('base64url value has an impossible length', 'INVALID_ENCODING');
  const sextets = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE64URL_VALUES[code] : -1;
    if (value < 0) throw new InvalidInputError(`invalid base64url character at position ${i}`, 'INVALID_ENCODING');
    sextets[i] = value;
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < sextets.length; i += 4) {
    const n = (sextets[i] << 18) | (sextets[i + 1] << 12) | (sextets[i + 2] << 6) | sextets[i + 3];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = sextets.length - i;
  if (rest === 2) {
    if ((sextets[i + 1] & 0x0f) !== 0) throw nonCanonical();
    out[o] = (sextets[i] << 2) | (sextets[i + 1] >> 4);
  } else if (rest === 3) {
    if ((sextets[i + 2] & 0x03) !== 0) throw nonCanonical();
    const n = (sextets[i] << 10) | (sextets[i + 1] << 4) | (sextets[i + 2] >> 2);
    out[o] = n >> 8;
    out[o + 1] = n & 255;
  }
  return out;
}

function nonCanonical(): InvalidInputError {
  return new InvalidInputError('base64url value has non-zero trailing bits (non-canonical encoding)', 'INVALID_ENCODING');
}

/**
 * Decodes strict base64url that must hold exactly `byteLength` bytes (a key, IV or salt).
 * @param what names the value in error messages, e.g. `"room secret"`.
 * @throws InvalidInputError with code `INVALID_ENCODING` or `INVALID_INPUT` (wrong length)
 */
export function base64urlDecodeExact(text: string, byteLength: number, what: string): Bytes {
  let bytes: Bytes;
  try {
    bytes = base64urlDecode(text);
  } catch (error) {
    throw new InvalidInputError(`${what} is not valid base64url`, 'INVALID_ENCODING', { cause: error });
  }
  if (bytes.length !== byteLength) {
    throw new InvalidInputError(`${what} must be ${byteLength} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Encodes bytes as lowercase hex. */
export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/**
 * Decodes hex (either case, even length, no prefix or separators).
 * @throws InvalidInputError with code `INVALID_ENCODING`
 */
export function hexDecode(text: string): Bytes {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new InvalidInputError('invalid hex value', 'INVALID_ENCODING');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Encodes text as UTF-8. Lone surrogates become U+FFFD (as `TextEncoder` does), so callers that need
 * an exact round trip should reject them first (see {@link isWellFormedText}).
 */
export function utf8Encode(text: string): Bytes {
  return utf8Encoder.encode(text);
}

/**
 * Decodes UTF-8 strictly (invalid sequences are an error, not U+FFFD; a leading BOM is kept as U+FEFF).
 * @throws InvalidInputError with code `INVALID_ENCODING`
 */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch (error) {
    throw new InvalidInputError('invalid UTF-8', 'INVALID_ENCODING', { cause: error });
  }
}

/** True when `text` has no lone UTF-16 surrogates, i.e. it round-trips through UTF-8 unchanged. */
export function isWellFormedText(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(parts: readonly Uint8Array[]): Bytes {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * True for any byte array, including ones from another realm (a Node `Buffer` seen from a test VM or an
 * iframe), where `instanceof Uint8Array` would be false.
 */
export function isByteArray(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

/**
 * Checks that `value` is a byte array, optionally of an exact length, and returns a copy backed by a
 * plain `ArrayBuffer` (WebCrypto refuses shared memory, and the copy cannot be changed under us).
 * @throws InvalidInputError with code `INVALID_INPUT`
 */
export function copyBytes(value: unknown, what: string, byteLength?: number): Bytes {
  if (!isByteArray(value)) throw new InvalidInputError(`${what} must be a Uint8Array`);
  if (byteLength !== undefined && value.length !== byteLength) {
    throw new InvalidInputError(`${what} must be ${byteLength} bytes, got ${value.length}`);
  }
  return new Uint8Array(value);
}
