import vectors from '../test-vectors.json';
import {
  MAX_PBKDF2_ITERATIONS,
  MIN_PBKDF2_ITERATIONS,
  base64urlDecode,
  base64urlEncode,
  checkPasswordParams,
  derivePasswordKey,
  deriveRoomKeyMaterial,
  deriveRoomKeys,
  generateRoomSecret,
  hexEncode,
  newPasswordParams,
  openMessage,
  sealMessage,
  type RoomKeyInput,
  type RoomKeyMaterial,
} from '../src/crypto/index.js';
import { expectCryptoError } from './support/test-helpers.js';

type RoomKeyVector = (typeof vectors.room_keys)[number];

function vectorInput(vector: RoomKeyVector): RoomKeyInput {
  return {
    roomId: vector.input.room_id,
    secret: vector.input.secret === null ? null : base64urlDecode(vector.input.secret),
    password: vector.input.password,
  };
}

const secretOnly = vectors.room_keys[0];
const secretAndPassword = vectors.room_keys[1];
const passwordOnly = vectors.room_keys[2];
const decomposedPassword = vectors.room_keys[3];

describe('room key vectors', () => {
  const derived = new Map<string, RoomKeyMaterial>();

  beforeAll(async () => {
    for (const vector of vectors.room_keys) derived.set(vector.input.room_id, await deriveRoomKeyMaterial(vectorInput(vector)));
  });

  it('covers a secret-only, a secret + password and a password-only room', () => {
    expect(secretOnly.input.password).toBeNull();
    expect(secretAndPassword.input.secret).not.toBeNull();
    expect(secretAndPassword.input.password).not.toBeNull();
    expect(passwordOnly.input.secret).toBeNull();
  });

  it.each(vectors.room_keys.map((v) => [v.input.room_id, v] as const))('derives K, msg, meta and auth of %s', (roomId, vector) => {
    const material = derived.get(roomId)!;
    expect(hexEncode(material.k)).toBe(vector.expected.k_hex);
    expect(hexEncode(material.msg)).toBe(vector.expected.msg_hex);
    expect(hexEncode(material.meta)).toBe(vector.expected.meta_hex);
    expect(hexEncode(material.auth)).toBe(vector.expected.auth_hex);
  });

  it('derives the PBKDF2 output pw of the password vectors', async () => {
    for (const vector of [secretAndPassword, passwordOnly, decomposedPassword]) {
      const password = vector.input.password!;
      expect(hexEncode(await derivePasswordKey(password.password, password))).toBe(vector.expected.pw_hex);
    }
  });

  it('NFC-normalizes the password before PBKDF2, so composed and decomposed accents give one key', async () => {
    const params = decomposedPassword.input.password!;
    const nfd = params.password;
    const nfc = nfd.normalize('NFC');
    expect(nfd).not.toBe(nfc); // the vector really is typed decomposed
    expect(nfd.normalize('NFD')).toBe(nfd);
    expect(Buffer.from(nfc, 'utf8').toString('hex')).toBe(decomposedPassword.expected.password_nfc_utf8_hex);
    const fromNfd = hexEncode(await derivePasswordKey(nfd, params));
    expect(hexEncode(await derivePasswordKey(nfc, params))).toBe(fromNfd);
    expect(fromNfd).toBe(decomposedPassword.expected.pw_hex);
    // Only canonical equivalence is folded: compatibility forms (NFKC) and case stay distinct.
    expect(hexEncode(await derivePasswordKey('ﬁle', params))).not.toBe(hexEncode(await derivePasswordKey('file', params)));
    expect(hexEncode(await derivePasswordKey(nfc.toUpperCase(), params))).not.toBe(fromNfd);
  });

  it('treats an empty secret like no secret', async () => {
    const material = await deriveRoomKeyMaterial({ ...vectorInput(passwordOnly), secret: new Uint8Array(0) });
    expect(hexEncode(material.k)).toBe(passwordOnly.expected.k_hex);
  });
});

describe('deriveRoomKeys', () => {
  it('returns non-extractable working keys and the raw auth bytes', async () => {
    const keys = await deriveRoomKeys(vectorInput(secretOnly));
    expect(base64urlEncode(keys.authRaw)).toBe(secretOnly.expected.auth);
    expect(keys.msg.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect(keys.meta.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect(keys.auth.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    for (const key of [keys.msg, keys.meta, keys.auth]) expect(key.extractable).toBe(false);
    expect([...keys.msg.usages].sort()).toEqual(['decrypt', 'encrypt']);
    expect([...keys.auth.usages].sort()).toEqual(['sign', 'verify']);
  });

  it('gives keys that cannot open data of the same room under a wrong password or secret', async () => {
    const ref = { roomId: secretAndPassword.input.room_id, messageId: 'm0000000001', memberId: 'member-alice' };
    const right = await deriveRoomKeys(vectorInput(secretAndPassword));
    const message = { text: 'secret plans', sent_at: 1, sig: vectors.signatures[0]!.expected.sig };
    const sealed = await sealMessage(right.msg, ref, message);
    expect(await openMessage(right.msg, ref, sealed)).toEqual(message);

    const wrongPassword = await deriveRoomKeys({
      ...vectorInput(secretAndPassword),
      password: { ...secretAndPassword.input.password!, password: 'correct horse battery staple ✓' },
    });
    await expectCryptoError(() => openMessage(wrongPassword.msg, ref, sealed), 'DECRYPT_FAILED');

    const wrongSecret = await deriveRoomKeys({ ...vectorInput(secretAndPassword), secret: generateRoomSecret() });
    await expectCryptoError(() => openMessage(wrongSecret.msg, ref, sealed), 'DECRYPT_FAILED');
    expect(hexEncode(wrongPassword.authRaw)).not.toBe(hexEncode(right.authRaw));
  });

  it('binds keys to the room id', async () => {
    const a = await deriveRoomKeyMaterial(vectorInput(secretOnly));
    const b = await deriveRoomKeyMaterial({ ...vectorInput(secretOnly), roomId: 'vector-room-2' });
    expect(hexEncode(b.k)).not.toBe(hexEncode(a.k));
  });

  it('keeps msg, meta and auth distinct', async () => {
    const { msg, meta, auth } = await deriveRoomKeyMaterial(vectorInput(secretOnly));
    expect(new Set([hexEncode(msg), hexEncode(meta), hexEncode(auth)]).size).toBe(3);
  });

  it('refuses a room with neither secret nor password', async () => {
    await expectCryptoError(() => deriveRoomKeys({ roomId: 'vector-room-1', secret: null }), 'INVALID_INPUT');
    await expectCryptoError(() => deriveRoomKeys({ roomId: 'vector-room-1', secret: new Uint8Array(0), password: null }), 'INVALID_INPUT');
  });

  it.each([31, 33, 16])('refuses a %i-byte secret', async (length) => {
    await expectCryptoError(() => deriveRoomKeys({ roomId: 'vector-room-1', secret: new Uint8Array(length) }), 'INVALID_INPUT');
  });

  it('refuses a bad room id', async () => {
    await expectCryptoError(() => deriveRoomKeys({ roomId: 'bad id', secret: generateRoomSecret() }), 'INVALID_ID');
  });
});

describe('password KDF parameters', () => {
  const salt = base64urlEncode(new Uint8Array(16));

  it('refuses fewer than 600,000 iterations with KDF_TOO_WEAK', async () => {
    expect(MIN_PBKDF2_ITERATIONS).toBe(600_000);
    for (const iterations of [MIN_PBKDF2_ITERATIONS - 1, 100_000, 1, 0, -600_000]) {
      await expectCryptoError(() => derivePasswordKey('password', { salt, iterations }), 'KDF_TOO_WEAK');
      await expectCryptoError(
        () => deriveRoomKeys({ roomId: 'vector-room-1', secret: null, password: { password: 'password', salt, iterations } }),
        'KDF_TOO_WEAK',
      );
    }
  });

  it('accepts exactly the minimum and the maximum without running the KDF', () => {
    expect(checkPasswordParams({ salt, iterations: MIN_PBKDF2_ITERATIONS })).toEqual(new Uint8Array(16));
    expect(checkPasswordParams({ salt, iterations: MAX_PBKDF2_ITERATIONS })).toEqual(new Uint8Array(16));
  });

  it('refuses absurd or non-integer iteration counts', async () => {
    for (const iterations of [MAX_PBKDF2_ITERATIONS + 1, 600_000.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expectCryptoError(() => checkPasswordParams({ salt, iterations }), 'INVALID_INPUT');
    }
    await expectCryptoError(() => checkPasswordParams({ salt, iterations: '600000' as unknown as number }), 'INVALID_INPUT');
  });

  it('refuses a salt that is not 16 bytes of strict base64url', async () => {
    await expectCryptoError(() => checkPasswordParams({ salt: base64urlEncode(new Uint8Array(15)), iterations: 600_000 }), 'INVALID_INPUT');
    await expectCryptoError(() => checkPasswordParams({ salt: `${salt}==`, iterations: 600_000 }), 'INVALID_ENCODING');
  });

  it('refuses an empty password or one with a lone surrogate', async () => {
    await expectCryptoError(() => derivePasswordKey('', { salt, iterations: 600_000 }), 'INVALID_INPUT');
    await expectCryptoError(() => derivePasswordKey('pass\uD800word', { salt, iterations: 600_000 }), 'INVALID_INPUT');
  });

  it('makes fresh parameters: a random 16-byte salt and 600,000 iterations', () => {
    const a = newPasswordParams();
    const b = newPasswordParams();
    expect(a.iterations).toBe(600_000);
    expect(base64urlDecode(a.salt)).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
  });
});

describe('generateRoomSecret', () => {
  it('makes 32 random bytes', () => {
    const a = generateRoomSecret();
    expect(a).toHaveLength(32);
    expect(hexEncode(a)).not.toBe(hexEncode(generateRoomSecret()));
  });
});
