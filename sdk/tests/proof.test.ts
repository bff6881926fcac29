import vectors from '../test-vectors.json';
import {
  PROOF_FUTURE_SKEW_SECONDS,
  PROOF_WINDOW_SECONDS,
  inProofWindow,
  base64urlDecode,
  deriveRoomKeys,
  importAuthKey,
  makeProof,
  verifyProof,
  type ProofPurpose,
} from '../src/crypto/index.js';
import { expectCryptoError } from './support/test-helpers.js';

const PROOF_SYNTAX = /^(0|[1-9][0-9]*)\.[A-Za-z0-9_-]{43}$/;
const joinVector = vectors.proofs[0];

async function authKeyOf(vector: (typeof vectors.proofs)[number]): Promise<CryptoKey> {
  return importAuthKey(base64urlDecode(vector.input.auth));
}

describe('proof vectors', () => {
  it.each(vectors.proofs.map((v) => [v.input.purpose, v] as const))('matches the %s vector', async (_, vector) => {
    const proof = await makeProof(await authKeyOf(vector), vector.input.purpose as ProofPurpose, vector.input.room_id, vector.input.ts);
    expect(proof).toBe(vector.expected.proof);
    expect(proof).toMatch(PROOF_SYNTAX);
  });

  it('matches with the auth key from deriveRoomKeys', async () => {
    const room = vectors.room_keys[0];
    const keys = await deriveRoomKeys({ roomId: room.input.room_id, secret: base64urlDecode(room.input.secret!) });
    expect(await makeProof(keys.auth, 'join', joinVector.input.room_id, joinVector.input.ts)).toBe(joinVector.expected.proof);
  });
});

describe('makeProof', () => {
  afterEach(() => jest.restoreAllMocks());

  it('uses the current Unix second by default', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(joinVector.input.ts * 1000 + 999);
    expect(await makeProof(await authKeyOf(joinVector), 'join', joinVector.input.room_id)).toBe(joinVector.expected.proof);
  });

  it('writes ts 0 as "0"', async () => {
    expect(await makeProof(await authKeyOf(joinVector), 'join', 'vector-room-1', 0)).toMatch(/^0\.[A-Za-z0-9_-]{43}$/);
  });

  it('gives different MACs for different purposes, rooms and times', async () => {
    const key = await authKeyOf(joinVector);
    const macs = await Promise.all([
      makeProof(key, 'join', 'vector-room-1', 1000),
      makeProof(key, 'upload', 'vector-room-1', 1000),
      makeProof(key, 'join', 'vector-room-2', 1000),
      makeProof(key, 'join', 'vector-room-1', 1001),
    ]);
    expect(new Set(macs.map((proof) => proof.split('.')[1])).size).toBe(macs.length);
  });

  it('refuses a bad purpose, room id, time or key', async () => {
    const key = await authKeyOf(joinVector);
    await expectCryptoError(() => makeProof(key, 'admin' as ProofPurpose, 'vector-room-1', 1), 'INVALID_INPUT');
    await expectCryptoError(() => makeProof(key, 'join', 'short', 1), 'INVALID_ID');
    for (const ts of [-1, 1.5, Number.NaN]) await expectCryptoError(() => makeProof(key, 'join', 'vector-room-1', ts), 'INVALID_INPUT');
    const aesKey = await globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    await expectCryptoError(() => makeProof(aesKey, 'join', 'vector-room-1', 1), 'INVALID_INPUT');
    await expectCryptoError(() => importAuthKey(new Uint8Array(31)), 'INVALID_INPUT');
  });
});

describe('verifyProof', () => {
  const { room_id: roomId, ts } = joinVector.input;
  const proof = joinVector.expected.proof;

  it('accepts the vector from 10 s before its ts (future skew) to 110 s after: 120 s in all', async () => {
    const key = await authKeyOf(joinVector);
    const past = PROOF_WINDOW_SECONDS - PROOF_FUTURE_SKEW_SECONDS;
    for (const now of [ts, ts - PROOF_FUTURE_SKEW_SECONDS, ts + past]) {
      expect(await verifyProof(key, 'join', roomId, proof, now)).toBe(true);
    }
    expect(inProofWindow(ts, ts + 110)).toBe(true);
    expect(inProofWindow(ts, ts - 10)).toBe(true);
  });

  it('rejects a proof outside the window, a future-dated one included', async () => {
    const key = await authKeyOf(joinVector);
    expect(await verifyProof(key, 'join', roomId, proof, ts + 111)).toBe(false);
    expect(await verifyProof(key, 'join', roomId, proof, ts - 11)).toBe(false);
    expect(await verifyProof(key, 'join', roomId, proof, ts - 119)).toBe(false); // v1 accepted a proof 119 s ahead
  });

  it('rejects a proof for another purpose or room, or under another key', async () => {
    const key = await authKeyOf(joinVector);
    expect(await verifyProof(key, 'upload', roomId, proof, ts)).toBe(false);
    expect(await verifyProof(key, 'join', 'vector-room-2', proof, ts)).toBe(false);
    expect(await verifyProof(await importAuthKey(new Uint8Array(32)), 'join', roomId, proof, ts)).toBe(false);
  });

  const [tsText, mac] = proof.split('.');
  const otherLastChar = mac.endsWith('A') ? 'E' : 'A'; // both have zero trailing bits
  it.each([
    ['an empty string', ''],
    ['no dot', `${tsText}${mac}`],
    ['a changed MAC', `${tsText}.${mac.slice(0, -1)}${otherLastChar}`],
    ['a changed ts', `${ts + 1}.${mac}`],
    ['a leading zero', `0${tsText}.${mac}`],
    ['a sign', `+${tsText}.${mac}`],
    ['a padded MAC', `${tsText}.${mac}=`],
    ['a truncated MAC', `${tsText}.${mac.slice(0, -1)}`],
    ['a non-canonical MAC', `${tsText}.${mac.slice(0, -1)}${mac.endsWith('B') ? 'C' : 'B'}`],
    ['surrounding whitespace', ` ${proof}`],
  ])('rejects a proof with %s', async (_, candidate) => {
    expect(await verifyProof(await authKeyOf(joinVector), 'join', roomId, candidate, ts)).toBe(false);
  });
});
