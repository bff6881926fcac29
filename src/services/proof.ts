import { createHmac, createPublicKey, sign as edSign, timingSafeEqual, verify as edVerify, type KeyObject } from 'node:crypto';
import { PROOF_FUTURE_SKEW_SECONDS, PROOF_WINDOW_SECONDS } from '../config';
import { isBase64Url } from '../ids';
import { isEd25519PublicKey } from './ed25519-point';

export type ProofPurpose = 'join' | 'upload';
export type ProofVerdict = 'valid' | 'invalid' | 'expired';

/** `<unix seconds>.<base64url HMAC-SHA256>`; the MAC is always 32 bytes = 43 characters. */
export const PROOF_PATTERN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
/** `<unix seconds>.<base64url Ed25519 signature>` (seconds in canonical decimal); the signature is 64 bytes = 86 characters. */
export const SIGNATURE_PATTERN = /^(0|[1-9]\d{0,11})\.([A-Za-z0-9_-]{86})$/;

/**
 * Whether a proof's timestamp (unix seconds) is inside the window at `nowMs`: from
 * PROOF_WINDOW_SECONDS - PROOF_FUTURE_SKEW_SECONDS before now to PROOF_FUTURE_SKEW_SECONDS after it (120 s in all).
 */
export function inProofWindow(ts: number, nowMs: number): boolean {
  const now = nowMs / 1000;
  return now - (PROOF_WINDOW_SECONDS - PROOF_FUTURE_SKEW_SECONDS) <= ts && ts <= now + PROOF_FUTURE_SKEW_SECONDS;
}

function verifyMac(key: string, label: string, proof: string, nowMs: number): ProofVerdict {
  const match = PROOF_PATTERN.exec(proof);
  if (!match) return 'invalid';
  const [, ts, mac] = match;
  const expected = createHmac('sha256', Buffer.from(key, 'base64url')).update(`${label}|${ts}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return inProofWindow(Number(ts), nowMs) ? 'valid' : 'expired';
}

function makeMac(key: string, label: string, nowMs: number): string {
  const ts = Math.floor(nowMs / 1000);
  return `${ts}.${createHmac('sha256', Buffer.from(key, 'base64url')).update(`${label}|${ts}`).digest('base64url')}`;
}

/**
 * Checks a room proof: `HMAC-SHA256(auth, "sealroom/v2|<purpose>|<room_id>|<ts>")`, compared in constant
 * time, with `ts` inside the proof window (see inProofWindow). The purpose and room id are inside the MAC, so a
 * proof cannot be replayed into another room or for another action.
 */
export function verifyProof(authKey: string, purpose: ProofPurpose, roomId: string, proof: string, nowMs: number): ProofVerdict {
  return verifyMac(authKey, `sealroom/v2|${purpose}|${roomId}`, proof, nowMs);
}

/** Makes a proof the way clients do; the server uses it only in tests and tools. */
export function makeProof(authKey: string, purpose: ProofPurpose, roomId: string, nowMs: number): string {
  return makeMac(authKey, `sealroom/v2|${purpose}|${roomId}`, nowMs);
}

/**
 * Checks a download proof: `HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")` with the file's download key
 * `dk` (registered at upload), `ts` inside the proof window.
 */
export function verifyDownloadProof(downloadKey: string, fileId: string, proof: string, nowMs: number): ProofVerdict {
  return verifyMac(downloadKey, `sealroom/v2|download|${fileId}`, proof, nowMs);
}

/** Makes a download proof the way clients do (tests and tools). */
export function makeDownloadProof(downloadKey: string, fileId: string, nowMs: number): string {
  return makeMac(downloadKey, `sealroom/v2|download|${fileId}`, nowMs);
}

/**
 * The canonical encoding signatures cover: each field as UTF-8, preceded by its byte length as a big-endian
 * uint32. Integers are written as canonical decimal strings; an absent optional value is "".
 */
export function enc(...fields: string[]): Buffer {
  return Buffer.concat(
    fields.flatMap((f) => {
      const bytes = Buffer.from(f, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      return [len, bytes];
    }),
  );
}

/**
 * Imports a raw Ed25519 public key given as 32 bytes of base64url; null when it is not one (wrong length, not
 * canonical base64url, not a point of the curve, a point of small order, or refused by node:crypto).
 */
export function importOwnerKey(ownerKey: string): KeyObject | null {
  if (!isBase64Url(ownerKey, 32) || !isEd25519PublicKey(Buffer.from(ownerKey, 'base64url'))) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: ownerKey }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** What the owner signs to delete a room. */
export const deleteMessage = (roomId: string, ts: string) => enc('sealroom/v2 sig', 'delete', roomId, ts);

/**
 * Checks the owner's signature for deleting a room: `<ts>.<base64url Ed25519 signature>` over
 * `enc("sealroom/v2 sig", "delete", room_id, ts)`, verified with the room's owner key, `ts` inside the window.
 */
export function verifyOwnerSignature(ownerKey: string, roomId: string, signature: string, nowMs: number): ProofVerdict {
  const match = SIGNATURE_PATTERN.exec(signature);
  const key = importOwnerKey(ownerKey);
  if (!match || !key) return 'invalid';
  const [, ts, sig] = match;
  const bytes = Buffer.from(sig, 'base64url');
  if (bytes.length !== 64 || bytes.toString('base64url') !== sig) return 'invalid';
  let ok: boolean;
  try {
    ok = edVerify(null, deleteMessage(roomId, ts), key, bytes);
  } catch {
    ok = false;
  }
  if (!ok) return 'invalid';
  return inProofWindow(Number(ts), nowMs) ? 'valid' : 'expired';
}

/** Makes an owner's delete signature the way clients do (tests and tools); `privateKey` is a node:crypto key. */
export function makeOwnerSignature(privateKey: KeyObject, roomId: string, nowMs: number): string {
  const ts = String(Math.floor(nowMs / 1000));
  return `${ts}.${edSign(null, deleteMessage(roomId, ts), privateKey).toString('base64url')}`;
}
