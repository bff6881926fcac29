#!/usr/bin/env node
// Writes sdk/test-vectors.json: fixed inputs and expected outputs for Sealroom's wire format.
//
// This is deliberately a SECOND, independent implementation of the format, on Node's `node:crypto`
// (hkdfSync, pbkdf2Sync, createHmac, createCipheriv, Ed25519 sign) and sharing no code with the SDK, so that the SDK's
// tests (sdk/tests/*.test.ts), which compare the SDK's output with this file, cross-check both.
//
//   node sdk/scripts/make-test-vectors.mjs          regenerate the file
//   node sdk/scripts/make-test-vectors.mjs --check  exit 1 if the committed file differs from a fresh run
//
// Output is deterministic: every key, IV and plaintext below is fixed.
import { createCipheriv, createHash, createHmac, createPrivateKey, createPublicKey, hkdfSync, pbkdf2Sync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-vectors.json');

const RECORD_SIZE = 65536;
const TAG_SIZE = 16;
const PAD_BUCKET = 256;

// ---- small helpers -------------------------------------------------------------------------------

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const b64url = (bytes) => Buffer.from(bytes).toString('base64url'); // Node's base64url has no padding
const sha256Hex = (bytes) => createHash('sha256').update(bytes).digest('hex');
/** n bytes counting up from `start` (mod 256): readable fixed keys. */
const counting = (start, n) => Buffer.from(Array.from({ length: n }, (_, i) => (start + i) % 256));
/** The documented file pattern: byte i = i mod 251 (251 is prime, so records differ from each other). */
const pattern = (n) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

const hkdf = (ikm, salt, info, length) => Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), length));

function aesGcmEncrypt(key, iv, plaintext, aad) {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_SIZE });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

// ---- canonical encoding and Ed25519 -------------------------------------------------------------

/** enc(f1..fn): each field as UTF-8 with a 4-byte big-endian length before it; integers in decimal. */
function enc(fields) {
  return Buffer.concat(
    fields.flatMap((field) => {
      const bytes = Buffer.from(typeof field === 'number' ? String(field) : field, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}

/** An Ed25519 key from its 32-byte seed (RFC 8410 PKCS #8: a fixed 16-byte prefix, then the seed). */
function ed25519Key(seed) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');
  return { seed, privateKey, publicKey, public: b64url(publicKey) };
}

const ed25519Sign = (key, data) => sign(null, data, key.privateKey);

// ---- room keys -----------------------------------------------------------------------------------

function roomKeys({ roomId, secret, password }) {
  // Passwords are NFC-normalized before UTF-8 encoding (the same password typed on any keyboard gives one key).
  const pw = password
    ? pbkdf2Sync(
        Buffer.from(password.password.normalize('NFC'), 'utf8'),
        Buffer.from(password.salt, 'base64url'),
        password.iterations,
        32,
        'sha256',
      )
    : Buffer.alloc(0);
  const ikm = Buffer.concat([secret ?? Buffer.alloc(0), pw]);
  const k = hkdf(ikm, Buffer.from(roomId, 'utf8'), 'sealroom/v2 room', 32);
  return {
    pw,
    ikm,
    k,
    msg: hkdf(k, Buffer.alloc(0), 'sealroom/v2 msg', 32),
    meta: hkdf(k, Buffer.alloc(0), 'sealroom/v2 meta', 32),
    auth: hkdf(k, Buffer.alloc(0), 'sealroom/v2 auth', 32),
  };
}

function roomKeyVector(description, input) {
  const keys = roomKeys(input);
  return {
    description,
    input: {
      room_id: input.roomId,
      secret: input.secret ? b64url(input.secret) : null,
      password: input.password ?? null,
    },
    expected: {
      ...(input.password && input.password.password !== input.password.password.normalize('NFC')
        ? { password_nfc_utf8_hex: hex(Buffer.from(input.password.password.normalize('NFC'), 'utf8')) }
        : {}),
      pw_hex: input.password ? hex(keys.pw) : null,
      ikm_hex: hex(keys.ikm),
      k_hex: hex(keys.k),
      msg_hex: hex(keys.msg),
      meta_hex: hex(keys.meta),
      auth_hex: hex(keys.auth),
      auth: b64url(keys.auth),
    },
    keys,
  };
}

const secretOnly = roomKeyVector('Room with a secret only (no password): ikm = secret.', {
  roomId: 'vector-room-1',
  secret: counting(0x00, 32),
});
const secretAndPassword = roomKeyVector(
  'Room with a secret and a password; the password has non-ASCII characters (already in NFC, so used as is): ikm = secret || pw.',
  {
    roomId: 'Vector_Room_2',
    secret: counting(0xa0, 32),
    password: { password: 'correct horse battery staple ✓ 🔑', salt: b64url(counting(0x10, 16)), iterations: 600000 },
  },
);
const passwordOnly = roomKeyVector('Password-only room (empty secret): ikm = pw.', {
  roomId: 'pw-only-room',
  secret: null,
  password: { password: 'hunter2 is not a good password', salt: b64url(counting(0xf0, 16)), iterations: 600000 },
});
const decomposedPassword = roomKeyVector(
  'Password-only room whose password is typed decomposed (NFD: "e" + U+0301, "u" + U+0308); it is NFC-normalized before PBKDF2, so it gives the same key as the precomposed "Amélie Grüße 2024" (see expected.password_nfc_utf8_hex).',
  {
    roomId: 'nfc-password-room',
    secret: null,
    password: { password: 'Ame\u0301lie Gru\u0308ße 2024', salt: b64url(counting(0x30, 16)), iterations: 600000 },
  },
);
const roomKeyVectors = [secretOnly, secretAndPassword, passwordOnly, decomposedPassword];

// ---- proofs --------------------------------------------------------------------------------------

function proofVector(purpose, roomVector, ts) {
  const roomId = roomVector.input.room_id;
  const message = `sealroom/v2|${purpose}|${roomId}|${ts}`;
  const mac = createHmac('sha256', roomVector.keys.auth).update(message, 'utf8').digest('base64url');
  return {
    description: `Room proof for "${purpose}" with the auth key of room key vector "${roomId}".`,
    input: { auth: roomVector.expected.auth, purpose, room_id: roomId, ts },
    expected: { mac_input: message, mac, proof: `${ts}.${mac}` },
  };
}

// ---- sealed values -------------------------------------------------------------------------------

function pad(content) {
  const padded = Buffer.alloc((Math.floor(content.length / PAD_BUCKET) + 1) * PAD_BUCKET);
  content.copy(padded);
  padded[content.length] = 0x80;
  return padded;
}

function sealedVector(description, { kind, key, keyName, roomVector, aad, ids, value, iv }) {
  const json = JSON.stringify(value);
  const padded = pad(Buffer.from(json, 'utf8'));
  const ct = aesGcmEncrypt(key, iv, padded, Buffer.from(aad, 'utf8'));
  return {
    description,
    kind,
    input: {
      room_key_vector: roomVector.input.room_id,
      key: keyName,
      ...ids,
      aad,
      value,
      plaintext_json: json,
      iv: b64url(iv),
    },
    expected: { json_bytes: Buffer.byteLength(json, 'utf8'), padded_bytes: padded.length, iv: b64url(iv), ct: b64url(ct) },
  };
}

/** Identity keys of the two members in the vectors (fixed seeds; Ed25519 signatures are deterministic). */
const alice = ed25519Key(counting(0xb0, 32));
const bob = ed25519Key(counting(0xc0, 32));
const identities = { 'member-alice': alice, 'member-bob': bob };

const roomId1 = secretOnly.input.room_id;
const fileKey = counting(0x40, 32);

/** Signs a message as its sender: sig over enc("sealroom/v2 sig", "msg", room, id, member, sent_at, reply_to or "", text). */
function signedMessage(messageId, memberId, { text, sent_at, reply_to }) {
  const fields = ['sealroom/v2 sig', 'msg', roomId1, messageId, memberId, sent_at, reply_to ?? '', text];
  const sig = b64url(ed25519Sign(identities[memberId], enc(fields)));
  return { text, sent_at, ...(reply_to !== undefined ? { reply_to } : {}), sig };
}

/** A message whose UTF-8 JSON (signature included: always 86 characters) is exactly `jsonBytes` long. */
function messageOfJsonLength(jsonBytes, sentAt) {
  const overhead = Buffer.byteLength(JSON.stringify({ text: '', sent_at: sentAt, sig: 'x'.repeat(86) }), 'utf8');
  return { text: 'x'.repeat(jsonBytes - overhead), sent_at: sentAt };
}

const messageVector = (description, messageId, memberId, content, iv) =>
  sealedVector(description, {
    kind: 'message',
    key: secretOnly.keys.msg,
    keyName: 'msg',
    roomVector: secretOnly,
    aad: `sealroom/v2|msg|${roomId1}|${messageId}|${memberId}`,
    ids: { room_id: roomId1, message_id: messageId, member_id: memberId },
    value: signedMessage(messageId, memberId, content),
    iv,
  });

const profileName = 'Alice 🦊';
const profileValue = {
  name: profileName,
  identity_key: alice.public,
  sig: b64url(ed25519Sign(alice, enc(['sealroom/v2 sig', 'profile', roomId1, 'member-alice', alice.public, profileName]))),
};
const fileMeta = { name: 'report 2024.pdf', type: 'application/pdf', size: 150000, key: b64url(fileKey) };
const fileMetaValue = {
  ...fileMeta,
  sig: b64url(
    ed25519Sign(
      bob,
      enc(['sealroom/v2 sig', 'file', roomId1, 'file-000001', 'member-bob', fileMeta.name, fileMeta.type, fileMeta.size, fileMeta.key]),
    ),
  ),
};

const sealedVectors = [
  messageVector(
    'Chat message with a reply, non-ASCII text and a newline, signed by member-alice.',
    'm0000000001',
    'member-alice',
    { text: 'Hello, Sealroom! Grüße 👋\nsecond line', sent_at: 1700000000123, reply_to: 'm0000000000' },
    counting(0x60, 12),
  ),
  messageVector(
    'Chat message (signed by member-bob) whose JSON is 255 bytes: padded to 256 (0x80 fills the last byte).',
    'm0000000002',
    'member-bob',
    messageOfJsonLength(255, 1700000001000),
    counting(0x70, 12),
  ),
  messageVector(
    'Chat message (signed by member-bob) whose JSON is exactly 256 bytes: padded to 512, since the 0x80 byte is always added.',
    'm0000000003',
    'member-bob',
    messageOfJsonLength(256, 1700000002000),
    counting(0x80, 12),
  ),
  sealedVector('Member profile of member-alice: name, identity key, and the profile signature.', {
    kind: 'profile',
    key: secretOnly.keys.msg,
    keyName: 'msg',
    roomVector: secretOnly,
    aad: `sealroom/v2|profile|${roomId1}|member-alice`,
    ids: { room_id: roomId1, member_id: 'member-alice' },
    value: profileValue,
    iv: counting(0x90, 12),
  }),
  sealedVector(
    'File metadata (file:share) shared and signed by member-bob; key is the file key of the "pattern 150000" file vector. The AAD names the sender.',
    {
      kind: 'file',
      key: secretOnly.keys.meta,
      keyName: 'meta',
      roomVector: secretOnly,
      aad: `sealroom/v2|file|${roomId1}|file-000001|member-bob`,
      ids: { room_id: roomId1, file_id: 'file-000001', member_id: 'member-bob' },
      value: fileMetaValue,
      iv: counting(0xa0, 12),
    },
  ),
];

// ---- signatures ------------------------------------------------------------------------------------

function signatureVector(description, signer, signerName, fields) {
  const bytes = enc(fields);
  return {
    description,
    input: { signer: signerName, seed: b64url(signer.seed), fields: fields.map(String) },
    expected: { public_key: signer.public, enc_hex: hex(bytes), sig: b64url(ed25519Sign(signer, bytes)) },
  };
}

const owner = ed25519Key(counting(0xd0, 32));

const identityKeyVectors = [
  {
    description: 'Identity key of member-alice: Ed25519 from a fixed 32-byte seed.',
    member_id: 'member-alice',
    seed: b64url(alice.seed),
    seed_hex: hex(alice.seed),
    public_key: alice.public,
    public_key_hex: hex(alice.publicKey),
  },
  {
    description: 'Identity key of member-bob.',
    member_id: 'member-bob',
    seed: b64url(bob.seed),
    seed_hex: hex(bob.seed),
    public_key: bob.public,
    public_key_hex: hex(bob.publicKey),
  },
  {
    description: 'Owner key of room vector-room-1 (the owner credential is the seed).',
    member_id: null,
    seed: b64url(owner.seed),
    seed_hex: hex(owner.seed),
    public_key: owner.public,
    public_key_hex: hex(owner.publicKey),
  },
];

const canonicalVectors = [
  { description: 'No fields: the empty byte string.', fields: [], expected_hex: '' },
  {
    description:
      'A label, an empty field (an absent reply_to), an integer written in decimal, and non-ASCII text (lengths count UTF-8 bytes).',
    fields: ['sealroom/v2 sig', '', 1700000000123, 'Grüße 👋'],
    expected_hex: hex(enc(['sealroom/v2 sig', '', 1700000000123, 'Grüße 👋'])),
  },
  {
    description: 'Two fields that concatenate like one another ("ab","c" vs "a","bc") encode differently.',
    fields: ['ab', 'c'],
    expected_hex: hex(enc(['ab', 'c'])),
  },
  { description: 'The other split.', fields: ['a', 'bc'], expected_hex: hex(enc(['a', 'bc'])) },
];

const signatureVectors = [
  signatureVector('Profile signature of member-alice (the profile in sealed[3]).', alice, 'member-alice', [
    'sealroom/v2 sig',
    'profile',
    roomId1,
    'member-alice',
    alice.public,
    profileName,
  ]),
  signatureVector(
    'Message signature of member-alice (the message in sealed[0]): room, message id, sender, sent_at, reply_to, text.',
    alice,
    'member-alice',
    [
      'sealroom/v2 sig',
      'msg',
      roomId1,
      'm0000000001',
      'member-alice',
      1700000000123,
      'm0000000000',
      'Hello, Sealroom! Grüße 👋\nsecond line',
    ],
  ),
  signatureVector('Message signature without reply_to: the field is the empty string.', bob, 'member-bob', [
    'sealroom/v2 sig',
    'msg',
    roomId1,
    'm0000000004',
    'member-bob',
    1700000003000,
    '',
    'no reply',
  ]),
  signatureVector('File announcement signature of member-bob (the metadata in sealed[4]).', bob, 'member-bob', [
    'sealroom/v2 sig',
    'file',
    roomId1,
    'file-000001',
    'member-bob',
    fileMeta.name,
    fileMeta.type,
    fileMeta.size,
    fileMeta.key,
  ]),
];

const ownerDeleteVectors = [1700000000, 1700000300].map((ts) => {
  const bytes = enc(['sealroom/v2 sig', 'delete', roomId1, ts]);
  const sig = b64url(ed25519Sign(owner, bytes));
  return {
    description: `Owner signature deleting ${roomId1} at ts ${ts}: the X-Owner-Signature header.`,
    input: { owner_seed: b64url(owner.seed), room_id: roomId1, ts },
    expected: { owner_key: owner.public, enc_hex: hex(bytes), sig, header: `${ts}.${sig}` },
  };
});

/** Safety codes: SHA-256 of enc(label, room, lower key, higher key); 6 groups of 5 bytes, each uint40 mod 100000. */
function safetyVector(description, roomId, a, b, aName, bName) {
  const [low, high] = Buffer.compare(a.publicKey, b.publicKey) <= 0 ? [a, b] : [b, a];
  const bytes = enc(['sealroom/v2 safety', roomId, low.public, high.public]);
  const h = createHash('sha256').update(bytes).digest();
  const groups = [0, 1, 2, 3, 4, 5].map((g) => String(Number(h.readUIntBE(g * 5, 5) % 100000)).padStart(5, '0'));
  return {
    description,
    input: { room_id: roomId, key_a: a.public, key_b: b.public, member_a: aName, member_b: bName },
    expected: { lower_key: low.public, enc_hex: hex(bytes), sha256_hex: hex(h), code: groups.join(' ') },
  };
}

const safetyVectors = [
  safetyVector(`Safety code of member-alice and member-bob in ${roomId1}.`, roomId1, alice, bob, 'member-alice', 'member-bob'),
  safetyVector('The same pair, keys given the other way round: the same code.', roomId1, bob, alice, 'member-bob', 'member-alice'),
  safetyVector('The same pair in another room: another code.', secretAndPassword.input.room_id, alice, bob, 'member-alice', 'member-bob'),
];

// ---- files ---------------------------------------------------------------------------------------

const fileCk = hkdf(fileKey, Buffer.alloc(0), 'sealroom/v2 file key', 32);
const fileNb = hkdf(fileKey, Buffer.alloc(0), 'sealroom/v2 file nonce', 12);
const fileDk = hkdf(fileKey, Buffer.alloc(0), 'sealroom/v2 file download', 32);
const fileFm = hkdf(fileKey, Buffer.alloc(0), 'sealroom/v2 file info', 32);

/** Download proofs: "<ts>.<base64url HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")>". */
const downloadProofVectors = [1700000000, 1700000099].map((ts) => {
  const message = `sealroom/v2|download|file-000001|${ts}`;
  const mac = createHmac('sha256', fileDk).update(message, 'utf8').digest('base64url');
  return {
    description: `Download proof for file-000001 at ts ${ts}, with the dk of the file vectors' file key.`,
    input: { file_key: b64url(fileKey), file_id: 'file-000001', ts },
    expected: { download_key: b64url(fileDk), mac_input: message, mac, proof: `${ts}.${mac}` },
  };
});

/** The self-describing file info sealed at upload: {name, type, size} with fm, AAD "sealroom/v2|file-info". */
const fileInfoValue = { name: fileMeta.name, type: fileMeta.type, size: fileMeta.size };
const fileInfoJson = JSON.stringify(fileInfoValue);
const fileInfoIv = counting(0xe0, 12);
const fileInfoPadded = pad(Buffer.from(fileInfoJson, 'utf8'));
const fileInfoVector = {
  description: 'file_info of the "pattern 150000" file: sealed with fm, AAD "sealroom/v2|file-info", sent as the JSON text of {iv, ct}.',
  input: {
    file_key: b64url(fileKey),
    aad: 'sealroom/v2|file-info',
    value: fileInfoValue,
    plaintext_json: fileInfoJson,
    iv: b64url(fileInfoIv),
  },
  expected: {
    fm_hex: hex(fileFm),
    json_bytes: Buffer.byteLength(fileInfoJson, 'utf8'),
    padded_bytes: fileInfoPadded.length,
    iv: b64url(fileInfoIv),
    ct: b64url(aesGcmEncrypt(fileFm, fileInfoIv, fileInfoPadded, Buffer.from('sealroom/v2|file-info', 'utf8'))),
  },
};

function recordNonce(index) {
  const counter = Buffer.alloc(12);
  counter.writeBigUInt64BE(BigInt(index), 4);
  return Buffer.from(fileNb.map((byte, i) => byte ^ counter[i]));
}

function encryptFile(plaintext) {
  const count = Math.floor(plaintext.length / RECORD_SIZE) + 1; // the last record is always short
  const records = [];
  const parts = [];
  for (let index = 0; index < count; index++) {
    const last = index === count - 1;
    const chunk = plaintext.subarray(index * RECORD_SIZE, Math.min((index + 1) * RECORD_SIZE, plaintext.length));
    const nonce = recordNonce(index);
    const sealed = aesGcmEncrypt(fileCk, nonce, chunk, Buffer.from([last ? 1 : 0]));
    records.push({ index, last, plain_bytes: chunk.length, nonce_hex: hex(nonce), aad_hex: last ? '01' : '00' });
    parts.push(sealed);
  }
  return { ciphertext: Buffer.concat(parts), records };
}

function fileVector(description, plaintextSpec, plaintext) {
  const { ciphertext, records } = encryptFile(plaintext);
  return {
    description,
    input: { file_key: b64url(fileKey), plaintext: plaintextSpec, plain_size: plaintext.length, plaintext_sha256: sha256Hex(plaintext) },
    expected: {
      records,
      ciphertext_size: ciphertext.length,
      ciphertext_sha256: sha256Hex(ciphertext),
      ...(ciphertext.length <= 64 ? { ciphertext_hex: hex(ciphertext) } : {}),
    },
  };
}

const fileVectors = [
  fileVector('Empty file: one empty last record (just a tag).', { kind: 'empty' }, Buffer.alloc(0)),
  fileVector('Five bytes of text, one last record.', { kind: 'utf8', text: 'hello' }, Buffer.from('hello', 'utf8')),
  fileVector(
    'Exactly one record of data (65,536 bytes): a full non-last record, then an empty last record.',
    { kind: 'pattern', size: 65536 },
    pattern(65536),
  ),
  fileVector('Three records: 65,536 + 65,536 + 18,928 bytes.', { kind: 'pattern', size: 150000 }, pattern(150000)),
];

// ---- links ---------------------------------------------------------------------------------------

const linkVectors = [
  {
    description: 'Invite link to the secret-only room, BASE_URL with a path prefix.',
    input: { kind: 'invite', base_url: 'https://chat.example/sealroom', room_id: roomId1, secret: secretOnly.input.secret },
    expected: { link: `https://chat.example/sealroom/r/${roomId1}#${secretOnly.input.secret}` },
  },
  {
    description: 'Invite link to a password-only room: no fragment (a trailing "#" with nothing after it means the same).',
    input: { kind: 'invite', base_url: 'http://localhost:5000', room_id: passwordOnly.input.room_id, secret: null },
    expected: { link: `http://localhost:5000/r/${passwordOnly.input.room_id}` },
  },
  {
    description: 'File link carrying the file key of the file vectors.',
    input: { kind: 'file', base_url: 'https://chat.example', file_id: 'file-000001', file_key: b64url(fileKey) },
    expected: { link: `https://chat.example/f/file-000001#${b64url(fileKey)}` },
  },
];

// ---- document ------------------------------------------------------------------------------------

const document = {
  name: 'Sealroom wire-format test vectors',
  version: 'sealroom/v2',
  generator: 'sdk/scripts/make-test-vectors.mjs (Node node:crypto; independent of the SDK code)',
  format: {
    encodings: [
      'Fields named *_hex are lowercase hex. Every other binary value (secret, salt, auth, iv, ct, mac, file_key, seed, public_key, sig, download_key) is base64url WITHOUT padding (RFC 4648 section 5), as on the wire and in links.',
      'Strings are UTF-8. JSON numbers are integers. Times: sent_at is Unix milliseconds, proof ts is Unix seconds.',
      'sha256 fields are the lowercase hex SHA-256 of the named bytes.',
    ],
    room_keys: [
      'pw = PBKDF2-HMAC-SHA256(UTF-8 bytes of the password after Unicode NFC normalization, salt (16 bytes), iterations, 32 bytes); empty when the room has no password.',
      'Normalization is NFC only (no trimming, case folding or NFKC), so a password typed with precomposed or combining accents gives the same key; expected.password_nfc_utf8_hex shows the bytes PBKDF2 sees when the input is not already NFC.',
      'ikm = secret (32 bytes, empty for a password-only room) || pw.',
      'K = HKDF-SHA256(ikm, salt = UTF-8(room_id), info = "sealroom/v2 room", 32 bytes).',
      'msg, meta, auth = HKDF-SHA256(K, salt = empty, info = "sealroom/v2 msg" | "sealroom/v2 meta" | "sealroom/v2 auth", 32 bytes).',
      'msg and meta are AES-256-GCM keys; auth is an HMAC-SHA256 key whose raw bytes the room creator sends to the server.',
    ],
    proofs: [
      'proof = "<ts>.<mac>", ts decimal Unix seconds, mac = base64url(HMAC-SHA256(auth, UTF-8 "sealroom/v2|<purpose>|<room_id>|<ts>")), purpose join or upload.',
      'Download proof = "<ts>.<mac>", mac = base64url(HMAC-SHA256(dk, UTF-8 "sealroom/v2|download|<file_id>|<ts>")).',
    ],
    canonical: [
      'enc(f1, ..., fn) = u32be(len(b1)) || b1 || ... || u32be(len(bn)) || bn, where bi = UTF-8(fi) and len counts bytes.',
      'Integers are written as canonical decimal strings (no sign, no leading zeros); an absent optional value is the empty string.',
    ],
    signatures: [
      'Ed25519 (RFC 8032, pure; deterministic). A key is kept as its 32-byte seed; public keys are 32 raw bytes, signatures 64 bytes, both base64url.',
      'input.fields lists the fields of enc() as strings (integers in decimal); expected.enc_hex is the signed bytes.',
      'profile: enc("sealroom/v2 sig", "profile", room_id, member_id, identity_key, name).',
      'message: enc("sealroom/v2 sig", "msg", room_id, message_id, member_id, sent_at, reply_to or "", text).',
      'file: enc("sealroom/v2 sig", "file", room_id, file_id, member_id, name, type, size, key).',
      'owner delete: enc("sealroom/v2 sig", "delete", room_id, ts); header X-Owner-Signature = "<ts>.<sig>".',
    ],
    safety_codes: [
      'h = SHA-256(enc("sealroom/v2 safety", room_id, lower key, higher key)); keys ordered by their 32 raw bytes, encoded in enc() as their base64url text.',
      'code = the first 30 bytes of h as 6 big-endian 40-bit integers, each mod 100000, zero-padded to 5 digits, joined by single spaces.',
    ],
    sealed_values: [
      'Wire form {iv, ct}: iv = 12 bytes, ct = AES-256-GCM ciphertext with the 16-byte tag appended.',
      'Plaintext = UTF-8 JSON, then one 0x80 byte, then zero bytes up to the next multiple of 256 (so 256 bytes of JSON pad to 512).',
      'AAD (UTF-8): message "sealroom/v2|msg|<room_id>|<message_id>|<member_id>" (key msg, JSON {text, sent_at, reply_to?, sig}); profile "sealroom/v2|profile|<room_id>|<member_id>" (key msg, JSON {name, identity_key, sig}); file metadata "sealroom/v2|file|<room_id>|<file_id>|<member_id>" (key meta, JSON {name, type, size, key, sig}); file info "sealroom/v2|file-info" (key fm, JSON {name, type, size}).',
      'The sig inside each value is the signature vector of the same content (see signatures), by the identity key of the member named in the ids.',
      'input.plaintext_json gives the exact JSON bytes that were sealed; to reproduce ct byte for byte, seal those bytes. Any JSON serialization of the same value is valid on the wire.',
      'The IVs here are fixed so the output is reproducible. Real clients MUST use a fresh random IV for every value.',
      'input.room_key_vector names the room key vector (by room_id) whose key (input.key) sealed the value.',
    ],
    files: [
      'ck = HKDF-SHA256(file_key, salt = empty, info = "sealroom/v2 file key", 32 bytes); nb = HKDF-SHA256(file_key, salt = empty, info = "sealroom/v2 file nonce", 12 bytes).',
      'dk = HKDF-SHA256(file_key, salt = empty, info = "sealroom/v2 file download", 32 bytes): sent as download_key at upload; fm = HKDF-SHA256(file_key, salt = empty, info = "sealroom/v2 file info", 32 bytes): seals file_info.',
      'The plaintext is cut into 65,536-byte records; the last record is always shorter than 65,536 bytes, so an empty file or one whose size is a multiple of 65,536 ends with an empty record.',
      'Record i (from 0) = AES-256-GCM(ck, nonce = nb XOR (i as a 12-byte big-endian integer), AAD = one byte 0x01 for the last record, 0x00 otherwise), tag appended.',
      'Ciphertext = the records back to back; its size is n + 16 x (floor(n / 65536) + 1).',
      'Plaintext kinds: "empty" (0 bytes); "utf8" (the UTF-8 bytes of text); "pattern" (size bytes, byte i = i mod 251).',
    ],
    links: [
      'Invite: BASE_URL/r/<room_id>#<secret base64url>; a password-only room has no fragment (or an empty one). File: BASE_URL/f/<file_id>#<file_key base64url>.',
      'BASE_URL is http or https and may have a path prefix; it is everything before "/r/" or "/f/".',
    ],
    ids: 'room_id, member_id, file_id and message_id: 6-36 characters of [A-Za-z0-9_-].',
  },
  file_keys: {
    description: 'The file key shared by all file vectors, and what HKDF derives from it.',
    file_key: b64url(fileKey),
    ck_hex: hex(fileCk),
    nb_hex: hex(fileNb),
    dk_hex: hex(fileDk),
    fm_hex: hex(fileFm),
    download_key: b64url(fileDk),
  },
  room_keys: roomKeyVectors.map(({ keys: _keys, ...vector }) => vector),
  proofs: [
    proofVector('join', secretOnly, 1700000000),
    proofVector('upload', secretAndPassword, 1700000060),
    proofVector('join', passwordOnly, 1700000120),
  ],
  canonical: canonicalVectors,
  identity_keys: identityKeyVectors,
  signatures: signatureVectors,
  safety_codes: safetyVectors,
  owner_delete: ownerDeleteVectors,
  download_proofs: downloadProofVectors,
  file_info: fileInfoVector,
  sealed: sealedVectors,
  files: fileVectors,
  links: linkVectors,
};

const text = `${JSON.stringify(document, null, 2)}\n`;
if (process.argv.includes('--check')) {
  const committed = readFileSync(OUTPUT, 'utf8');
  if (committed !== text) {
    console.error(`${OUTPUT} is stale: run node sdk/scripts/make-test-vectors.mjs`);
    process.exit(1);
  }
  console.log(`${OUTPUT} is up to date`);
} else {
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT}`);
}
