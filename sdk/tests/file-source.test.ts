/** File sources: sizes, exact lengths, and what is refused. */
import { exactLength, streamSource, webFileSource } from '../src/files/file-source.js';
import { SeenIds } from '../src/realtime/seen-ids.js';
import { TypedEmitter } from '../src/realtime/typed-emitter.js';

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let total = 0;
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) total += r.value.length;
  return total;
}

function streamOf(...chunks: unknown[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk as Uint8Array);
      controller.close();
    },
  });
}

describe('file sources', () => {
  it('takes a Blob or File with its own size, name and type', async () => {
    const file = new File([new Uint8Array(1000)], 'notes.txt', { type: 'text/plain' });
    const source = webFileSource(file);
    expect(source).toMatchObject({ size: 1000, name: 'notes.txt', type: 'text/plain' });
    expect(await drain(source.stream())).toBe(1000);
    expect(webFileSource(new Blob(['abc']))).toMatchObject({ size: 3 });
  });

  it('needs the size of a stream, and reads a stream once', async () => {
    expect(() => webFileSource(streamOf())).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE' }));
    expect(() => webFileSource(streamOf(), { size: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE' }));
    const source = streamSource(streamOf(new Uint8Array(5)), 5);
    expect(await drain(source.stream())).toBe(5);
    expect(() => source.stream()).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE' }));
  });

  it('refuses things that are not sources', () => {
    expect(() => webFileSource('a string' as never)).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE' }));
  });

  it.each([
    ['fewer bytes', [new Uint8Array(4)], 5],
    ['more bytes', [new Uint8Array(4), new Uint8Array(4)], 5],
    ['text chunks', ['abcde'], 5],
  ])('fails a stream that yields %s than declared', async (_what, chunks, size) => {
    await expect(drain(exactLength(streamOf(...chunks), size))).rejects.toMatchObject({ code: 'INVALID_SOURCE' });
  });
});

describe('SeenIds', () => {
  it('reports repeats and forgets the oldest beyond its capacity', () => {
    const seen = new SeenIds(2);
    expect(seen.add('a')).toBe(true);
    expect(seen.add('a')).toBe(false);
    seen.add('b');
    seen.add('c');
    expect(seen.has('a')).toBe(false);
    expect(seen.has('c')).toBe(true);
  });
});

describe('TypedEmitter', () => {
  class Emitter extends TypedEmitter<{ [event: string]: (...args: never[]) => void; ping: (n: number) => void }> {
    readonly reported: unknown[] = [];
    fire(n: number) {
      this.emit('ping', n);
    }
    protected override reportListenerError(error: unknown): void {
      this.reported.push(error);
    }
  }

  it('calls listeners until removed, once-listeners once, and survives a throwing listener', () => {
    const emitter = new Emitter();
    const seen: number[] = [];
    const off = emitter.on('ping', (n) => seen.push(n));
    emitter.once('ping', (n) => seen.push(n * 10));
    emitter.on('ping', () => {
      throw new Error('listener bug');
    });
    emitter.on('ping', (n) => seen.push(n * 100)); // after the one that throws
    emitter.fire(1);
    off();
    emitter.fire(2);
    expect(seen).toEqual([1, 10, 100, 200]);
    expect(emitter.reported).toHaveLength(2);
    expect(emitter.listenerCount('ping')).toBe(2);
  });
});
