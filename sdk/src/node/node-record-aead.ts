/**
 * File records' AES-256-GCM on node:crypto (Node entry only). WebCrypto in Node 20 copies every record
 * between threads and resolves a promise per call; node:crypto runs OpenSSL on the calling thread with AES-NI,
 * about 2.5 times the throughput per record (BENCHMARKS.md, "SDK transfer"). Same bytes as WebCrypto.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Bytes } from '../crypto/encoding.js';
import { DecryptError } from '../crypto/errors.js';
import { GCM_TAG_BYTES } from '../crypto/primitives.js';
import type { RecordAeadFactory } from '../crypto/record-aead.js';

const ALGORITHM = 'aes-256-gcm';

/** Wraps a Buffer result as a plain Uint8Array view (no copy), as the WebCrypto implementation returns. */
function asBytes(buffer: Buffer): Bytes {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength); // Buffers from crypto never share memory
}

export const nodeRecordAead: RecordAeadFactory = (contentKey) => {
  const key = Buffer.from(contentKey); // a private copy: the caller's array may be reused
  return Promise.resolve({
    seal(nonce, plaintext, aad) {
      const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: GCM_TAG_BYTES });
      cipher.setAAD(aad);
      const body = cipher.update(plaintext);
      cipher.final();
      return asBytes(Buffer.concat([body, cipher.getAuthTag()]));
    },
    open(nonce, record, aad, what) {
      if (record.length < GCM_TAG_BYTES) throw decryptFailed(what);
      const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: GCM_TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(record.subarray(record.length - GCM_TAG_BYTES));
      const body = decipher.update(record.subarray(0, record.length - GCM_TAG_BYTES));
      try {
        decipher.final(); // verifies the tag; `body` is discarded unless it passes
      } catch (error) {
        throw decryptFailed(what, error);
      }
      return asBytes(body);
    },
  });
};

function decryptFailed(what: string, cause?: unknown): DecryptError {
  return new DecryptError(`${what} failed to decrypt: wrong key or password, or the data was altered`, 'DECRYPT_FAILED', { cause });
}
