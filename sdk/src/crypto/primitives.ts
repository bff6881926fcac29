/**
 * Thin wrappers over WebCrypto (`globalThis.crypto`), the only source of cryptography in the SDK.
 * They fix the algorithms and parameters Sealroom uses and turn WebCrypto's exceptions into typed errors.
 * Internal: not re-exported from the package.
 */
import { base64urlDecode, type Bytes } from './encoding.js';
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

/** Ed25519: seed, public key and signature sizes in bytes. */
export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410): this prefix, then the seed. */
const ED25519_PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20);

/** An Ed25519 key pair from its 32-byte seed: the private key (non-extractable) and the raw public key. */
export async function ed25519FromSeed(seed: Bytes): Promise<{ privateKey: WebCryptoKey; publicKey: Bytes }> {
  const pkcs8 = new Uint8Array(ED25519_PKCS8_PREFIX.length + ED25519_SEED_BYTES);
  pkcs8.set(ED25519_PKCS8_PREFIX);
  pkcs8.set(seed, ED25519_PKCS8_PREFIX.length);
  let extractable: WebCryptoKey;
  try {
    extractable = await subtle().importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
  } catch (error) {
    throw new CryptoUnavailableError(`this platform's WebCrypto has no Ed25519 (Node >= 20, a current browser): ${String(error)}`);
  }
  const jwk = await subtle().exportKey('jwk', extractable);
  const publicKey = base64urlDecode(jwk.x ?? '');
  const privateKey = await subtle().importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
  pkcs8.fill(0);
  return { privateKey, publicKey };
}

/** Imports a raw 32-byte Ed25519 public key for verifying. @throws InvalidInputError when it is not a valid key */
export async function importEd25519PublicKey(raw: Bytes): Promise<WebCryptoKey> {
  try {
    return await subtle().importKey('raw', raw, { name: 'Ed25519' }, true, ['verify']);
  } catch (error) {
    throw new InvalidInputError('not an Ed25519 public key', 'INVALID_INPUT', { cause: error });
  }
}

/** An Ed25519 (RFC 8032, pure) signature of `data`: 64 bytes. */
export async function ed25519Sign(privateKey: WebCryptoKey, data: Bytes): Promise<Bytes> {
  try {
    return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, privateKey, data));
  } catch (error) {
    throw new InvalidInputError('the key is not an Ed25519 signing key', 'INVALID_INPUT', { cause: error });
  }
}

/** Checks an Ed25519 signature; false for a wrong signature (never throws for one). */
export async function ed25519Verify(publicKey: WebCryptoKey, signature: Bytes, data: Bytes): Promise<boolean> {
  try {
    return await subtle().verify({ name: 'Ed25519' }, publicKey, signature, data);
  } catch {
    return false;
  }
}

/** SHA-256 of `data`. */
export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}
