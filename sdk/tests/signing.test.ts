/**
 * The v2 vectors that sdk/scripts/make-test-vectors.mjs computes with node:crypto alone: canonical encoding,
 * identity and owner keys, signatures, safety codes, owner delete signatures, download proofs and file info.
 */
import vectors from '../test-vectors.json';
import {
  base64urlDecode,
  canonicalEncode,
  deriveFileAccessKeys,
  hexEncode,
  makeDownloadProof,
  makeOwnerSignature,
  openFileInfo,
  openSignedFileMeta,
  openSignedMessage,
  openSignedProfile,
  safetyCode,
  sealFileInfo,
  sealSignedFileMeta,
  sealSignedMessage,
  sealSignedProfile,
  signFields,
  signatureInput,
  signingKeyFromSeed,
  verifyFields,
  deriveRoomKeys,
  generateSigningKey,
  type SignatureKind,
  type SigningKey,
} from '../src/crypto/index.js';
import { expectCryptoError } from './support/test-helpers.js';

const seedOf = (member: string): string => vectors.identity_keys.find((k) => k.member_id === member)!.seed;

describe('canonical encoding vectors', () => {
  it.each(vectors.canonical.map((v) => [v.description, v] as const))('%s', (_, vector) => {
    expect(hexEncode(canonicalEncode(vector.fields))).toBe(vector.expected_hex);
  });

  it('refuses negative, fractional and unsafe integers and lone surrogates', () => {
    for (const bad of [-1, 1.5, 2 ** 53]) expect(() => canonicalEncode([bad])).toThrow();
    expect(() => canonicalEncode(['\ud800'])).toThrow();
  });
});

describe('identity and owner key vectors', () => {
  it.each(vectors.identity_keys.map((v) => [v.description, v] as const))('%s', async (_, vector) => {
    const key = await signingKeyFromSeed(vector.seed);
    expect(key.publicKey).toBe(vector.public_key);
    expect(hexEncode(base64urlDecode(key.publicKey))).toBe(vector.public_key_hex);
    expect(key.seed).toBe(vector.seed);
  });

  it('generates fresh keys that sign and verify', async () => {
    const [a, b] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    expect(a.publicKey).not.toBe(b.publicKey);
    expect((await signingKeyFromSeed(a.seed)).publicKey).toBe(a.publicKey);
    const sig = await signFields(a, 'msg', ['x']);
    expect(await verifyFields(a.publicKey, sig, 'msg', ['x'])).toBe(true);
    expect(await verifyFields(b.publicKey, sig, 'msg', ['x'])).toBe(false);
  });
});

describe('signature vectors', () => {
  it.each(vectors.signatures.map((v) => [v.description, v] as const))('%s', async (_, vector) => {
    const key = await signingKeyFromSeed(vector.input.seed);
    const [label, kind, ...fields] = vector.input.fields as [string, SignatureKind, ...string[]];
    expect(label).toBe('sealroom/v2 sig');
    expect(hexEncode(signatureInput(kind, fields))).toBe(vector.expected.enc_hex);
    expect(await signFields(key, kind, fields)).toBe(vector.expected.sig);
    expect(await verifyFields(vector.expected.public_key, vector.expected.sig, kind, fields)).toBe(true);
    // Any other field, kind or key fails.
    expect(await verifyFields(vector.expected.public_key, vector.expected.sig, kind, [...fields.slice(0, -1), `${fields.at(-1)}!`])).toBe(
      false,
    );
    expect(await verifyFields(vector.expected.public_key, vector.expected.sig, kind === 'msg' ? 'file' : 'msg', fields)).toBe(false);
    const other = vectors.identity_keys.find((k) => k.public_key !== vector.expected.public_key)!.public_key;
    expect(await verifyFields(other, vector.expected.sig, kind, fields)).toBe(false);
  });

  it('does not throw for a malformed key or signature: it is simply not valid', async () => {
    const vector = vectors.signatures[0]!;
    const [, kind, ...fields] = vector.input.fields as [string, SignatureKind, ...string[]];
    expect(await verifyFields('short', vector.expected.sig, kind, fields)).toBe(false);
    expect(await verifyFields(vector.expected.public_key, vector.expected.sig.slice(1), kind, fields)).toBe(false);
  });
});

describe('signed sealed values', () => {
  let keys: Awaited<ReturnType<typeof deriveRoomKeys>>;
  let alice: SigningKey;
  let bob: SigningKey;
  const room = vectors.room_keys[0]!;
  beforeAll(async () => {
    keys = await deriveRoomKeys({ roomId: room.input.room_id, secret: base64urlDecode(room.input.secret!) });
    alice = await signingKeyFromSeed(seedOf('member-alice'));
    bob = await signingKeyFromSeed(seedOf('member-bob'));
  });

  it('reproduces the sealed vectors from unsigned content (signatures are deterministic)', async () => {
    const [message, , , profile, file] = vectors.sealed;
    const m = message!.input;
    const sealedMessage = await sealSignedMessage(
      keys.msg,
      alice,
      { roomId: m.room_id, messageId: m.message_id!, memberId: m.member_id },
      { text: m.value.text!, sent_at: m.value.sent_at!, reply_to: m.value.reply_to! },
      { iv: base64urlDecode(m.iv) },
    );
    expect(sealedMessage.ct).toBe(message!.expected.ct);
    const p = profile!.input;
    const sealedProfile = await sealSignedProfile(keys.msg, alice, { roomId: p.room_id, memberId: p.member_id }, p.value.name!, {
      iv: base64urlDecode(p.iv),
    });
    expect(sealedProfile.ct).toBe(profile!.expected.ct);
    const f = file!.input;
    const ref = { roomId: f.room_id, fileId: f.file_id!, memberId: f.member_id };
    const { sig: _sig, ...meta } = f.value as { name: string; type: string; size: number; key: string; sig: string };
    expect((await sealSignedFileMeta(keys.meta, bob, ref, meta, { iv: base64urlDecode(f.iv) })).ct).toBe(file!.expected.ct);
  });

  it('opens and verifies them; the wrong sender key or a relabelled sender fails', async () => {
    const [message, , , profile, file] = vectors.sealed;
    const m = message!.input;
    const mref = { roomId: m.room_id, messageId: m.message_id!, memberId: m.member_id };
    const msealed = { iv: message!.expected.iv, ct: message!.expected.ct };
    expect((await openSignedMessage(keys.msg, mref, msealed, alice.publicKey)).text).toBe(m.value.text);
    await expectCryptoError(() => openSignedMessage(keys.msg, mref, msealed, bob.publicKey), 'BAD_SIGNATURE');

    const p = profile!.input;
    const opened = await openSignedProfile(
      keys.msg,
      { roomId: p.room_id, memberId: p.member_id },
      { iv: profile!.expected.iv, ct: profile!.expected.ct },
    );
    expect(opened.identity_key).toBe(alice.publicKey);

    const f = file!.input;
    const fsealed = { iv: file!.expected.iv, ct: file!.expected.ct };
    const fref = { roomId: f.room_id, fileId: f.file_id!, memberId: f.member_id };
    expect((await openSignedFileMeta(keys.meta, fref, fsealed, bob.publicKey)).name).toBe(f.value.name);
    // Finding 1: the sender is in the AAD; a relay that relabels the file as alice's cannot open it as hers.
    await expectCryptoError(
      () => openSignedFileMeta(keys.meta, { ...fref, memberId: 'member-alice' }, fsealed, alice.publicKey),
      'DECRYPT_FAILED',
    );
  });

  it('refuses a profile whose signature was made for another member id', async () => {
    // A member seals a profile for member-x, signed as if for member-y: the signature covers the member id.
    const { seal, profileAad } = await import('../src/crypto/index.js');
    const sig = await signFields(alice, 'profile', [room.input.room_id, 'member-y', alice.publicKey, 'Alice']);
    const sealed = await seal(keys.msg, profileAad({ roomId: room.input.room_id, memberId: 'member-x' }), {
      name: 'Alice',
      identity_key: alice.publicKey,
      sig,
    });
    await expectCryptoError(
      () => openSignedProfile(keys.msg, { roomId: room.input.room_id, memberId: 'member-x' }, sealed),
      'BAD_SIGNATURE',
    );
  });
});

describe('safety code vectors', () => {
  it.each(vectors.safety_codes.map((v) => [v.description, v] as const))('%s', async (_, vector) => {
    expect(await safetyCode(vector.input.room_id, vector.input.key_a, vector.input.key_b)).toBe(vector.expected.code);
    expect(await safetyCode(vector.input.room_id, vector.input.key_b, vector.input.key_a)).toBe(vector.expected.code);
    expect(vector.expected.code).toMatch(/^\d{5}( \d{5}){5}$/);
  });
});

describe('owner delete signature vectors', () => {
  it.each(vectors.owner_delete.map((v) => [v.description, v] as const))('%s', async (_, vector) => {
    const owner = await signingKeyFromSeed(vector.input.owner_seed);
    expect(owner.publicKey).toBe(vector.expected.owner_key);
    expect(hexEncode(signatureInput('delete', [vector.input.room_id, vector.input.ts]))).toBe(vector.expected.enc_hex);
    expect(await makeOwnerSignature(owner, vector.input.room_id, vector.input.ts)).toBe(vector.expected.header);
  });
});

describe('download proof vectors', () => {
  it.each(vectors.download_proofs.map((v) => [v.description, v] as const))('%s', async (_, vector) => {
    const access = await deriveFileAccessKeys(base64urlDecode(vector.input.file_key));
    expect(await makeDownloadProof(access.dk, vector.input.file_id, vector.input.ts)).toBe(vector.expected.proof);
  });

  it('refuses a bad file id or time', async () => {
    const access = await deriveFileAccessKeys(base64urlDecode(vectors.file_keys.file_key));
    await expectCryptoError(() => makeDownloadProof(access.dk, 'a|b', 1), 'INVALID_ID');
    await expectCryptoError(() => makeDownloadProof(access.dk, 'file-000001', -1), 'INVALID_INPUT');
  });
});

describe('file info vector', () => {
  it('seals and opens the file info with fm', async () => {
    const vector = vectors.file_info;
    const access = await deriveFileAccessKeys(base64urlDecode(vector.input.file_key));
    const sealed = await sealFileInfo(access.fm, vector.input.value, { iv: base64urlDecode(vector.input.iv) });
    expect(sealed).toEqual({ iv: vector.expected.iv, ct: vector.expected.ct });
    expect(await openFileInfo(access.fm, sealed)).toEqual(vector.input.value);
    const other = await deriveFileAccessKeys(new Uint8Array(32));
    await expectCryptoError(() => openFileInfo(other.fm, sealed), 'DECRYPT_FAILED');
  });
});
