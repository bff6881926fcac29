/**
 * ISO/IEC 7816-4 padding to a bucket size: append one 0x80 byte, then zeros up to the next multiple of
 * {@link PAD_BUCKET_BYTES}. Sealed values are padded so that their lengths leak only the bucket.
 */
import type { Bytes } from './encoding.js';
import { DecryptError } from './errors.js';

/** Padded plaintexts are a multiple of this many bytes. */
export const PAD_BUCKET_BYTES = 256;
const PAD_MARKER = 0x80;

/** The padded length for `length` content bytes (the marker byte is always added, so 256 pads to 512). */
export function paddedLength(length: number): number {
  return (Math.floor(length / PAD_BUCKET_BYTES) + 1) * PAD_BUCKET_BYTES;
}

/** Pads `content` to {@link paddedLength}. */
export function pad(content: Uint8Array): Bytes {
  const padded = new Uint8Array(paddedLength(content.length)); // zero-filled
  padded.set(content);
  padded[content.length] = PAD_MARKER;
  return padded;
}

/**
 * Removes padding strictly: the length must be a positive multiple of the bucket, the last non-zero
 * byte must be 0x80, and the padding must not span more than one bucket (only one padding is canonical).
 * @returns a view of the content inside `padded`
 * @throws DecryptError with code `INVALID_PADDING`
 */
export function unpad(padded: Bytes): Bytes {
  if (padded.length === 0 || padded.length % PAD_BUCKET_BYTES !== 0) {
    throw new DecryptError(`padded length ${padded.length} is not a positive multiple of ${PAD_BUCKET_BYTES}`, 'INVALID_PADDING');
  }
  let marker = padded.length - 1;
  while (marker >= 0 && padded[marker] === 0) marker--;
  if (marker < 0 || padded[marker] !== PAD_MARKER) {
    throw new DecryptError('padding has no 0x80 marker byte', 'INVALID_PADDING');
  }
  if (paddedLength(marker) !== padded.length) {
    throw new DecryptError('padding is longer than one bucket', 'INVALID_PADDING');
  }
  return padded.subarray(0, marker);
}
