/**
 * The AES-256-GCM used for file records (PROTOCOL.md, section 5), behind one small interface so that each
 * runtime can use its fastest implementation: WebCrypto everywhere by default, node:crypto in the Node entry
 * (see `node/node-record-aead.ts`). Both produce identical bytes; the test vectors check each one.
 */
import type { Bytes } from './encoding.js';
import { aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from './primitives.js';

/**
 * AES-256-GCM with one content key. Results may be returned synchronously or as promises, but the input is
 * read during the call: it may be a view of a chunk its stream's writer reuses afterwards.
 */
export interface RecordAead {
  /** Encrypts; the result is the ciphertext with the 16-byte tag appended. */
  seal(nonce: Bytes, plaintext: Bytes, aad: Bytes): Bytes | Promise<Bytes>;
  /**
   * Decrypts a ciphertext with its tag appended, returning plaintext only once the tag verified.
   * @param what names the data in the error message, e.g. `"file record 3"`
   * @throws DecryptError `DECRYPT_FAILED` when authentication fails
   */
  open(nonce: Bytes, record: Bytes, aad: Bytes, what: string): Bytes | Promise<Bytes>;
}

/** Makes a {@link RecordAead} for a 32-byte content key. */
export type RecordAeadFactory = (contentKey: Bytes) => Promise<RecordAead>;

/** WebCrypto's AES-GCM: available in browsers, Node, Deno and Bun; each call runs off the main thread. */
export const webCryptoRecordAead: RecordAeadFactory = async (contentKey) => {
  const key = await importAesGcmKey(contentKey);
  return {
    seal: (nonce, plaintext, aad) => aesGcmEncrypt(key, nonce, plaintext, aad),
    open: (nonce, record, aad, what) => aesGcmDecrypt(key, nonce, record, aad, what),
  };
};
