import { createHmac, randomBytes } from 'node:crypto';
import { makeProof, verifyProof } from '../../../src/services/proof';

const auth = randomBytes(32).toString('base64url');
const now = 1_764_172_800_000;

describe('room proofs', () => {
  it('verifies a proof made as PROTOCOL.md specifies', () => {
    const ts = Math.floor(now / 1000);
    const mac = createHmac('sha256', Buffer.from(auth, 'base64url')).update(`sealroom/v1|upload|room-123|${ts}`).digest('base64url');
    expect(verifyProof(auth, 'upload', 'room-123', `${ts}.${mac}`, now)).toBe('valid');
    expect(makeProof(auth, 'upload', 'room-123', now)).toBe(`${ts}.${mac}`);
  });

  it('binds the purpose and the room', () => {
    const proof = makeProof(auth, 'join', 'room-123', now);
    expect(verifyProof(auth, 'upload', 'room-123', proof, now)).toBe('invalid');
    expect(verifyProof(auth, 'join', 'room-124', proof, now)).toBe('invalid');
    expect(verifyProof(randomBytes(32).toString('base64url'), 'join', 'room-123', proof, now)).toBe('invalid');
  });

  it('accepts 120 s either side of now and no more', () => {
    const proofAt = (offsetMs: number) => makeProof(auth, 'join', 'room-123', now + offsetMs);
    expect(verifyProof(auth, 'join', 'room-123', proofAt(-120_000), now)).toBe('valid');
    expect(verifyProof(auth, 'join', 'room-123', proofAt(120_000), now)).toBe('valid');
    expect(verifyProof(auth, 'join', 'room-123', proofAt(-121_000), now)).toBe('expired');
    expect(verifyProof(auth, 'join', 'room-123', proofAt(121_000), now)).toBe('expired');
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
    const proof = makeProof(auth, 'delete', 'room-123', now);
    const [ts, mac] = proof.split('.');
    const bytes = Buffer.from(mac, 'base64url');
    bytes[5] ^= 1;
    expect(verifyProof(auth, 'delete', 'room-123', `${ts}.${bytes.toString('base64url')}`, now)).toBe('invalid');
  });
});
