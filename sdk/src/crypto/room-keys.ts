/**
 * Room key derivation (PROTOCOL.md, section 2):
 *   pw  = PBKDF2-SHA256(UTF-8(NFC(password)), salt, iterations, 32 bytes)      (empty without a password)
 *   K   = HKDF-SHA256(ikm = secret || pw, salt = UTF-8(room_id), info = "sealroom/v2 room", 32)
 *   msg | meta | auth = HKDF-SHA256(ikm = K, salt = empty, info = "sealroom/v2 msg" | "… meta" | "… auth", 32)
 * The room id as HKDF salt binds every key to its room, so two rooms never share keys.
 */
import { assertValidId } from './ids.js';
import type { WebCryptoKey } from './web-crypto-key.js';
import { base64urlDecodeExact, base64urlEncode, concatBytes, copyBytes, isWellFormedText, utf8Encode, type Bytes } from './encoding.js';
import { InvalidInputError, KdfTooWeakError } from './errors.js';
import { hkdfSha256, importAesGcmKey, importHmacSha256Key, pbkdf2Sha256, randomBytes } from './primitives.js';

/** Bytes in a room secret (the invite link's fragment). */
export const ROOM_SECRET_BYTES = 32;
/** Bytes in a password salt. */
export const PASSWORD_SALT_BYTES = 16;
/** Bytes of PBKDF2 output mixed into K. */
export const PASSWORD_KEY_BYTES = 32;
/** The least PBKDF2 iteration count accepted (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const MIN_PBKDF2_ITERATIONS = 600_000;
/**
 * The most PBKDF2 iterations a client will run. The count comes from the server (`/room_exists`), so a cap
 * stops a hostile server from freezing clients with an absurd count.
 */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** Bytes in each derived room key. */
export const ROOM_KEY_BYTES = 32;

const HKDF_INFO = {
  room: 'sealroom/v2 room',
  msg: 'sealroom/v2 msg',
  meta: 'sealroom/v2 meta',
  auth: 'sealroom/v2 auth',
} as const;

/** A room's password KDF parameters, as stored by the server and returned by `/room_exists`. */
export interface PasswordParams {
  /** 16 bytes, base64url. */
  salt: string;
  /** PBKDF2 iteration count, at least {@link MIN_PBKDF2_ITERATIONS}. */
  iterations: number;
}

/** A room password with the room's KDF parameters. */
export interface RoomPassword extends PasswordParams {
  password: string;
}

/** What a member needs to derive a room's keys. */
export interface RoomKeyInput {
  roomId: string;
  /** The 32-byte secret from the invite link; `null` (or empty) for a password-only room. */
  secret: Uint8Array | null;
  /** The room password and its parameters; absent or `null` for a room without a password. */
  password?: RoomPassword | null;
}

/** A room's working keys. */
export interface RoomKeys {
  /** AES-256-GCM, non-extractable: messages and profiles. */
  msg: WebCryptoKey;
  /** AES-256-GCM, non-extractable: file metadata. */
  meta: WebCryptoKey;
  /** HMAC-SHA256, non-extractable: room proofs. */
  auth: WebCryptoKey;
  /** The 32 raw bytes of `auth`; the room's creator sends them (base64url) to the server. */
  authRaw: Bytes;
}

/** Raw bytes of every room key. For test vectors and interoperability checks only. */
export interface RoomKeyMaterial {
  k: Bytes;
  msg: Bytes;
  meta: Bytes;
  auth: Bytes;
}

/** A fresh random 32-byte room secret. */
export function generateRoomSecret(): Bytes {
  return randomBytes(ROOM_SECRET_BYTES);
}

/** Fresh password parameters for a new room: a random 16-byte salt and {@link MIN_PBKDF2_ITERATIONS}. */
export function newPasswordParams(): PasswordParams {
  return { salt: base64urlEncode(randomBytes(PASSWORD_SALT_BYTES)), iterations: MIN_PBKDF2_ITERATIONS };
}

/**
 * Checks password KDF parameters without running the KDF.
 * @returns the decoded salt
 * @throws KdfTooWeakError when iterations < {@link MIN_PBKDF2_ITERATIONS}; InvalidInputError otherwise
 */
export function checkPasswordParams(params: PasswordParams): Bytes {
  if (typeof params !== 'object' || params === null) throw new InvalidInputError('password parameters must be an object');
  const { iterations } = params;
  if (!Number.isSafeInteger(iterations)) throw new InvalidInputError('PBKDF2 iterations must be an integer');
  if (iterations < MIN_PBKDF2_ITERATIONS) {
    throw new KdfTooWeakError(`PBKDF2 iterations ${iterations} are below the minimum of ${MIN_PBKDF2_ITERATIONS}`);
  }
  if (iterations > MAX_PBKDF2_ITERATIONS) {
    throw new InvalidInputError(`PBKDF2 iterations ${iterations} exceed the maximum of ${MAX_PBKDF2_ITERATIONS}`);
  }
  return base64urlDecodeExact(params.salt, PASSWORD_SALT_BYTES, 'password salt');
}

/**
 * `pw = PBKDF2-SHA256(UTF-8(NFC(password)), salt, iterations, 32 bytes)`. Takes about 0.3 s at 600,000 iterations.
 * The password is Unicode-NFC-normalized before it is encoded, so the same password typed on keyboards or
 * systems that compose accents differently ("é" as U+00E9, or "e" + U+0301) gives the same key. Nothing else
 * is changed: no trimming, no case folding, no compatibility (NFKC) mapping.
 * @throws KdfTooWeakError, InvalidInputError
 */
export async function derivePasswordKey(password: string, params: PasswordParams): Promise<Bytes> {
  if (typeof password !== 'string' || password.length === 0) throw new InvalidInputError('password must be a non-empty string');
  // A lone surrogate would be encoded as U+FFFD, silently merging different passwords.
  if (!isWellFormedText(password)) throw new InvalidInputError('password contains an unpaired UTF-16 surrogate');
  const salt = checkPasswordParams(params);
  return pbkdf2Sha256(utf8Encode(password.normalize('NFC')), salt, params.iterations, PASSWORD_KEY_BYTES);
}

/**
 * Derives the raw bytes of K, msg, meta and auth. Prefer {@link deriveRoomKeys}, which keeps the keys
 * non-extractable; this exists for test vectors and interoperability checks.
 * @throws InvalidInputError (bad id, secret, or neither secret nor password), KdfTooWeakError
 */
export async function deriveRoomKeyMaterial(input: RoomKeyInput): Promise<RoomKeyMaterial> {
  const roomId = assertValidId(input.roomId, 'room_id');
  const rawSecret = input.secret ?? null;
  const secret = rawSecret === null || rawSecret.length === 0 ? null : copyBytes(rawSecret, 'room secret', ROOM_SECRET_BYTES);
  const password = input.password ?? null;
  if (secret === null && password === null) {
    throw new InvalidInputError('a room needs a secret, a password, or both');
  }
  const pw = password === null ? new Uint8Array(0) : await derivePasswordKey(password.password, password);
  const k = await hkdfSha256(
    concatBytes([secret ?? new Uint8Array(0), pw]),
    utf8Encode(roomId),
    utf8Encode(HKDF_INFO.room),
    ROOM_KEY_BYTES,
  );
  const noSalt = new Uint8Array(0);
  const [msg, meta, auth] = await Promise.all([
    hkdfSha256(k, noSalt, utf8Encode(HKDF_INFO.msg), ROOM_KEY_BYTES),
    hkdfSha256(k, noSalt, utf8Encode(HKDF_INFO.meta), ROOM_KEY_BYTES),
    hkdfSha256(k, noSalt, utf8Encode(HKDF_INFO.auth), ROOM_KEY_BYTES),
  ]);
  return { k, msg, meta, auth };
}

/**
 * Derives a room's working keys from its id, secret and/or password.
 * A wrong secret or password is not detected here (any input gives some keys): it shows up as a
 * rejected room proof or as `DECRYPT_FAILED` when opening the room's data.
 * @throws InvalidInputError (bad id, secret, or neither secret nor password), KdfTooWeakError
 */
export async function deriveRoomKeys(input: RoomKeyInput): Promise<RoomKeys> {
  const material = await deriveRoomKeyMaterial(input);
  const [msg, meta, auth] = await Promise.all([
    importAesGcmKey(material.msg),
    importAesGcmKey(material.meta),
    importHmacSha256Key(material.auth),
  ]);
  return { msg, meta, auth, authRaw: material.auth };
}
