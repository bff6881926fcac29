/**
 * The Node entry's node:crypto record cipher must be interchangeable with WebCrypto's: the same bytes for
 * every test vector, each side decrypting the other's output, and the same refusals of altered files.
 */
import vectors from '../test-vectors.json';
import {
  RECORD_CIPHERTEXT_BYTES,
  base64urlDecode,
  createDecryptStream,
  createEncryptStream,
  decryptBytes,
  encryptBytes,
  generateFileKey,
  hexDecode,
  utf8Encode,
  webCryptoRecordAead,
} from '../src/crypto/index.js';
import { nodeRecordAead } from '../src/node/node-record-aead.js';
import { expectCryptoError, flipBit, patternBytes, sha256Hex, transformChunked } from './support/test-helpers.js';

type FileVector = (typeof vectors.files)[number];

const fileKey = base64urlDecode(vectors.file_keys.file_key);
const onNode = { aead: nodeRecordAead };
const onWeb = { aead: webCryptoRecordAead };

function vectorPlaintext(vector: FileVector): Uint8Array<ArrayBuffer> {
  const spec = vector.input.plaintext;
  if (spec.kind === 'empty') return new Uint8Array(0);
  if (spec.kind === 'utf8') return utf8Encode(spec.text!);
  return patternBytes(spec.size!);
}

describe('node:crypto file records', () => {
  it.each(vectors.files.map((v) => [v.description, v] as const))('match the vector: %s', async (_, vector) => {
    const plaintext = vectorPlaintext(vector);
    const ciphertext = await encryptBytes(fileKey, plaintext, onNode);
    expect(await sha256Hex(ciphertext)).toBe(vector.expected.ciphertext_sha256);
    expect(await sha256Hex(await decryptBytes(fileKey, ciphertext, onNode))).toBe(vector.input.plaintext_sha256);
    if (vector.expected.ciphertext_hex !== undefined) {
      expect(await decryptBytes(fileKey, hexDecode(vector.expected.ciphertext_hex), onNode)).toEqual(plaintext);
    }
  });

  it.each([4099, 100_003])('agree with WebCrypto both ways on 300,000 bytes fed in %i-byte chunks', async (chunkSize) => {
    const key = generateFileKey();
    const plaintext = patternBytes(300_000);
    const fromNode = await transformChunked(createEncryptStream(key, onNode), plaintext, chunkSize);
    const fromWeb = await transformChunked(createEncryptStream(key, onWeb), plaintext, chunkSize);
    // Compared as digests: Jest's deep equality walks typed arrays element by element, slowly.
    const plainDigest = await sha256Hex(plaintext);
    expect(await sha256Hex(fromNode)).toBe(await sha256Hex(fromWeb));
    expect(await sha256Hex(await transformChunked(createDecryptStream(key, onWeb), fromNode, chunkSize))).toBe(plainDigest);
    expect(await sha256Hex(await transformChunked(createDecryptStream(key, onNode), fromWeb, chunkSize))).toBe(plainDigest);
  });

  it('refuses a flipped bit in any record, a wrong key, and a file cut at a record boundary', async () => {
    const key = generateFileKey();
    const ciphertext = await encryptBytes(key, patternBytes(150_000), onNode);
    for (const index of [0, RECORD_CIPHERTEXT_BYTES - 1, RECORD_CIPHERTEXT_BYTES + 5, ciphertext.length - 1]) {
      await expectCryptoError(() => decryptBytes(key, flipBit(ciphertext, index), onNode), 'DECRYPT_FAILED');
    }
    await expectCryptoError(() => decryptBytes(generateFileKey(), ciphertext, onNode), 'DECRYPT_FAILED');
    await expectCryptoError(() => decryptBytes(key, ciphertext.slice(0, 2 * RECORD_CIPHERTEXT_BYTES), onNode), 'TRUNCATED');
    // The last record presented as a middle one (more data after it) fails its tag, as with WebCrypto.
    const appended = new Uint8Array(ciphertext.length + 16);
    appended.set(ciphertext);
    await expectCryptoError(() => decryptBytes(key, appended, onNode), 'DECRYPT_FAILED');
  });
});

describe('a file that fails in every record', () => {
  // Records are decrypted four at a time: after the first failure, later records' work must still be handled,
  // or their rejections go unhandled, which ends a Node process.
  it.each([
    ['WebCrypto', onWeb],
    ['node:crypto', onNode],
  ])('fails once and cleanly under a wrong key (%s)', async (_, options) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ciphertext = await encryptBytes(generateFileKey(), patternBytes(12 * 65_536), options);
      await expectCryptoError(() => decryptBytes(generateFileKey(), ciphertext, options), 'DECRYPT_FAILED');
      await new Promise((resolve) => setTimeout(resolve, 50)); // let any stray rejection surface
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
