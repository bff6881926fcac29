/** Shared helpers for the SDK crypto tests. */
import { SealroomCryptoError, concatBytes, hexEncode, type CryptoErrorCode } from '../../src/crypto/index.js';

/**
 * Runs `action` and asserts that it throws (or rejects with) a SealroomCryptoError with `code`.
 * @returns the error, for further checks
 */
export async function expectCryptoError(action: () => unknown, code: CryptoErrorCode): Promise<SealroomCryptoError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SealroomCryptoError);
  expect((caught as SealroomCryptoError).code).toBe(code);
  return caught as SealroomCryptoError;
}

/** The test-vector file pattern: `size` bytes, byte i = i mod 251. */
export function patternBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

/** Lowercase hex SHA-256, through WebCrypto. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hexEncode(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
}

/** A readable stream that yields `data` in chunks of `chunkSize` bytes (each chunk a fresh copy). */
export function chunkedSource(data: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        return;
      }
      controller.enqueue(data.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** What a transform stream emitted, and the error it ended with (undefined when it closed normally). */
export interface TransformRun {
  chunks: Uint8Array[];
  error: unknown;
}

/** Pipes `data` through `transform` in `chunkSize`-byte chunks and records every output chunk. */
export async function runTransform(
  transform: TransformStream<Uint8Array, Uint8Array>,
  data: Uint8Array,
  chunkSize: number,
): Promise<TransformRun> {
  const reader = chunkedSource(data, Math.max(1, chunkSize)).pipeThrough(transform).getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) chunks.push(result.value);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

/** Pipes `data` through `transform` in `chunkSize`-byte chunks; returns the output or throws its error. */
export async function transformChunked(
  transform: TransformStream<Uint8Array, Uint8Array>,
  data: Uint8Array,
  chunkSize: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const { chunks, error } = await runTransform(transform, data, chunkSize);
  if (error !== undefined) throw error;
  return concatBytes(chunks);
}

/** A copy of `bytes` with bit 0 of byte `index` flipped. */
export function flipBit(bytes: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[index] ^= 0x01;
  return copy;
}
