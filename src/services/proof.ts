import { createHmac, timingSafeEqual } from 'node:crypto';
import { PROOF_WINDOW_SECONDS } from '../config';

export type ProofPurpose = 'join' | 'upload' | 'delete';
export type ProofVerdict = 'valid' | 'invalid' | 'expired';

/** `<unix seconds>.<base64url HMAC-SHA256>`; the MAC is always 32 bytes = 43 characters. */
export const PROOF_PATTERN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Checks a room proof: `HMAC-SHA256(auth, "sealroom/v1|<purpose>|<room_id>|<ts>")`, compared in constant
 * time, with `ts` within PROOF_WINDOW_SECONDS of now. The purpose and room id are inside the MAC, so a proof
 * cannot be replayed into another room or for another action.
 */
export function verifyProof(authKey: string, purpose: ProofPurpose, roomId: string, proof: string, nowMs: number): ProofVerdict {
  const match = PROOF_PATTERN.exec(proof);
  if (!match) return 'invalid';
  const [, ts, mac] = match;
  const expected = createHmac('sha256', Buffer.from(authKey, 'base64url')).update(`sealroom/v1|${purpose}|${roomId}|${ts}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Math.abs(nowMs / 1000 - Number(ts)) <= PROOF_WINDOW_SECONDS ? 'valid' : 'expired';
}

/** Makes a proof the way clients do; the server uses it only in tests and tools. */
export function makeProof(authKey: string, purpose: ProofPurpose, roomId: string, nowMs: number): string {
  const ts = Math.floor(nowMs / 1000);
  const mac = createHmac('sha256', Buffer.from(authKey, 'base64url')).update(`sealroom/v1|${purpose}|${roomId}|${ts}`).digest('base64url');
  return `${ts}.${mac}`;
}
