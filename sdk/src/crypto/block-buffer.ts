/**
 * Regroups a byte stream of arbitrary chunk sizes into fixed-size blocks. Internal to the file cipher.
 */
import type { Bytes } from './encoding.js';

/**
 * Collects bytes into blocks of `blockSize`. A full block is handed on only once at least one more byte
 * has arrived, so at the end of the stream the bytes still held are known to be the last block
 * (possibly empty or full). Whole blocks inside a chunk are handed on as views of it, without a copy; only
 * blocks that straddle chunks are assembled, in a block of their own that is handed over for good (a fresh
 * one is started), so records can be encrypted or decrypted while the next ones fill.
 */
export class BlockBuffer {
  private block: Bytes;
  private filled = 0;

  constructor(private readonly blockSize: number) {
    this.block = new Uint8Array(blockSize);
  }

  /**
   * Adds `chunk`, calling `onFullBlock` (and awaiting it) for each full block that is followed by more data.
   * A block may be a view of `chunk`: the callee reads it during the call (the record ciphers do: node:crypto
   * at once, WebCrypto copies its input when called), since the caller may reuse the chunk afterwards.
   */
  async write(chunk: Uint8Array, onFullBlock: (block: Bytes) => Promise<void>): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.filled === this.blockSize) {
        const full = this.block;
        this.block = new Uint8Array(this.blockSize);
        this.filled = 0;
        await onFullBlock(full);
      }
      if (this.filled === 0 && ownsArrayBuffer(chunk)) {
        for (; chunk.length - offset > this.blockSize; offset += this.blockSize) {
          await onFullBlock(chunk.subarray(offset, offset + this.blockSize));
        }
      }
      const count = Math.min(chunk.length - offset, this.blockSize - this.filled);
      this.block.set(chunk.subarray(offset, offset + count), this.filled);
      this.filled += count;
      offset += count;
    }
  }

  /** The bytes held back (0 to `blockSize`): a view valid until the next {@link write}. */
  get held(): Bytes {
    return this.block.subarray(0, this.filled);
  }
}

/** Views of shared memory are copied instead: WebCrypto refuses them, and another thread could change them. */
function ownsArrayBuffer(chunk: Uint8Array): chunk is Bytes {
  return typeof SharedArrayBuffer === 'undefined' || !(chunk.buffer instanceof SharedArrayBuffer);
}
