/**
 * Room proofs: `"<ts>.<mac>"`, `mac = base64url(HMAC-SHA256(auth, "sealroom/v2|<purpose>|<room_id>|<ts>"))`,
 * `ts` in decimal Unix seconds. They show the server that a client knows the room's keys (joining,
 * uploading) without revealing them; the server holds only `auth`, from which K cannot be derived.
 * Download proofs have the same form with a file's download key: `"sealroom/v2|download|<file_id>|<ts>"`.
 */
import { assertValidId } from './ids.js';
import type { WebCryptoKey } from './web-crypto-key.js';
import { base64urlDecode, base64urlEncode, copyBytes, utf8Encode, type Bytes } from './encoding.js';
import { InvalidInputError } from './errors.js';
import { hmacSha256, hmacSha256Verify, importHmacSha256Key } from './primitives.js';

/** What a room proof authorizes. The purpose is in the MAC, so a join proof cannot be replayed to upload. */
export const PROOF_PURPOSES = ['join', 'upload'] as const;
export type ProofPurpose = (typeof PROOF_PURPOSES)[number];
/** A proof lives this long in all: the server accepts it when `now - 110 <= ts <= now + 10` (seconds). */
export const PROOF_WINDOW_SECONDS = 120;
/** How far ahead of the server's clock a proof's time may be. */
export const PROOF_FUTURE_SKEW_SECONDS = 10;
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
function proofMessage(purpose: ProofPurpose | 'download', id: string, ts: number): Bytes {
  return utf8Encode(`sealroom/v2|${purpose}|${id}|${ts}`);
}

/** True when a proof dated `ts` is inside the window at `now` (both Unix seconds). */
export function inProofWindow(ts: number, now: number): boolean {
  return now - (PROOF_WINDOW_SECONDS - PROOF_FUTURE_SKEW_SECONDS) <= ts && ts <= now + PROOF_FUTURE_SKEW_SECONDS;
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
 * Checks a room proof: well-formed, inside the window at `nowSeconds` ({@link inProofWindow}), and a valid
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
  if (!Number.isSafeInteger(ts) || !inProofWindow(ts, nowSeconds)) return false;
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

/**
 * Makes a download proof for a stored file, `"<ts>.<mac>"` with
 * `mac = base64url(HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>"))` (the `X-Download-Proof` header).
 * @param downloadKey the file's `dk` (from {@link deriveFileAccessKeys})
 * @throws InvalidInputError (bad time or key), InvalidInputError `INVALID_ID`
 */
export async function makeDownloadProof(downloadKey: WebCryptoKey, fileId: string, nowSeconds: number = nowUnixSeconds()): Promise<string> {
  assertValidId(fileId, 'file_id');
  checkUnixSeconds(nowSeconds);
  const mac = await hmacSha256(downloadKey, proofMessage('download', fileId, nowSeconds));
  return `${nowSeconds}.${base64urlEncode(mac)}`;
}
