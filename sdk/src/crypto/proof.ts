/**
 * Room proofs: `"<ts>.<mac>"`, `mac = base64url(HMAC-SHA256(auth, "sealroom/v1|<purpose>|<room_id>|<ts>"))`,
 * `ts` in decimal Unix seconds. They show the server that a client knows the room's keys (joining,
 * uploading, deleting) without revealing them; the server holds only `auth`, from which K cannot be derived.
 */
import { assertValidId } from './ids.js';
import type { WebCryptoKey } from './web-crypto-key.js';
import { base64urlDecode, base64urlEncode, copyBytes, utf8Encode, type Bytes } from './encoding.js';
import { InvalidInputError } from './errors.js';
import { hmacSha256, hmacSha256Verify, importHmacSha256Key } from './primitives.js';

/** What a proof authorizes. The purpose is in the MAC, so a join proof cannot be replayed to delete. */
export const PROOF_PURPOSES = ['join', 'upload', 'delete'] as const;
export type ProofPurpose = (typeof PROOF_PURPOSES)[number];
/** The server accepts a proof when `|now - ts| <= PROOF_WINDOW_SECONDS`. */
export const PROOF_WINDOW_SECONDS = 120;
/** Bytes in the raw `auth` key. */
export const AUTH_KEY_BYTES = 32;

/** Strict proof syntax: canonical decimal seconds (no sign, no leading zeros), a dot, a 32-byte base64url MAC. */
const PROOF_PATTERN = /^(0|[1-9][0-9]{0,15})\.([A-Za-z0-9_-]{43})$/;

/** The current time in whole Unix seconds. */
function nowUnixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function checkPurpose(purpose: ProofPurpose): void {
  if (!(PROOF_PURPOSES as readonly string[]).includes(purpose)) {
    throw new InvalidInputError(`proof purpose must be one of ${PROOF_PURPOSES.join(', ')}`);
  }
}

function checkUnixSeconds(seconds: number): void {
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new InvalidInputError('time must be whole non-negative Unix seconds');
}

/** The UTF-8 bytes a proof's MAC covers. */
function proofMessage(purpose: ProofPurpose, roomId: string, ts: number): Bytes {
  return utf8Encode(`sealroom/v1|${purpose}|${roomId}|${ts}`);
}

/**
 * Makes a room proof `"<ts>.<mac>"`.
 * @param authKey the room's `auth` key (from {@link deriveRoomKeys})
 * @param nowSeconds Unix seconds to put in the proof; defaults to the current time
 * @throws InvalidInputError (bad purpose, time or key), InvalidInputError `INVALID_ID`
 */
export async function makeProof(
  authKey: WebCryptoKey,
  purpose: ProofPurpose,
  roomId: string,
  nowSeconds: number = nowUnixSeconds(),
): Promise<string> {
  checkPurpose(purpose);
  assertValidId(roomId, 'room_id');
  checkUnixSeconds(nowSeconds);
  const mac = await hmacSha256(authKey, proofMessage(purpose, roomId, nowSeconds));
  return `${nowSeconds}.${base64urlEncode(mac)}`;
}

/**
 * Checks a room proof: well-formed, within {@link PROOF_WINDOW_SECONDS} of `nowSeconds`, and a valid
 * MAC (compared in constant time). For servers; a malformed proof is simply not valid.
 * @param authKey the room's `auth` key (see {@link importAuthKey})
 * @throws InvalidInputError only for a bad purpose, room id, time or key, never for a bad proof
 */
export async function verifyProof(
  authKey: WebCryptoKey,
  purpose: ProofPurpose,
  roomId: string,
  proof: string,
  nowSeconds: number = nowUnixSeconds(),
): Promise<boolean> {
  checkPurpose(purpose);
  assertValidId(roomId, 'room_id');
  checkUnixSeconds(nowSeconds);
  const match = typeof proof === 'string' ? PROOF_PATTERN.exec(proof) : null;
  if (match === null) return false;
  const ts = Number(match[1]);
  if (!Number.isSafeInteger(ts) || Math.abs(nowSeconds - ts) > PROOF_WINDOW_SECONDS) return false;
  let mac: Bytes;
  try {
    mac = base64urlDecode(match[2]);
  } catch {
    return false; // non-canonical trailing bits
  }
  return hmacSha256Verify(authKey, mac, proofMessage(purpose, roomId, ts));
}

/**
 * Imports the 32 raw `auth` bytes (as sent by a room's creator) as a non-extractable HMAC-SHA256 key.
 * @throws InvalidInputError when `authRaw` is not 32 bytes
 */
export async function importAuthKey(authRaw: Uint8Array): Promise<WebCryptoKey> {
  return importHmacSha256Key(copyBytes(authRaw, 'auth key', AUTH_KEY_BYTES));
}
