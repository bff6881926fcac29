#!/usr/bin/env node
// Writes sdk/test-vectors.json: fixed inputs and expected outputs for Sealroom's wire format.
//
// This is deliberately a SECOND, independent implementation of the format, on Node's `node:crypto`
// (hkdfSync, pbkdf2Sync, createHmac, createCipheriv) and sharing no code with the SDK, so that the SDK's
// tests (sdk/tests/*.test.ts), which compare the SDK's output with this file, cross-check both.
//
//   node sdk/scripts/make-test-vectors.mjs          regenerate the file
//   node sdk/scripts/make-test-vectors.mjs --check  exit 1 if the committed file differs from a fresh run
//
// Output is deterministic: every key, IV and plaintext below is fixed.
import { createCipheriv, createHash, createHmac, hkdfSync, pbkdf2Sync } from 'node:crypto';
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
  const k = hkdf(ikm, Buffer.from(roomId, 'utf8'), 'sealroom/v1 room', 32);
  return {
    pw,
    ikm,
    k,
    msg: hkdf(k, Buffer.alloc(0), 'sealroom/v1 msg', 32),
    meta: hkdf(k, Buffer.alloc(0), 'sealroom/v1 meta', 32),
    auth: hkdf(k, Buffer.alloc(0), 'sealroom/v1 auth', 32),
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
  const message = `sealroom/v1|${purpose}|${roomId}|${ts}`;
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

/** A message whose UTF-8 JSON is exactly `jsonBytes` long, to pin the padding boundary. */
function messageOfJsonLength(jsonBytes, sentAt) {
  const overhead = Buffer.byteLength(JSON.stringify({ text: '', sent_at: sentAt }), 'utf8');
  return { text: 'x'.repeat(jsonBytes - overhead), sent_at: sentAt };
}

const roomId1 = secretOnly.input.room_id;
const fileKey = counting(0x40, 32);
const messageVector = (description, messageId, memberId, value, iv) =>
  sealedVector(description, {
    kind: 'message',
    key: secretOnly.keys.msg,
    keyName: 'msg',
    roomVector: secretOnly,
    aad: `sealroom/v1|msg|${roomId1}|${messageId}|${memberId}`,
    ids: { room_id: roomId1, message_id: messageId, member_id: memberId },
    value,
    iv,
  });

const sealedVectors = [
  messageVector(
    'Chat message with a reply, non-ASCII text and a newline.',
    'm0000000001',
    'member-alice',
    { text: 'Hello, Sealroom! Grüße 👋\nsecond line', sent_at: 1700000000123, reply_to: 'm0000000000' },
    counting(0x60, 12),
  ),
  messageVector(
    'Chat message whose JSON is 255 bytes: padded to 256 (0x80 fills the last byte).',
    'm0000000002',
    'member-bob',
    messageOfJsonLength(255, 1700000001000),
    counting(0x70, 12),
  ),
  messageVector(
    'Chat message whose JSON is exactly 256 bytes: padded to 512, since the 0x80 byte is always added.',
    'm0000000003',
    'member-bob',
    messageOfJsonLength(256, 1700000002000),
    counting(0x80, 12),
  ),
  sealedVector('Member profile.', {
    kind: 'profile',
    key: secretOnly.keys.msg,
    keyName: 'msg',
    roomVector: secretOnly,
    aad: `sealroom/v1|profile|${roomId1}|member-alice`,
    ids: { room_id: roomId1, member_id: 'member-alice' },
    value: { name: 'Alice 🦊' },
    iv: counting(0x90, 12),
  }),
  sealedVector('File metadata (file:share); key is the file key of the "pattern 150000" file vector.', {
    kind: 'file',
    key: secretOnly.keys.meta,
    keyName: 'meta',
    roomVector: secretOnly,
    aad: `sealroom/v1|file|${roomId1}|file-000001`,
    ids: { room_id: roomId1, file_id: 'file-000001' },
    value: { name: 'report 2024.pdf', type: 'application/pdf', size: 150000, key: b64url(fileKey) },
    iv: counting(0xa0, 12),
  }),
];

// ---- files ---------------------------------------------------------------------------------------

const fileCk = hkdf(fileKey, Buffer.alloc(0), 'sealroom/v1 file key', 32);
const fileNb = hkdf(fileKey, Buffer.alloc(0), 'sealroom/v1 file nonce', 12);

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
  version: 'sealroom/v1',
  generator: 'sdk/scripts/make-test-vectors.mjs (Node node:crypto; independent of the SDK code)',
  format: {
    encodings: [
      'Fields named *_hex are lowercase hex. Every other binary value (secret, salt, auth, iv, ct, mac, file_key) is base64url WITHOUT padding (RFC 4648 section 5), as on the wire and in links.',
      'Strings are UTF-8. JSON numbers are integers. Times: sent_at is Unix milliseconds, proof ts is Unix seconds.',
      'sha256 fields are the lowercase hex SHA-256 of the named bytes.',
    ],
    room_keys: [
      'pw = PBKDF2-HMAC-SHA256(UTF-8 bytes of the password after Unicode NFC normalization, salt (16 bytes), iterations, 32 bytes); empty when the room has no password.',
      'Normalization is NFC only (no trimming, case folding or NFKC), so a password typed with precomposed or combining accents gives the same key; expected.password_nfc_utf8_hex shows the bytes PBKDF2 sees when the input is not already NFC.',
      'ikm = secret (32 bytes, empty for a password-only room) || pw.',
      'K = HKDF-SHA256(ikm, salt = UTF-8(room_id), info = "sealroom/v1 room", 32 bytes).',
      'msg, meta, auth = HKDF-SHA256(K, salt = empty, info = "sealroom/v1 msg" | "sealroom/v1 meta" | "sealroom/v1 auth", 32 bytes).',
      'msg and meta are AES-256-GCM keys; auth is an HMAC-SHA256 key whose raw bytes the room creator sends to the server.',
    ],
    proofs: [
      'proof = "<ts>.<mac>", ts decimal Unix seconds, mac = base64url(HMAC-SHA256(auth, UTF-8 "sealroom/v1|<purpose>|<room_id>|<ts>")), purpose one of join, upload, delete.',
    ],
    sealed_values: [
      'Wire form {iv, ct}: iv = 12 bytes, ct = AES-256-GCM ciphertext with the 16-byte tag appended.',
      'Plaintext = UTF-8 JSON, then one 0x80 byte, then zero bytes up to the next multiple of 256 (so 256 bytes of JSON pad to 512).',
      'AAD (UTF-8): message "sealroom/v1|msg|<room_id>|<message_id>|<member_id>" (key msg, JSON {text, sent_at, reply_to?}); profile "sealroom/v1|profile|<room_id>|<member_id>" (key msg, JSON {name}); file metadata "sealroom/v1|file|<room_id>|<file_id>" (key meta, JSON {name, type, size, key}).',
      'input.plaintext_json gives the exact JSON bytes that were sealed; to reproduce ct byte for byte, seal those bytes. Any JSON serialization of the same value is valid on the wire.',
      'The IVs here are fixed so the output is reproducible. Real clients MUST use a fresh random IV for every value.',
      'input.room_key_vector names the room key vector (by room_id) whose key (input.key) sealed the value.',
    ],
    files: [
      'ck = HKDF-SHA256(file_key, salt = empty, info = "sealroom/v1 file key", 32 bytes); nb = HKDF-SHA256(file_key, salt = empty, info = "sealroom/v1 file nonce", 12 bytes).',
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
  },
  room_keys: roomKeyVectors.map(({ keys: _keys, ...vector }) => vector),
  proofs: [
    proofVector('join', secretOnly, 1700000000),
    proofVector('upload', secretAndPassword, 1700000060),
    proofVector('delete', passwordOnly, 1700000120),
  ],
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
