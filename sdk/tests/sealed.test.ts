import vectors from '../test-vectors.json';
import {
  MAX_FILE_NAME_LENGTH,
  MAX_MESSAGE_TEXT_LENGTH,
  MAX_PROFILE_NAME_LENGTH,
  base64urlDecode,
  base64urlEncode,
  deriveRoomKeys,
  fileMetaAad,
  hexDecode,
  messageAad,
  open,
  openFileMeta,
  openMessage,
  openProfile,
  paddedLength,
  profileAad,
  seal,
  sealFileMeta,
  sealMessage,
  sealProfile,
  utf8Encode,
  type FileMetaPayload,
  type JsonValue,
  type MessagePayload,
  type ProfilePayload,
  type RoomKeys,
  type SealedValue,
} from '../src/crypto/index.js';
import { expectCryptoError, flipBit } from './support/test-helpers.js';

const room = vectors.room_keys[0];
const roomId = room.input.room_id;
const messageRef = { roomId, messageId: 'm0000000001', memberId: 'member-alice' };
const profileRef = { roomId, memberId: 'member-alice' };
const fileRef = { roomId, fileId: 'file-000001', memberId: 'member-bob' };
const fileKeyText = vectors.file_keys.file_key;
/** A well-formed signature and identity key (the shapes only matter here; signing.test.ts checks validity). */
const SIG = vectors.signatures[0]!.expected.sig;
const IDENTITY = vectors.identity_keys[0]!.public_key;
const goodFileMeta: FileMetaPayload = { name: 'a.txt', type: 'text/plain', size: 3, key: fileKeyText, sig: SIG };

let keys: RoomKeys;
/** The vector room's raw msg key, imported directly, to craft plaintexts the SDK would never seal. */
let rawMsgKey: CryptoKey;

beforeAll(async () => {
  keys = await deriveRoomKeys({ roomId, secret: base64urlDecode(room.input.secret!) });
  rawMsgKey = await globalThis.crypto.subtle.importKey('raw', hexDecode(room.expected.msg_hex), 'AES-GCM', false, ['encrypt', 'decrypt']);
});

/** Encrypts arbitrary plaintext bytes under the msg key with WebCrypto directly (no padding, no checks). */
async function sealRawPlaintext(plaintext: Uint8Array<ArrayBuffer>, aad: string): Promise<SealedValue> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ct = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8Encode(aad) }, rawMsgKey, plaintext);
  return { iv: base64urlEncode(iv), ct: base64urlEncode(new Uint8Array(ct)) };
}

/** Decrypts a sealed value under the msg key with WebCrypto directly, keeping the padding. */
async function rawPlaintext(sealed: SealedValue, aad: string): Promise<Uint8Array> {
  const plaintext = await globalThis.crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: base64urlDecode(sealed.iv), additionalData: utf8Encode(aad) },
    rawMsgKey,
    base64urlDecode(sealed.ct),
  );
  return new Uint8Array(plaintext);
}

describe('sealed value vectors', () => {
  const keyFor = (name: string): CryptoKey => (name === 'meta' ? keys.meta : keys.msg);

  it.each(vectors.sealed.map((v) => [v.description, v] as const))('%s', async (_, vector) => {
    const { input, expected } = vector;
    const iv = base64urlDecode(input.iv);
    const key = keyFor(input.key);
    // The generic API reproduces the ciphertext from the exact same JSON value, and opens it.
    const sealed = await seal(key, input.aad, input.value as unknown as JsonValue, { iv });
    expect(sealed).toEqual({ iv: expected.iv, ct: expected.ct });
    expect(base64urlDecode(expected.ct)).toHaveLength(expected.padded_bytes + 16);
    expect(paddedLength(expected.json_bytes)).toBe(expected.padded_bytes);
    expect(await open(key, input.aad, { iv: expected.iv, ct: expected.ct })).toEqual(input.value);

    // The kind-specific API computes the same AAD from the ids and gives the same result.
    if (vector.kind === 'message') {
      const ref = { roomId: input.room_id, messageId: input.message_id!, memberId: input.member_id! };
      expect(messageAad(ref)).toBe(input.aad);
      expect(await sealMessage(key, ref, input.value as MessagePayload, { iv })).toEqual(sealed);
      expect(await openMessage(key, ref, sealed)).toEqual(input.value);
    } else if (vector.kind === 'profile') {
      const ref = { roomId: input.room_id, memberId: input.member_id! };
      expect(profileAad(ref)).toBe(input.aad);
      expect(await sealProfile(key, ref, input.value as ProfilePayload, { iv })).toEqual(sealed);
      expect(await openProfile(key, ref, sealed)).toEqual(input.value);
    } else {
      const ref = { roomId: input.room_id, fileId: input.file_id!, memberId: input.member_id! };
      expect(fileMetaAad(ref)).toBe(input.aad);
      expect(await sealFileMeta(key, ref, input.value as FileMetaPayload, { iv })).toEqual(sealed);
      expect(await openFileMeta(key, ref, sealed)).toEqual(input.value);
    }
  });

  it('covers every kind', () => {
    expect(new Set(vectors.sealed.map((v) => v.kind))).toEqual(new Set(['message', 'profile', 'file']));
  });
});

describe('seal and open', () => {
  it('round-trips JSON values', async () => {
    for (const value of [{ a: [1, 'two', null, true] }, 'text', 0, null, [], { nested: { deep: 'é👋' } }] as JsonValue[]) {
      expect(await open(keys.msg, 'aad', await seal(keys.msg, 'aad', value))).toEqual(value);
    }
  });

  it('uses a fresh random IV each time', async () => {
    const a = await seal(keys.msg, 'aad', { x: 1 });
    const b = await seal(keys.msg, 'aad', { x: 1 });
    expect(base64urlDecode(a.iv)).toHaveLength(12);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it.each([
    [2, 256],
    [254, 256],
    [255, 256],
    [256, 512],
    [257, 512],
    [511, 512],
    [512, 768],
  ])('pads %i bytes of JSON to %i bytes: JSON, 0x80, zeros', async (jsonBytes, padded) => {
    const value = 'x'.repeat(jsonBytes - 2); // a JSON string: the text plus two quotes
    const sealed = await seal(keys.msg, 'aad', value);
    expect(base64urlDecode(sealed.ct)).toHaveLength(padded + 16);
    const plaintext = await rawPlaintext(sealed, 'aad');
    const expected = new Uint8Array(padded);
    expected.set(utf8Encode(JSON.stringify(value)));
    expected[jsonBytes] = 0x80;
    expect(plaintext).toEqual(expected);
  });

  describe('refuses tampering', () => {
    let sealed: SealedValue;
    beforeAll(async () => {
      sealed = await sealMessage(keys.msg, messageRef, { text: 'hi', sent_at: 5, sig: SIG });
    });

    it('of the ciphertext body and of the tag', async () => {
      const ct = base64urlDecode(sealed.ct);
      for (const index of [0, 100, ct.length - 17, ct.length - 1]) {
        const tampered = { ...sealed, ct: base64urlEncode(flipBit(ct, index)) };
        await expectCryptoError(() => openMessage(keys.msg, messageRef, tampered), 'DECRYPT_FAILED');
      }
    });

    it('of the IV', async () => {
      const tampered = { ...sealed, iv: base64urlEncode(flipBit(base64urlDecode(sealed.iv), 11)) };
      await expectCryptoError(() => openMessage(keys.msg, messageRef, tampered), 'DECRYPT_FAILED');
    });

    it('of the context (AAD): another room, message id or sender', async () => {
      for (const ref of [
        { ...messageRef, roomId: 'vector-room-2' },
        { ...messageRef, messageId: 'm0000000002' },
        { ...messageRef, memberId: 'member-bob' },
      ]) {
        await expectCryptoError(() => openMessage(keys.msg, ref, sealed), 'DECRYPT_FAILED');
      }
      await expectCryptoError(() => open(keys.msg, `${messageAad(messageRef)} `, sealed), 'DECRYPT_FAILED');
    });

    it('of the kind: a message cannot be opened as a profile', async () => {
      await expectCryptoError(() => openProfile(keys.msg, profileRef, sealed), 'DECRYPT_FAILED');
    });

    it('with a wrong key', async () => {
      await expectCryptoError(() => openMessage(keys.meta, messageRef, sealed), 'DECRYPT_FAILED');
      const other = await deriveRoomKeys({ roomId, secret: new Uint8Array(32) });
      await expectCryptoError(() => openMessage(other.msg, messageRef, sealed), 'DECRYPT_FAILED');
    });

    it('by truncating the ciphertext', async () => {
      const ct = base64urlDecode(sealed.ct);
      await expectCryptoError(
        () => open(keys.msg, messageAad(messageRef), { ...sealed, ct: base64urlEncode(ct.subarray(0, 16)) }),
        'DECRYPT_FAILED',
      );
      await expectCryptoError(() => open(keys.msg, messageAad(messageRef), { ...sealed, ct: '' }), 'DECRYPT_FAILED');
    });
  });

  it('refuses malformed {iv, ct}', async () => {
    const sealed = await seal(keys.msg, 'aad', 1);
    await expectCryptoError(() => open(keys.msg, 'aad', { ...sealed, iv: base64urlEncode(new Uint8Array(16)) }), 'INVALID_INPUT');
    await expectCryptoError(() => open(keys.msg, 'aad', { ...sealed, iv: `${sealed.iv}=` }), 'INVALID_ENCODING');
    await expectCryptoError(() => open(keys.msg, 'aad', { ...sealed, ct: `${sealed.ct}+` }), 'INVALID_ENCODING');
    await expectCryptoError(() => open(keys.msg, 'aad', null as unknown as SealedValue), 'INVALID_INPUT');
  });

  it('refuses a fixed IV that is not 12 bytes', async () => {
    await expectCryptoError(() => seal(keys.msg, 'aad', 1, { iv: new Uint8Array(11) }), 'INVALID_INPUT');
  });

  it('refuses values JSON cannot represent', async () => {
    await expectCryptoError(() => seal(keys.msg, 'aad', { big: 1n } as unknown as JsonValue), 'INVALID_INPUT');
    await expectCryptoError(() => seal(keys.msg, 'aad', undefined as unknown as JsonValue), 'INVALID_INPUT');
  });

  it('refuses a key of the wrong type', async () => {
    await expectCryptoError(() => seal(keys.auth, 'aad', 1), 'INVALID_INPUT');
  });
});

describe('strict unpadding', () => {
  const aad = 'aad';
  const content = utf8Encode('{"a":1}');
  const padded = (length: number, marker = 0x80, at = content.length): Uint8Array<ArrayBuffer> => {
    const bytes = new Uint8Array(length);
    bytes.set(content);
    if (at < length) bytes[at] = marker;
    return bytes;
  };

  it('accepts canonical padding', async () => {
    expect(await open(keys.msg, aad, await sealRawPlaintext(padded(256), aad))).toEqual({ a: 1 });
  });

  it.each([
    ['no marker byte (all zeros after the JSON)', padded(256, 0x00)],
    ['a marker other than 0x80', padded(256, 0x81)],
    ['no padding at all', content],
    ['a length that is not a multiple of 256', padded(255)],
    ['padding longer than one bucket', padded(512)],
    ['an empty plaintext', new Uint8Array(0)],
    ['only zeros', new Uint8Array(256)],
  ])('refuses %s', async (_, plaintext) => {
    await expectCryptoError(async () => open(keys.msg, aad, await sealRawPlaintext(plaintext, aad)), 'INVALID_PADDING');
  });

  it('refuses authenticated content that is not UTF-8 JSON', async () => {
    const notJson = new Uint8Array(256);
    notJson.set(utf8Encode('{not json'));
    notJson[9] = 0x80;
    await expectCryptoError(async () => open(keys.msg, aad, await sealRawPlaintext(notJson, aad)), 'INVALID_PAYLOAD');
    const notUtf8 = new Uint8Array(256);
    notUtf8.set([0x22, 0xff, 0x22, 0x80]);
    await expectCryptoError(async () => open(keys.msg, aad, await sealRawPlaintext(notUtf8, aad)), 'INVALID_PAYLOAD');
  });
});

describe('payload shapes', () => {
  /** Seals `value` with the right key and AAD, bypassing the kind's validation, as a hostile member could. */
  const sealAs = {
    message: (value: JsonValue) => seal(keys.msg, messageAad(messageRef), value),
    profile: (value: JsonValue) => seal(keys.msg, profileAad(profileRef), value),
    file: (value: JsonValue) => seal(keys.meta, fileMetaAad(fileRef), value),
  };
  const openAs = {
    message: (sealed: SealedValue) => openMessage(keys.msg, messageRef, sealed),
    profile: (sealed: SealedValue) => openProfile(keys.msg, profileRef, sealed),
    file: (sealed: SealedValue) => openFileMeta(keys.meta, fileRef, sealed),
  };
  type Kind = keyof typeof sealAs;

  const badPayloads: Array<[Kind, string, JsonValue]> = [
    ['message', 'an array', []],
    ['message', 'null', null],
    ['message', 'a string', 'hi'],
    ['message', 'no text', { sent_at: 1, sig: SIG }],
    ['message', 'a numeric text', { text: 5, sent_at: 1, sig: SIG }],
    ['message', 'text over the cap', { text: 'x'.repeat(MAX_MESSAGE_TEXT_LENGTH + 1), sent_at: 1, sig: SIG }],
    ['message', 'no sent_at', { text: 'hi', sig: SIG }],
    ['message', 'a negative sent_at', { text: 'hi', sent_at: -1, sig: SIG }],
    ['message', 'a fractional sent_at', { text: 'hi', sent_at: 1.5, sig: SIG }],
    ['message', 'a string sent_at', { text: 'hi', sent_at: '1', sig: SIG }],
    ['message', 'a reply_to that is no id', { text: 'hi', sent_at: 1, reply_to: 'x', sig: SIG }],
    ['message', 'no sig', { text: 'hi', sent_at: 1 }],
    ['message', 'a short sig', { text: 'hi', sent_at: 1, sig: SIG.slice(0, 85) }],
    ['profile', 'no name', { identity_key: IDENTITY, sig: SIG }],
    ['profile', 'an empty name', { name: '', identity_key: IDENTITY, sig: SIG }],
    ['profile', 'a name over the cap', { name: 'x'.repeat(MAX_PROFILE_NAME_LENGTH + 1), identity_key: IDENTITY, sig: SIG }],
    ['profile', 'a name with an escape character', { name: 'Eve\u001b[2J', identity_key: IDENTITY, sig: SIG }],
    ['profile', 'a name with a right-to-left override', { name: 'Eve\u202e', identity_key: IDENTITY, sig: SIG }],
    ['profile', 'no identity key', { name: 'Eve', sig: SIG }],
    ['profile', 'a malformed identity key', { name: 'Eve', identity_key: IDENTITY.slice(0, 42), sig: SIG }],
    ['profile', 'no sig', { name: 'Eve', identity_key: IDENTITY }],
    ['file', 'no key', { name: 'a.txt', type: 'text/plain', size: 3, sig: SIG }],
    ['file', 'no sig', { name: 'a.txt', type: 'text/plain', size: 3, key: fileKeyText }],
    ['file', 'a name with a slash', { ...goodFileMeta, name: '../.bashrc' }],
    ['file', 'a name with a backslash', { ...goodFileMeta, name: '..\\evil.exe' }],
    ['file', 'the name ..', { ...goodFileMeta, name: '..' }],
    ['file', 'an empty name', { ...goodFileMeta, name: '' }],
    ['file', 'a name over the cap', { ...goodFileMeta, name: 'x'.repeat(MAX_FILE_NAME_LENGTH + 1) }],
    ['file', 'a name with a newline', { ...goodFileMeta, name: 'a\nb.txt' }],
    ['file', 'a name with a right-to-left override', { ...goodFileMeta, name: 'invoice\u202efdp.exe' }],
    ['file', 'a non-ASCII type', { ...goodFileMeta, type: 'text/plaîn' }],
    ['file', 'a negative size', { ...goodFileMeta, size: -1 }],
    ['file', 'a fractional size', { ...goodFileMeta, size: 0.5 }],
    ['file', 'a short key', { ...goodFileMeta, key: fileKeyText.slice(0, 42) }],
    ['file', 'a non-canonical key', { ...goodFileMeta, key: `${fileKeyText.slice(0, 42)}B` }],
  ];

  it.each(badPayloads)('open refuses a %s payload with %s', async (kind, _, value) => {
    const sealed = await sealAs[kind](value);
    await expectCryptoError(() => openAs[kind](sealed), 'INVALID_PAYLOAD');
  });

  it('seal refuses the same bad payloads as INVALID_INPUT', async () => {
    for (const [kind, , value] of badPayloads) {
      if (kind === 'message') await expectCryptoError(() => sealMessage(keys.msg, messageRef, value as MessagePayload), 'INVALID_INPUT');
      if (kind === 'profile') await expectCryptoError(() => sealProfile(keys.msg, profileRef, value as ProfilePayload), 'INVALID_INPUT');
      if (kind === 'file') await expectCryptoError(() => sealFileMeta(keys.meta, fileRef, value as FileMetaPayload), 'INVALID_INPUT');
    }
  });

  it('accepts values exactly at the caps', async () => {
    const message = { text: 'x'.repeat(MAX_MESSAGE_TEXT_LENGTH), sent_at: 0, sig: SIG };
    expect(await openMessage(keys.msg, messageRef, await sealMessage(keys.msg, messageRef, message))).toEqual(message);
    const profile = { name: 'x'.repeat(MAX_PROFILE_NAME_LENGTH), identity_key: IDENTITY, sig: SIG };
    expect(await openProfile(keys.msg, profileRef, await sealProfile(keys.msg, profileRef, profile))).toEqual(profile);
    const meta = { ...goodFileMeta, name: 'x'.repeat(MAX_FILE_NAME_LENGTH), type: '', size: 0 };
    expect(await openFileMeta(keys.meta, fileRef, await sealFileMeta(keys.meta, fileRef, meta))).toEqual(meta);
  });

  it('drops unknown fields and reads a null reply_to as absent', async () => {
    const sealed = await sealAs.message({ text: 'hi', sent_at: 1, reply_to: null, sig: SIG, future: 'field' });
    expect(await openAs.message(sealed)).toStrictEqual({ text: 'hi', sent_at: 1, sig: SIG });
    const meta = await sealAs.file({ ...goodFileMeta, extra: true });
    expect(await openAs.file(meta)).toStrictEqual(goodFileMeta);
  });

  it('does not seal unknown fields', async () => {
    const withExtra = { text: 'hi', sent_at: 1, sig: SIG, secret: 'do not leak' } as MessagePayload;
    const sealed = await sealMessage(keys.msg, messageRef, withExtra);
    expect(await open(keys.msg, messageAad(messageRef), sealed)).toStrictEqual({ text: 'hi', sent_at: 1, sig: SIG });
  });

  it('refuses bad ids in the references', async () => {
    await expectCryptoError(
      () => sealMessage(keys.msg, { ...messageRef, messageId: 'a|b' }, { text: '', sent_at: 0, sig: SIG }),
      'INVALID_ID',
    );
    await expectCryptoError(
      () => sealProfile(keys.msg, { ...profileRef, memberId: 'x' }, { name: 'A', identity_key: IDENTITY, sig: SIG }),
      'INVALID_ID',
    );
    await expectCryptoError(() => sealFileMeta(keys.meta, { ...fileRef, roomId: '' }, goodFileMeta), 'INVALID_ID');
  });
});
