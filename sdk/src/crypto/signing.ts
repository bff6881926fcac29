/**
 * Signatures (PROTOCOL.md, sections 4 to 6): Ed25519 (RFC 8032, pure) over the canonical encoding of a
 * label, a kind and the fields of what is signed. Members sign their profile, messages and file announcements
 * with their identity key; the owner of a room signs its deletion with the owner key. Keys are kept as their
 * 32-byte seed (base64url, 43 characters); public keys travel as 32 raw bytes in base64url (43 characters),
 * signatures as 64 bytes in base64url (86 characters).
 */
import { canonicalEncode, type CanonicalField } from './canonical.js';
import { base64urlDecodeExact, base64urlEncode, copyBytes, type Bytes } from './encoding.js';
import { InvalidInputError } from './errors.js';
import { assertValidId } from './ids.js';
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SEED_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519FromSeed,
  ed25519Sign,
  ed25519Verify,
  importEd25519PublicKey,
  randomBytes,
  sha256,
} from './primitives.js';
import type { WebCryptoKey } from './web-crypto-key.js';

/** The first field of every signed encoding. */
export const SIGNATURE_LABEL = 'sealroom/v2 sig';
/** The first field of the safety-code encoding. */
export const SAFETY_LABEL = 'sealroom/v2 safety';
/** What a signature covers: its second field. */
export const SIGNATURE_KINDS = ['profile', 'msg', 'file', 'delete'] as const;
export type SignatureKind = (typeof SIGNATURE_KINDS)[number];

/** Characters of a base64url Ed25519 public key (32 bytes) and signature (64 bytes). */
export const PUBLIC_KEY_LENGTH = 43;
export const SIGNATURE_LENGTH = 86;

/** An Ed25519 key pair usable for signing: a member's identity key or a room's owner key. */
export interface SigningKey {
  /** The 32-byte seed, base64url: what is stored to use the key again. Secret. */
  readonly seed: string;
  /** The public key, base64url of 32 raw bytes (43 characters). */
  readonly publicKey: string;
  /** The private key, non-extractable. */
  readonly privateKey: WebCryptoKey;
}

/** A fresh random Ed25519 key pair. @throws CryptoUnavailableError without WebCrypto Ed25519 */
export async function generateSigningKey(): Promise<SigningKey> {
  return signingKeyFromSeed(base64urlEncode(randomBytes(ED25519_SEED_BYTES)));
}

/**
 * The Ed25519 key pair of a 32-byte seed (base64url, 43 characters), e.g. a stored identity or an owner credential.
 * @throws InvalidInputError `INVALID_ENCODING`/`INVALID_INPUT` for a malformed seed
 */
export async function signingKeyFromSeed(seed: string): Promise<SigningKey> {
  const bytes = base64urlDecodeExact(seed, ED25519_SEED_BYTES, 'signing key seed');
  const { privateKey, publicKey } = await ed25519FromSeed(bytes);
  bytes.fill(0);
  return { seed, publicKey: base64urlEncode(publicKey), privateKey };
}

/** Decodes a base64url public key; throws for anything but 43 characters of strict base64url. */
export function decodePublicKey(publicKey: string): Bytes {
  return base64urlDecodeExact(publicKey, ED25519_PUBLIC_KEY_BYTES, 'public key');
}

/** True when `value` is a strictly encoded 32-byte public key (its curve point is checked when verifying). */
export function isPublicKeyText(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== PUBLIC_KEY_LENGTH) return false;
  try {
    decodePublicKey(value);
    return true;
  } catch {
    return false;
  }
}

/** True when `value` is a strictly encoded 64-byte signature. */
export function isSignatureText(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== SIGNATURE_LENGTH) return false;
  try {
    base64urlDecodeExact(value, ED25519_SIGNATURE_BYTES, 'signature');
    return true;
  } catch {
    return false;
  }
}

/** The bytes a signature of `kind` over `fields` covers: `enc("sealroom/v2 sig", kind, ...fields)`. */
export function signatureInput(kind: SignatureKind, fields: readonly CanonicalField[]): Bytes {
  if (!(SIGNATURE_KINDS as readonly string[]).includes(kind))
    throw new InvalidInputError(`signature kind must be one of ${SIGNATURE_KINDS.join(', ')}`);
  return canonicalEncode([SIGNATURE_LABEL, kind, ...fields]);
}

/** Signs `enc("sealroom/v2 sig", kind, ...fields)`; returns the signature in base64url (86 characters). */
export async function signFields(key: SigningKey, kind: SignatureKind, fields: readonly CanonicalField[]): Promise<string> {
  return base64urlEncode(await ed25519Sign(key.privateKey, signatureInput(kind, fields)));
}

/**
 * Checks a signature made by {@link signFields}. False for a malformed key or signature, a key that is not a
 * curve point, or a signature that does not verify; never throws for bad data (it does for bad fields).
 */
export async function verifyFields(
  publicKey: string,
  signature: string,
  kind: SignatureKind,
  fields: readonly CanonicalField[],
): Promise<boolean> {
  const data = signatureInput(kind, fields);
  if (!isPublicKeyText(publicKey) || !isSignatureText(signature)) return false;
  let key: WebCryptoKey;
  try {
    key = await importEd25519PublicKey(decodePublicKey(publicKey));
  } catch {
    return false;
  }
  return ed25519Verify(key, base64urlDecodeExact(signature, ED25519_SIGNATURE_BYTES, 'signature'), data);
}

// ---- what members sign -----------------------------------------------------------------------------------

/** The fields of a profile signature: room, member, identity key, name. */
export function profileSignatureFields(ref: { roomId: string; memberId: string }, identityKey: string, name: string): CanonicalField[] {
  return [assertValidId(ref.roomId, 'room_id'), assertValidId(ref.memberId, 'member_id'), identityKey, name];
}

/** The fields of a message signature: room, message, sender, sent_at, reply_to (or ""), text. */
export function messageSignatureFields(
  ref: { roomId: string; messageId: string; memberId: string },
  message: { text: string; sent_at: number; reply_to?: string | undefined },
): CanonicalField[] {
  return [
    assertValidId(ref.roomId, 'room_id'),
    assertValidId(ref.messageId, 'message_id'),
    assertValidId(ref.memberId, 'member_id'),
    message.sent_at,
    message.reply_to ?? '',
    message.text,
  ];
}

/** The fields of a file announcement signature: room, file, sender, name, type, size, key. */
export function fileSignatureFields(
  ref: { roomId: string; fileId: string; memberId: string },
  meta: { name: string; type: string; size: number; key: string },
): CanonicalField[] {
  return [
    assertValidId(ref.roomId, 'room_id'),
    assertValidId(ref.fileId, 'file_id'),
    assertValidId(ref.memberId, 'member_id'),
    meta.name,
    meta.type,
    meta.size,
    meta.key,
  ];
}

// ---- owner -------------------------------------------------------------------------------------------------

/**
 * The `X-Owner-Signature` header that deletes a room: `"<ts>.<sig>"`, sig = Ed25519 of
 * `enc("sealroom/v2 sig", "delete", room_id, ts)` with the owner key, ts in Unix seconds.
 */
export async function makeOwnerSignature(
  ownerKey: SigningKey,
  roomId: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<string> {
  if (!Number.isSafeInteger(nowSeconds) || nowSeconds < 0) throw new InvalidInputError('time must be whole non-negative Unix seconds');
  return `${nowSeconds}.${await signFields(ownerKey, 'delete', [assertValidId(roomId, 'room_id'), nowSeconds])}`;
}

// ---- safety codes ------------------------------------------------------------------------------------------

/** Digits in a safety code (6 groups of 5). */
export const SAFETY_CODE_GROUPS = 6;

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The safety code of two members' identity keys in a room: the same for both, whoever computes it.
 * `h = SHA-256(enc("sealroom/v2 safety", room_id, lower key, higher key))` (keys ordered by their raw bytes,
 * encoded as their base64url text); the first 30 bytes of h as 6 big-endian 40-bit numbers, each mod 100,000,
 * zero-padded to 5 digits and joined by spaces: `"01234 56789 …"`.
 * @throws InvalidInputError for a malformed key or room id
 */
export async function safetyCode(roomId: string, publicKeyA: string, publicKeyB: string): Promise<string> {
  const a = decodePublicKey(publicKeyA);
  const b = decodePublicKey(publicKeyB);
  const [low, high] = compareBytes(a, b) <= 0 ? [publicKeyA, publicKeyB] : [publicKeyB, publicKeyA];
  const h = await sha256(canonicalEncode([SAFETY_LABEL, assertValidId(roomId, 'room_id'), low, high]));
  const groups: string[] = [];
  for (let g = 0; g < SAFETY_CODE_GROUPS; g++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + h[g * 5 + i]!;
    groups.push(String(value % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}

/** Checks that `value` is 32 raw bytes and returns them base64url-encoded. */
export function encodePublicKey(value: Uint8Array): string {
  return base64urlEncode(copyBytes(value, 'public key', ED25519_PUBLIC_KEY_BYTES));
}
