import vectors from '../test-vectors.json';
import {
  RECORD_CIPHERTEXT_BYTES,
  RECORD_PLAINTEXT_BYTES,
  base64urlDecode,
  concatBytes,
  createDecryptStream,
  createEncryptStream,
  decryptBytes,
  base64urlEncode,
  deriveFileAccessKeys,
  deriveFileKeyMaterial,
  encryptBytes,
  encryptedSize,
  generateFileKey,
  hexDecode,
  hexEncode,
  plainSizeFromEncrypted,
  recordNonce,
  utf8Encode,
} from '../src/crypto/index.js';
import { expectCryptoError, flipBit, patternBytes, runTransform, sha256Hex, transformChunked } from './support/test-helpers.js';

type FileVector = (typeof vectors.files)[number];

const fileKey = base64urlDecode(vectors.file_keys.file_key);
const CHUNK_SIZES = [1, 7, 100_003];

function vectorPlaintext(vector: FileVector): Uint8Array<ArrayBuffer> {
  const spec = vector.input.plaintext;
  if (spec.kind === 'empty') return new Uint8Array(0);
  if (spec.kind === 'utf8') return utf8Encode(spec.text!);
  return patternBytes(spec.size!);
}

const byDescription = vectors.files.map((v) => [v.description, v] as const);
const patternVector = vectors.files.find((v) => v.input.plain_size === 150_000)!;

/** A random key's encryption of the 150,000-byte pattern: three records of 65,552, 65,552 and 18,944 bytes. */
let threeRecords: {
  key: Uint8Array<ArrayBuffer>;
  plaintext: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
  records: Uint8Array<ArrayBuffer>[];
};

beforeAll(async () => {
  const key = generateFileKey();
  const plaintext = patternBytes(150_000);
  const ciphertext = await encryptBytes(key, plaintext);
  const records = [0, 1, 2].map((i) => ciphertext.slice(i * RECORD_CIPHERTEXT_BYTES, (i + 1) * RECORD_CIPHERTEXT_BYTES));
  threeRecords = { key, plaintext, ciphertext, records };
});

describe('file key derivation', () => {
  it('matches the vector ck, nb, dk and fm', async () => {
    const { ck, nb, dk, fm } = await deriveFileKeyMaterial(fileKey);
    expect(hexEncode(ck)).toBe(vectors.file_keys.ck_hex);
    expect(hexEncode(nb)).toBe(vectors.file_keys.nb_hex);
    expect(hexEncode(dk)).toBe(vectors.file_keys.dk_hex);
    expect(hexEncode(fm)).toBe(vectors.file_keys.fm_hex);
    expect(base64urlEncode((await deriveFileAccessKeys(fileKey)).dkRaw)).toBe(vectors.file_keys.download_key);
  });

  it('computes record nonces as nb XOR the big-endian index', () => {
    const nb = hexDecode(vectors.file_keys.nb_hex);
    for (const vector of vectors.files) {
      for (const record of vector.expected.records) expect(hexEncode(recordNonce(nb, record.index))).toBe(record.nonce_hex);
    }
    expect(recordNonce(new Uint8Array(12), 0x0102030405)).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05));
    expect(recordNonce(new Uint8Array(12).fill(0xff), 1)).toEqual(Uint8Array.of(...new Array(11).fill(0xff), 0xfe));
  });

  it('refuses a file key that is not 32 bytes', async () => {
    await expectCryptoError(() => deriveFileKeyMaterial(new Uint8Array(16)), 'INVALID_INPUT');
    await expectCryptoError(() => createEncryptStream(new Uint8Array(31)), 'INVALID_INPUT');
    await expectCryptoError(() => createDecryptStream(new Uint8Array(33)), 'INVALID_INPUT');
  });
});

describe('file vectors', () => {
  it('cover an empty file, an exact multiple of 65,536 and several records', () => {
    const sizes = vectors.files.map((v) => v.input.plain_size);
    expect(sizes).toEqual(expect.arrayContaining([0, 65_536, 150_000]));
  });

  it.each(byDescription)('encrypts: %s', async (_, vector) => {
    const plaintext = vectorPlaintext(vector);
    expect(await sha256Hex(plaintext)).toBe(vector.input.plaintext_sha256);
    const ciphertext = await encryptBytes(fileKey, plaintext);
    expect(ciphertext).toHaveLength(vector.expected.ciphertext_size);
    expect(await sha256Hex(ciphertext)).toBe(vector.expected.ciphertext_sha256);
    if (vector.expected.ciphertext_hex !== undefined) expect(hexEncode(ciphertext)).toBe(vector.expected.ciphertext_hex);
    expect(encryptedSize(plaintext.length)).toBe(vector.expected.ciphertext_size);
  });

  it.each(byDescription)('decrypts: %s', async (_, vector) => {
    const ciphertext = await encryptBytes(fileKey, vectorPlaintext(vector));
    expect(await sha256Hex(await decryptBytes(fileKey, ciphertext))).toBe(vector.input.plaintext_sha256);
  });

  it('decrypts the ciphertexts the vector file spells out byte for byte', async () => {
    const spelled = vectors.files.filter((v) => v.expected.ciphertext_hex !== undefined);
    expect(spelled.length).toBeGreaterThanOrEqual(2);
    for (const vector of spelled) {
      expect(await decryptBytes(fileKey, hexDecode(vector.expected.ciphertext_hex!))).toEqual(vectorPlaintext(vector));
    }
  });

  it.each(CHUNK_SIZES)('encrypts and decrypts the 150,000-byte vector fed in %i-byte chunks', async (chunkSize) => {
    const plaintext = vectorPlaintext(patternVector);
    const ciphertext = await transformChunked(createEncryptStream(fileKey), plaintext, chunkSize);
    expect(await sha256Hex(ciphertext)).toBe(patternVector.expected.ciphertext_sha256);
    const decrypted = await transformChunked(createDecryptStream(fileKey), ciphertext, chunkSize);
    expect(await sha256Hex(decrypted)).toBe(patternVector.input.plaintext_sha256);
  });
});

describe('sizes', () => {
  it.each([
    [0, 16],
    [1, 17],
    [65_535, 65_551],
    [65_536, 65_568],
    [65_537, 65_569],
    [131_072, 131_120],
    [150_000, 150_048],
    [2 ** 40, 2 ** 40 + 16 * (2 ** 24 + 1)],
  ])('a %i-byte file encrypts to %i bytes, and back', (plain, encrypted) => {
    expect(encryptedSize(plain)).toBe(encrypted);
    expect(plainSizeFromEncrypted(encrypted)).toBe(plain);
  });

  it('inverts encryptedSize around record boundaries', () => {
    for (const base of [0, RECORD_PLAINTEXT_BYTES, 5 * RECORD_PLAINTEXT_BYTES]) {
      for (let plain = Math.max(0, base - 3); plain <= base + 3; plain++) expect(plainSizeFromEncrypted(encryptedSize(plain))).toBe(plain);
    }
  });

  it.each([
    0,
    1,
    15,
    RECORD_CIPHERTEXT_BYTES,
    RECORD_CIPHERTEXT_BYTES + 1,
    RECORD_CIPHERTEXT_BYTES + 15,
    2 * RECORD_CIPHERTEXT_BYTES,
    -1,
    1.5,
    Number.NaN,
  ])('no file encrypts to %d bytes', async (size) => {
    await expectCryptoError(() => plainSizeFromEncrypted(size), 'INVALID_SIZE');
  });

  it('refuses an impossible plaintext size', async () => {
    for (const size of [-1, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])
      await expectCryptoError(() => encryptedSize(size), 'INVALID_INPUT');
  });
});

describe('encrypt stream', () => {
  it.each([
    [0, [16]],
    [1, [17]],
    [65_535, [65_551]],
    [65_536, [65_552, 16]],
    [65_537, [65_552, 17]],
    [131_072, [65_552, 65_552, 16]],
    [150_000, [65_552, 65_552, 18_944]],
  ])('emits one chunk per record for %i bytes', async (size, recordSizes) => {
    for (const chunkSize of [size + 1, 7]) {
      const { chunks, error } = await runTransform(createEncryptStream(fileKey), patternBytes(size), chunkSize);
      expect(error).toBeUndefined();
      expect(chunks.map((chunk) => chunk.length)).toEqual(recordSizes);
    }
  });

  it('holds back a full record until it knows whether more data follows', async () => {
    const stream = createEncryptStream(fileKey);
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    let firstRead: Uint8Array | undefined;
    const pendingRead = reader.read().then((result) => {
      firstRead = result.value;
    });
    await writer.write(patternBytes(RECORD_PLAINTEXT_BYTES));
    await new Promise((resolve) => setTimeout(resolve, 0)); // let any enqueued record reach the reader
    expect(firstRead).toBeUndefined();
    await writer.write(Uint8Array.of(1));
    await pendingRead;
    expect(firstRead).toHaveLength(RECORD_CIPHERTEXT_BYTES);
    const [, last] = await Promise.all([writer.close(), reader.read()]);
    expect(last.value).toHaveLength(17);
    expect((await reader.read()).done).toBe(true);
  });

  it('accepts Node Buffers as chunks', async () => {
    const ciphertext = await transformChunked(createEncryptStream(fileKey), Buffer.from('hello'), 5);
    expect(hexEncode(ciphertext)).toBe(vectors.files.find((v) => v.input.plaintext.kind === 'utf8')!.expected.ciphertext_hex);
  });

  it('errors on chunks that are not bytes', async () => {
    const stream = createEncryptStream(fileKey);
    const writer = stream.writable.getWriter() as unknown as WritableStreamDefaultWriter<unknown>;
    const reading = stream.readable.getReader().read();
    await expectCryptoError(() => writer.write('hello'), 'INVALID_INPUT');
    await expectCryptoError(() => reading, 'INVALID_INPUT');
  });

  it('gives different ciphertexts under different keys', async () => {
    const a = await encryptBytes(generateFileKey(), new Uint8Array(10));
    const b = await encryptBytes(generateFileKey(), new Uint8Array(10));
    expect(hexEncode(a)).not.toBe(hexEncode(b));
  });
});

describe('decrypt stream', () => {
  it.each([0, 1, 65_535, 65_536, 65_537, 131_072, 150_000])('round-trips %i bytes in odd chunkings', async (size) => {
    const key = generateFileKey();
    const plaintext = patternBytes(size);
    // 1-byte chunks are slow; the 150,000-byte vector test above already covers them across several records.
    for (const chunkSize of size <= RECORD_PLAINTEXT_BYTES + 1 ? CHUNK_SIZES : [7, 100_003]) {
      const ciphertext = await transformChunked(createEncryptStream(key), plaintext, chunkSize);
      expect(ciphertext).toHaveLength(encryptedSize(size));
      expect(await transformChunked(createDecryptStream(key), ciphertext, chunkSize)).toEqual(plaintext);
    }
  });

  // Whole records inside a chunk are passed to the cipher as views of it, not copied.
  it.each([
    ['exactly two records', 2],
    ['two records and a byte', 2.00001],
    ['1 MiB', 1_048_576 / RECORD_CIPHERTEXT_BYTES],
  ])('round-trips 700,000 bytes fed in chunks of %s', async (_name, records) => {
    const key = generateFileKey();
    const plaintext = patternBytes(700_000);
    const ciphertext = await transformChunked(createEncryptStream(key), plaintext, Math.floor(records * RECORD_PLAINTEXT_BYTES));
    expect(hexEncode(ciphertext)).toBe(hexEncode(await encryptBytes(key, plaintext)));
    const decrypted = await transformChunked(createDecryptStream(key), ciphertext, Math.floor(records * RECORD_CIPHERTEXT_BYTES));
    expect(decrypted).toEqual(plaintext);
  });

  it('is not disturbed by a writer that reuses its chunk once the write resolved', async () => {
    const key = generateFileKey();
    const plaintext = patternBytes(500_000);
    const ciphertext = await encryptBytes(key, plaintext);
    const reused = async (stream: TransformStream<Uint8Array, Uint8Array>, data: Uint8Array, chunkSize: number) => {
      const scratch = new Uint8Array(chunkSize);
      const writer = stream.writable.getWriter();
      const output = new Response(stream.readable).arrayBuffer();
      for (let offset = 0; offset < data.length; offset += chunkSize) {
        const piece = data.subarray(offset, offset + chunkSize);
        scratch.set(piece);
        await writer.write(scratch.subarray(0, piece.length));
        scratch.fill(0xee); // the next chunk goes in the same memory
      }
      await writer.close();
      return new Uint8Array(await output);
    };
    expect(hexEncode(await reused(createEncryptStream(key), plaintext, 200_000))).toBe(hexEncode(ciphertext));
    expect(await reused(createDecryptStream(key), ciphertext, 200_000)).toEqual(plaintext);
  });

  it('decrypts chunks held in shared memory', async () => {
    const key = generateFileKey();
    const plaintext = patternBytes(300_000);
    const ciphertext = await encryptBytes(key, plaintext);
    const shared = new Uint8Array(new SharedArrayBuffer(ciphertext.length));
    shared.set(ciphertext);
    const stream = createDecryptStream(key);
    const writer = stream.writable.getWriter();
    const output = new Response(stream.readable).arrayBuffer();
    const chunkSize = 3 * RECORD_CIPHERTEXT_BYTES;
    for (let offset = 0; offset < shared.length; offset += chunkSize) await writer.write(shared.subarray(offset, offset + chunkSize));
    await writer.close();
    expect(new Uint8Array(await output)).toEqual(plaintext);
  });

  it('emits each record only after it authenticated', async () => {
    const { key, ciphertext, plaintext } = threeRecords;
    // Corrupt the last byte (tag) of record 1: record 0 comes out, nothing of record 1 does.
    const tampered = flipBit(ciphertext, 2 * RECORD_CIPHERTEXT_BYTES - 1);
    for (const chunkSize of [1000, 100_003]) {
      const { chunks, error } = await runTransform(createDecryptStream(key), tampered, chunkSize);
      expect(error).toMatchObject({ code: 'DECRYPT_FAILED' });
      expect(concatBytes(chunks)).toEqual(plaintext.subarray(0, RECORD_PLAINTEXT_BYTES));
    }
  });

  it('emits nothing of a tampered last record', async () => {
    const { key, ciphertext, plaintext } = threeRecords;
    const { chunks, error } = await runTransform(createDecryptStream(key), flipBit(ciphertext, ciphertext.length - 100), 4096);
    expect(error).toMatchObject({ code: 'DECRYPT_FAILED' });
    expect(concatBytes(chunks)).toEqual(plaintext.subarray(0, 2 * RECORD_PLAINTEXT_BYTES));
  });

  it.each([0, 1000, RECORD_CIPHERTEXT_BYTES - 17, RECORD_CIPHERTEXT_BYTES + 5, 150_047])(
    'refuses a bit flipped at byte %i',
    async (index) => {
      const { key, ciphertext } = threeRecords;
      await expectCryptoError(() => decryptBytes(key, flipBit(ciphertext, index)), 'DECRYPT_FAILED');
    },
  );

  it('refuses a wrong key', async () => {
    await expectCryptoError(() => decryptBytes(generateFileKey(), threeRecords.ciphertext), 'DECRYPT_FAILED');
    const small = await encryptBytes(fileKey, utf8Encode('hello'));
    await expectCryptoError(() => decryptBytes(generateFileKey(), small), 'DECRYPT_FAILED');
  });

  describe('truncation', () => {
    it('detects a missing last record', async () => {
      const [r0, r1] = threeRecords.records;
      await expectCryptoError(() => decryptBytes(threeRecords.key, concatBytes([r0, r1])), 'TRUNCATED');
      await expectCryptoError(() => decryptBytes(threeRecords.key, r0), 'TRUNCATED');
    });

    it('detects a missing empty last record (size a multiple of 65,536)', async () => {
      const ciphertext = await encryptBytes(fileKey, patternBytes(RECORD_PLAINTEXT_BYTES));
      await expectCryptoError(() => decryptBytes(fileKey, ciphertext.subarray(0, RECORD_CIPHERTEXT_BYTES)), 'TRUNCATED');
    });

    it('detects an empty ciphertext', async () => {
      await expectCryptoError(() => decryptBytes(fileKey, new Uint8Array(0)), 'TRUNCATED');
    });

    it('detects a cut that leaves too few bytes for a record', async () => {
      const { key, ciphertext } = threeRecords;
      for (const extra of [1, 15]) {
        await expectCryptoError(() => decryptBytes(key, ciphertext.subarray(0, 2 * RECORD_CIPHERTEXT_BYTES + extra)), 'TRUNCATED');
      }
      await expectCryptoError(
        () => decryptBytes(fileKey, hexDecode(vectors.files[0].expected.ciphertext_hex!).subarray(0, 15)),
        'TRUNCATED',
      );
    });

    it('refuses a cut inside a record (indistinguishable from a damaged last record)', async () => {
      const { key, ciphertext } = threeRecords;
      for (const length of [100_000, RECORD_CIPHERTEXT_BYTES + 16, ciphertext.length - 1]) {
        await expectCryptoError(() => decryptBytes(key, ciphertext.subarray(0, length)), 'DECRYPT_FAILED');
      }
    });
  });

  it('refuses reordered records', async () => {
    const [r0, r1, r2] = threeRecords.records;
    await expectCryptoError(() => decryptBytes(threeRecords.key, concatBytes([r1, r0, r2])), 'DECRYPT_FAILED');
  });

  it('refuses a duplicated record', async () => {
    const [r0, r1, r2] = threeRecords.records;
    await expectCryptoError(() => decryptBytes(threeRecords.key, concatBytes([r0, r0, r1, r2])), 'DECRYPT_FAILED');
  });

  it('refuses data after the last record', async () => {
    const { key, ciphertext } = threeRecords;
    const emptyFile = await encryptBytes(key, new Uint8Array(0)); // a valid last record 0, but not here
    for (const extra of [Uint8Array.of(0), emptyFile, threeRecords.records[0], ciphertext]) {
      await expectCryptoError(() => decryptBytes(key, concatBytes([ciphertext, extra])), 'DECRYPT_FAILED');
    }
    const exactMultiple = await encryptBytes(key, patternBytes(RECORD_PLAINTEXT_BYTES));
    await expectCryptoError(() => decryptBytes(key, concatBytes([exactMultiple, emptyFile])), 'DECRYPT_FAILED');
  });

  it('refuses a last record presented as a non-last one and vice versa', async () => {
    // Two files under one key: record 1 of the 3-record file (non-last) swapped for record 1 of a 2-record file (last).
    const { key, records } = threeRecords;
    const twoRecords = await encryptBytes(key, patternBytes(RECORD_PLAINTEXT_BYTES + 10));
    const lastOfTwo = twoRecords.subarray(RECORD_CIPHERTEXT_BYTES);
    await expectCryptoError(() => decryptBytes(key, concatBytes([records[0], lastOfTwo, records[2]])), 'DECRYPT_FAILED');
  });
});
