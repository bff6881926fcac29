import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  enc,
  importOwnerKey,
  inProofWindow,
  makeDownloadProof,
  makeOwnerSignature,
  makeProof,
  verifyDownloadProof,
  verifyOwnerSignature,
  verifyProof,
} from '../../../src/services/proof';

const auth = randomBytes(32).toString('base64url');
const now = 1_764_172_800_000; // a whole second
const nowS = now / 1000;

describe('room proofs', () => {
  it('verifies a proof made as PROTOCOL.md specifies (sealroom/v2 label), and refuses one with the v1 label', () => {
    const ts = Math.floor(now / 1000);
    const mac = createHmac('sha256', Buffer.from(auth, 'base64url')).update(`sealroom/v2|upload|room-123|${ts}`).digest('base64url');
    expect(verifyProof(auth, 'upload', 'room-123', `${ts}.${mac}`, now)).toBe('valid');
    expect(makeProof(auth, 'upload', 'room-123', now)).toBe(`${ts}.${mac}`);
    const v1 = createHmac('sha256', Buffer.from(auth, 'base64url')).update(`sealroom/v1|upload|room-123|${ts}`).digest('base64url');
    expect(verifyProof(auth, 'upload', 'room-123', `${ts}.${v1}`, now)).toBe('invalid');
  });

  it('binds the purpose and the room', () => {
    const proof = makeProof(auth, 'join', 'room-123', now);
    expect(verifyProof(auth, 'upload', 'room-123', proof, now)).toBe('invalid');
    expect(verifyProof(auth, 'join', 'room-124', proof, now)).toBe('invalid');
    expect(verifyProof(randomBytes(32).toString('base64url'), 'join', 'room-123', proof, now)).toBe('invalid');
  });

  describe('the window: now - 110 s <= ts <= now + 10 s (issue 15 finding 5)', () => {
    const proofAt = (offsetMs: number) => makeProof(auth, 'join', 'room-123', now + offsetMs);
    const verdict = (offsetMs: number, at = now) => verifyProof(auth, 'join', 'room-123', proofAt(offsetMs), at);

    it('accepts the edges: 110 s old and 10 s ahead', () => {
      expect(verdict(-110_000)).toBe('valid');
      expect(verdict(0)).toBe('valid');
      expect(verdict(10_000)).toBe('valid');
    });

    it('finding 5: refuses a future-dated proof (+11 s, +60 s, +119 s, +120 s) and one older than 110 s', () => {
      for (const offset of [11_000, 60_000, 119_000, 120_000, -111_000, -120_000, -121_000]) {
        expect({ offset, verdict: verdict(offset) }).toEqual({ offset, verdict: 'expired' });
      }
    });

    it('compares with the real-valued now: a proof dated now - 110 s stops being valid as soon as now moves on', () => {
      expect(inProofWindow(nowS - 110, now)).toBe(true);
      expect(inProofWindow(nowS - 110, now + 1)).toBe(false);
      expect(inProofWindow(nowS + 10, now)).toBe(true);
      expect(inProofWindow(nowS + 10, now - 1)).toBe(false);
      expect(inProofWindow(nowS + 11, now + 999)).toBe(false);
    });
  });

  it.each([
    '',
    '.',
    '123',
    '123.',
    'abc.def',
    `1764172800.${'A'.repeat(42)}`,
    `1764172800.${'A'.repeat(44)}`,
    `-1.${'A'.repeat(43)}`,
    `1764172800.${'+'.repeat(43)}`,
  ])('refuses the malformed proof %j', (proof) => {
    expect(verifyProof(auth, 'join', 'room-123', proof, now)).toBe('invalid');
  });

  it('refuses a proof whose MAC differs in one bit', () => {
    const proof = makeProof(auth, 'upload', 'room-123', now);
    const [ts, mac] = proof.split('.');
    const bytes = Buffer.from(mac, 'base64url');
    bytes[5] ^= 1;
    expect(verifyProof(auth, 'upload', 'room-123', `${ts}.${bytes.toString('base64url')}`, now)).toBe('invalid');
  });
});

describe('download proofs', () => {
  const dk = randomBytes(32).toString('base64url');

  it('are HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>"), bound to the file, in the same window', () => {
    const mac = createHmac('sha256', Buffer.from(dk, 'base64url')).update(`sealroom/v2|download|file-123|${nowS}`).digest('base64url');
    expect(makeDownloadProof(dk, 'file-123', now)).toBe(`${nowS}.${mac}`);
    expect(verifyDownloadProof(dk, 'file-123', `${nowS}.${mac}`, now)).toBe('valid');
    expect(verifyDownloadProof(dk, 'file-124', `${nowS}.${mac}`, now)).toBe('invalid');
    expect(verifyDownloadProof(randomBytes(32).toString('base64url'), 'file-123', `${nowS}.${mac}`, now)).toBe('invalid');
    expect(verifyDownloadProof(dk, 'file-123', makeDownloadProof(dk, 'file-123', now + 60_000), now)).toBe('expired');
    expect(verifyDownloadProof(dk, 'file-123', makeDownloadProof(dk, 'file-123', now - 110_000), now)).toBe('valid');
  });
});

describe('owner signatures', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const ownerKey = publicKey.export({ format: 'jwk' }).x as string;

  it('enc() prefixes each UTF-8 field with its byte length as a big-endian uint32', () => {
    expect(enc('ab', '', 'é').toString('hex')).toBe('00000002' + '6162' + '00000000' + '00000002' + 'c3a9');
  });

  it('verify an Ed25519 signature over enc("sealroom/v2 sig", "delete", room_id, ts), in the same window', () => {
    const sig = sign(null, enc('sealroom/v2 sig', 'delete', 'room-123', String(nowS)), privateKey).toString('base64url');
    expect(makeOwnerSignature(privateKey, 'room-123', now)).toBe(`${nowS}.${sig}`);
    expect(verifyOwnerSignature(ownerKey, 'room-123', `${nowS}.${sig}`, now)).toBe('valid');
    expect(verifyOwnerSignature(ownerKey, 'room-124', `${nowS}.${sig}`, now)).toBe('invalid');
    expect(verifyOwnerSignature(ownerKey, 'room-123', makeOwnerSignature(privateKey, 'room-123', now + 60_000), now)).toBe('expired');
    expect(verifyOwnerSignature(ownerKey, 'room-123', makeOwnerSignature(privateKey, 'room-123', now - 111_000), now)).toBe('expired');
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(verifyOwnerSignature(ownerKey, 'room-123', makeOwnerSignature(other, 'room-123', now), now)).toBe('invalid');
  });

  it('import only canonical 32-byte encodings of curve points that are not of small order', () => {
    expect(importOwnerKey(ownerKey)).not.toBeNull();
    const hex = (h: string) => Buffer.from(h, 'hex').toString('base64url');
    for (const bad of [
      'short',
      ownerKey.slice(0, 42),
      hex('ff'.repeat(32)), // y >= p
      hex('01'.padEnd(64, '0')), // the identity
      hex('ec' + 'ff'.repeat(30) + '7f'), // (0, -1), order 2
      hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'), // order 8
    ]) {
      expect({ bad, key: importOwnerKey(bad) }).toEqual({ bad, key: null });
    }
  });
});
