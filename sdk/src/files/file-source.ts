/**
 * What can be shared as a file, normalized to a {@link PlainSource}: its exact size (the server needs the
 * ciphertext size before the first byte, and the client checks the upload limit before encrypting), a way to
 * read it as a stream, and, for Blobs, the Blob itself.
 */
import { SealroomError } from '../errors.js';
import { relay } from './stream-relay.js';

/** A file to share in a browser or in Node: a Blob or File, or a Web ReadableStream of bytes (give its `size`). */
export type WebFileSource = Blob | ReadableStream<Uint8Array>;

/** A file's plaintext, ready to be encrypted. */
export interface PlainSource {
  /** Exact size in bytes. */
  size: number;
  /** Opens the plaintext as a stream (once). Yields exactly `size` bytes, or errors with INVALID_SOURCE. */
  stream(): ReadableStream<Uint8Array>;
  /** A name the source itself suggests (a File's name, a file path's base name). */
  name?: string;
  /** A MIME type the source itself suggests (a Blob's type). */
  type?: string;
  /**
   * Opens the plaintext from byte `offset` to the end, any number of times: sources that can (Blobs, files)
   * can resume an interrupted upload.
   */
  streamFrom?(offset: number): ReadableStream<Uint8Array>;
  /** What tells this file from others on this device (name, size, modification time): resume state is keyed by it. */
  fingerprint?: string;
}

/** Options that describe a source. */
export interface SourceHints {
  /** The exact size in bytes; required for a stream source that does not know its size. */
  size?: number;
}

function checkSize(size: unknown): number {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new SealroomError('INVALID_SOURCE', 'a stream source needs its exact size in bytes (the `size` option)');
  }
  return size;
}

/**
 * Passes a byte stream through, failing it with INVALID_SOURCE if it yields more or fewer than `size` bytes,
 * or a chunk that is not a Uint8Array. Pulls only on demand (no read-ahead beyond the consumer's).
 */
export function exactLength(source: ReadableStream<Uint8Array>, size: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return relay(source, {
    chunk(value) {
      if (!(value instanceof Uint8Array)) throw new SealroomError('INVALID_SOURCE', 'the source must yield Uint8Array chunks');
      seen += value.byteLength;
      if (seen > size) throw new SealroomError('INVALID_SOURCE', `the source yielded more than the declared ${size} bytes`);
    },
    end() {
      if (seen !== size) throw new SealroomError('INVALID_SOURCE', `the source yielded ${seen} bytes, not the declared ${size}`);
    },
  });
}

/** Wraps a stream of known size as a PlainSource that can be opened once. */
export function streamSource(stream: ReadableStream<Uint8Array>, size: number, hints: { name?: string; type?: string } = {}): PlainSource {
  let opened = false;
  return {
    size: checkSize(size),
    ...hints,
    stream() {
      if (opened) throw new SealroomError('INVALID_SOURCE', 'a stream source can be read only once');
      opened = true;
      return exactLength(stream, size);
    },
  };
}

/**
 * Normalizes a Blob/File or a Web ReadableStream.
 * @throws SealroomError `INVALID_SOURCE` (a stream without a size, or something else)
 */
export function webFileSource(source: WebFileSource, hints: SourceHints = {}): PlainSource {
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const file = typeof File !== 'undefined' && source instanceof File ? source : undefined;
    const name = file?.name;
    return {
      size: source.size,
      stream: () => exactLength(source.stream() as ReadableStream<Uint8Array>, source.size),
      streamFrom: (offset) => exactLength(source.slice(offset).stream() as ReadableStream<Uint8Array>, Math.max(0, source.size - offset)),
      ...(file ? { fingerprint: `file|${file.name}|${file.size}|${file.lastModified}|${file.type}` } : {}),
      ...(name ? { name } : {}),
      ...(source.type ? { type: source.type } : {}),
    };
  }
  if (source instanceof ReadableStream) return streamSource(source, checkSize(hints.size));
  throw new SealroomError('INVALID_SOURCE', 'a file source must be a Blob, a File or a ReadableStream of bytes');
}
