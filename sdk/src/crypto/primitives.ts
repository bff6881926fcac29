/**
 * Thin wrappers over WebCrypto (`globalThis.crypto`), the only source of cryptography in the SDK.
 * They fix the algorithms and parameters Sealroom uses and turn WebCrypto's exceptions into typed errors.
 * Internal: not re-exported from the package.
 */
import type { Bytes } from './encoding.js';
import type { WebCryptoKey } from './web-crypto-key.js';
import { CryptoUnavailableError, DecryptError, InvalidInputError } from './errors.js';

/** AES-256-GCM: key, IV and tag sizes in bytes. */
export const AES_KEY_BYTES = 32;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

function webCrypto(): Crypto {
  const crypto: Crypto | undefined = globalThis.crypto;
  if (crypto?.subtle === undefined) {
    throw new CryptoUnavailableError('WebCrypto (crypto.subtle) is not available; browsers only provide it on https pages or localhost');
  }
  return crypto;
}

function subtle(): SubtleCrypto {
  return webCrypto().subtle;
}

/** `length` bytes from the platform's CSPRNG. */
export function randomBytes(length: number): Bytes {
  // getRandomValues fills at most 65,536 bytes per call; Sealroom only asks for keys, IVs and ids.
  return webCrypto().getRandomValues(new Uint8Array(length));
}

/** HKDF-SHA256 (RFC 5869) output of `byteLength` bytes. */
export async function hkdfSha256(ikm: Bytes, salt: Bytes, info: Bytes, byteLength: number): Promise<Bytes> {
  const baseKey = await subtle().importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, baseKey, byteLength * 8);
  return new Uint8Array(bits);
}

/** PBKDF2-HMAC-SHA256 output of `byteLength` bytes. */
export async function pbkdf2Sha256(password: Bytes, salt: Bytes, iterations: number, byteLength: number): Promise<Bytes> {
  const baseKey = await subtle().importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, baseKey, byteLength * 8);
  return new Uint8Array(bits);
}

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key. */
export function importAesGcmKey(raw: Bytes): Promise<WebCryptoKey> {
  return subtle().importKey('raw', raw, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** Imports raw bytes as a non-extractable HMAC-SHA256 key. */
export function importHmacSha256Key(raw: Bytes): Promise<WebCryptoKey> {
  return subtle().importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** AES-GCM encryption; the result is the ciphertext with the 16-byte tag appended. */
export async function aesGcmEncrypt(key: WebCryptoKey, iv: Bytes, plaintext: Bytes, aad: Bytes): Promise<Bytes> {
  try {
    return new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, plaintext));
  } catch (error) {
    throw new InvalidInputError('encryption failed: the key is not an AES-GCM encryption key', 'INVALID_INPUT', { cause: error });
  }
}

/**
 * AES-GCM decryption of ciphertext with its 16-byte tag appended. Returns plaintext only after the tag
 * has been verified.
 * @param what names the data in the error message, e.g. `"message"`.
 * @throws DecryptError `DECRYPT_FAILED` when authentication fails; InvalidInputError for a wrong key type
 */
export async function aesGcmDecrypt(key: WebCryptoKey, iv: Bytes, ciphertext: Bytes, aad: Bytes, what: string): Promise<Bytes> {
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, ciphertext));
  } catch (error) {
    if (isOperationError(error)) {
      throw new DecryptError(`${what} failed to decrypt: wrong key or password, or the data was altered`, 'DECRYPT_FAILED', {
        cause: error,
      });
    }
    throw new InvalidInputError('decryption failed: the key is not an AES-GCM decryption key', 'INVALID_INPUT', { cause: error });
  }
}

/**
 * WebCrypto reports a failed GCM tag check as a DOMException named "OperationError". Compare the name, not
 * the class: the exception may come from another realm (workers, test VMs) where `instanceof` fails.
 */
function isOperationError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'OperationError';
}

/** HMAC-SHA256 of `data`. */
export async function hmacSha256(key: WebCryptoKey, data: Bytes): Promise<Bytes> {
  try {
    return new Uint8Array(await subtle().sign('HMAC', key, data));
  } catch (error) {
    throw new InvalidInputError('the key is not an HMAC signing key', 'INVALID_INPUT', { cause: error });
  }
}

/** Checks an HMAC-SHA256 tag in constant time (WebCrypto's `verify`). */
export async function hmacSha256Verify(key: WebCryptoKey, tag: Bytes, data: Bytes): Promise<boolean> {
  try {
    return await subtle().verify('HMAC', key, tag, data);
  } catch (error) {
    throw new InvalidInputError('the key is not an HMAC verification key', 'INVALID_INPUT', { cause: error });
  }
}
