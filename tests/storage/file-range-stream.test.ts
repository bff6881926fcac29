/**
 * The local store's read stream. Piped, it reads into a few buffers it uses again; these tests hold it to what
 * that must never cost: a chunk's bytes stay as written until the destination has called back, the bytes are
 * exact for every range, and a destination that goes away (or a file that ends early) stops it and closes the
 * file, without waiting for callbacks that will not come.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { FileRangeStream, PIPE_BUFFERS, READ_CHUNK_BYTES } from '../../src/storage/file-range-stream';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-range-'));
const file = path.join(dir, 'blob');
const bytes = randomBytes(20 * READ_CHUNK_BYTES + 12_345);
beforeAll(() => fs.writeFileSync(file, bytes));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function open(start?: number, end?: number) {
  const handle = await fsp.open(file, 'r');
  return { handle, stream: new FileRangeStream(handle, start, end) };
}

/** Resolves once the stream has closed (and with it the file). */
const closed = (stream: FileRangeStream) => new Promise<void>((resolve) => stream.once('close', () => resolve()));

/**
 * A destination that keeps each chunk's callback for `delayMs`, like a socket that has not written it yet, and
 * checks at callback time that the chunk still holds what it was written with.
 */
function slowDestination(delayMs: number) {
  const received: Buffer[] = [];
  const changedBeforeCallback: number[] = [];
  const backingBuffers = new Set<ArrayBufferLike>();
  let outstanding = 0;
  let mostOutstanding = 0;
  const destination = new Writable({
    highWaterMark: 16 * 1024,
    // Several writes at once, as a socket's queue holds them; a plain Writable would serialize them.
    writev(chunks, callback) {
      for (const { chunk } of chunks as { chunk: Buffer }[]) {
        const copy = Buffer.from(chunk);
        received.push(copy);
        backingBuffers.add(chunk.buffer);
        outstanding++;
        mostOutstanding = Math.max(mostOutstanding, outstanding);
        setTimeout(() => {
          if (!chunk.equals(copy)) changedBeforeCallback.push(received.indexOf(copy));
          outstanding--;
        }, delayMs);
      }
      setTimeout(callback, delayMs);
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    destination.on('finish', resolve);
    destination.on('error', reject);
  });
  return { destination, received, changedBeforeCallback, backingBuffers, mostOutstanding: () => mostOutstanding, finished };
}

describe('FileRangeStream piped', () => {
  it('delivers the whole file byte for byte, reusing a few buffers, none changed before its callback', async () => {
    const { stream } = await open();
    const sink = slowDestination(2);
    stream.pipe(sink.destination);
    await Promise.all([sink.finished, closed(stream)]);
    expect(Buffer.concat(sink.received).equals(bytes)).toBe(true);
    expect(sink.changedBeforeCallback).toEqual([]);
    // 21 chunks through at most PIPE_BUFFERS buffers: the reuse that keeps V8's external memory flat.
    expect(sink.received.length).toBe(21);
    expect(sink.backingBuffers.size).toBeLessThanOrEqual(PIPE_BUFFERS);
    expect(sink.mostOutstanding()).toBeLessThanOrEqual(PIPE_BUFFERS);
  });

  it.each([
    ['the first byte', 0, 0],
    ['a range inside one chunk', 10, 1_000],
    ['a range across chunk boundaries', READ_CHUNK_BYTES - 7, 3 * READ_CHUNK_BYTES + 7],
    ['exactly one chunk', READ_CHUNK_BYTES, 2 * READ_CHUNK_BYTES - 1],
    ['the tail from an offset', 5 * READ_CHUNK_BYTES + 3, bytes.length - 1],
    ['the last byte', bytes.length - 1, bytes.length - 1],
  ])('delivers %s exactly', async (_name, start, end) => {
    const { stream } = await open(start, end);
    const sink = slowDestination(0);
    stream.pipe(sink.destination);
    await sink.finished;
    expect(Buffer.concat(sink.received).equals(bytes.subarray(start, end + 1))).toBe(true);
  });

  it('stops and closes the file when the destination is destroyed while its callbacks are still pending', async () => {
    const { handle, stream } = await open();
    let writes = 0;
    // A socket that never finishes a write, then goes away.
    const destination = new Writable({
      writev(_chunks, _callback) {
        writes++;
      },
    });
    const done = closed(stream);
    stream.pipe(destination);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes).toBeGreaterThan(0);
    destination.destroy();
    await done;
    expect(handle.fd).toBe(-1);
  });

  it('cuts the destination and reports an error when the file ends before the range does', async () => {
    const { handle, stream } = await open(0, bytes.length + READ_CHUNK_BYTES - 1);
    const sink = slowDestination(0);
    const errors: Error[] = [];
    stream.on('error', (error) => errors.push(error));
    const done = closed(stream);
    stream.pipe(sink.destination);
    await expect(sink.finished).rejects.toThrow(/ended 262144 bytes early/);
    await done;
    expect(errors.map((e) => e.message)).toEqual(['the file ended 262144 bytes early']);
    // What the destination had taken before the cut is the start of the file (a cut connection drops the rest).
    const received = Buffer.concat(sink.received);
    expect(received.equals(bytes.subarray(0, received.length))).toBe(true);
    expect(handle.fd).toBe(-1);
  });
});

describe('FileRangeStream read any other way', () => {
  it('hands out every chunk in a buffer of its own, and closes the file at the end', async () => {
    const { handle, stream } = await open(7, 2 * READ_CHUNK_BYTES + 9);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes.subarray(7, 2 * READ_CHUNK_BYTES + 10))).toBe(true);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
    expect(handle.fd).toBe(-1);
  });

  it('falls back to an ordinary pipe once it has been read from', async () => {
    const { stream } = await open();
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    stream.pause();
    const sink = slowDestination(0);
    stream.pipe(sink.destination);
    await sink.finished;
    expect(Buffer.concat([first, ...sink.received]).equals(bytes)).toBe(true);
  });
});
