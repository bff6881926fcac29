import { encryptBytes, encryptedSize, generateFileKey, RECORD_CIPHERTEXT_BYTES } from '../src/crypto/index.js';
import { webFileSource } from '../src/files/file-source.js';
import { encryptedRange } from '../src/files/resumable-upload.js';
import { patternBytes } from './support/test-helpers.js';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const reader = stream.getReader(); ;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

describe('encryptedRange: a resumed upload re-creates the identical ciphertext from any offset', () => {
  // Sizes around record boundaries: an empty last record, a short one, several records.
  it.each([0, 1, 65_535, 65_536, 65_537, 200_000, 3 * 65_536])('a %d-byte file', async (plainSize) => {
    const plaintext = patternBytes(plainSize);
    const key = generateFileKey();
    const whole = await encryptBytes(key, plaintext);
    expect(whole.byteLength).toBe(encryptedSize(plainSize));
    const source = webFileSource(new Blob([plaintext]));
    const R = RECORD_CIPHERTEXT_BYTES;
    const offsets = [0, 1, 15, R - 1, R, R + 1, 2 * R + 7, whole.byteLength - 16, whole.byteLength - 1, whole.byteLength].filter(
      (o) => o >= 0 && o <= whole.byteLength,
    );
    for (const start of offsets) {
      for (const end of [whole.byteLength, Math.min(whole.byteLength, start + 1000), Math.min(whole.byteLength, start + R + 3)]) {
        const range = await readAll(encryptedRange(source, key, start, end));
        expect({ start, end, same: Buffer.from(range).equals(Buffer.from(whole.subarray(start, end))) }).toEqual({
          start,
          end,
          same: true,
        });
      }
    }
  });

  it('refuses a source that cannot be read from an offset', () => {
    const stream = new ReadableStream<Uint8Array>();
    const source = webFileSource(stream, { size: 10 });
    expect(() => encryptedRange(source, generateFileKey(), 0, 26)).toThrow(/cannot be read from an offset/);
  });
});
