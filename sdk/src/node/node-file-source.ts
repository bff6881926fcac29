/** Node streams as file sources (Node entry only). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { SealroomError } from '../errors.js';
import { exactLength, streamSource, webFileSource, type PlainSource, type SourceHints, type WebFileSource } from '../files/file-source.js';

/** What the Node entry's client can share: a Blob/File, a Web ReadableStream, or a Node Readable (e.g. fs.createReadStream). */
export type NodeFileSource = WebFileSource | Readable;

const sourceError = (error: Error) => new SealroomError('INVALID_SOURCE', `reading the source failed: ${error.message}`, { cause: error });

/**
 * A Node Readable as a Web stream that reads on demand (each pull takes one chunk from the Readable, so
 * backpressure reaches the file or socket behind it). Cancelling destroys the Readable.
 * @param mapError what the stream fails with when the Readable fails (INVALID_SOURCE by default)
 */
export function readableToWebStream(readable: Readable, mapError: (error: Error) => unknown = sourceError): ReadableStream<Uint8Array> {
  const chunks = readable[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<unknown>;
        try {
          next = await chunks.next();
        } catch (error) {
          throw mapError(error instanceof Error ? error : new Error(String(error)));
        }
        if (next.done) return controller.close();
        if (!(next.value instanceof Uint8Array))
          throw new SealroomError('INVALID_SOURCE', 'the source must yield bytes, not text (do not set an encoding)');
        controller.enqueue(next.value);
      },
      async cancel(reason) {
        readable.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The file path behind a Readable made by fs.createReadStream(path), if any. */
function readStreamPath(readable: Readable): string | undefined {
  const path = (readable as Readable & { path?: unknown }).path;
  return typeof path === 'string' ? path : undefined;
}

/**
 * Normalizes a Node source. A file read stream's size and name come from its file (when it reads the whole
 * file); any other Readable needs `size`.
 * @throws SealroomError `INVALID_SOURCE`
 */
export async function nodeFileSource(source: NodeFileSource, hints: SourceHints = {}): Promise<PlainSource> {
  if (!(source instanceof Readable)) return webFileSource(source, hints);
  const path = readStreamPath(source);
  let size = hints.size;
  const range = source as Readable & { start?: unknown; end?: unknown };
  if (size === undefined && path !== undefined && range.start === undefined && (range.end === undefined || range.end === Infinity)) {
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw new SealroomError('INVALID_SOURCE', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (size === undefined) throw new SealroomError('INVALID_SOURCE', 'a stream source needs its exact size in bytes (the `size` option)');
  const plain = streamSource(readableToWebStream(source), size, path !== undefined ? { name: basename(path) } : {});
  const wholeFile = path !== undefined && range.start === undefined && (range.end === undefined || range.end === Infinity);
  if (!wholeFile) return plain;
  // A whole file can be read again from any offset: an interrupted upload of it can resume.
  let modified: number;
  try {
    modified = (await stat(path)).mtimeMs;
  } catch (error) {
    throw new SealroomError('INVALID_SOURCE', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const fileSize = size;
  return {
    ...plain,
    fingerprint: `path|${resolve(path)}|${fileSize}|${modified}`,
    streamFrom: (offset) => {
      source.destroy(); // the stream given is not read on this path; its file is opened again from the offset
      return exactLength(readableToWebStream(createReadStream(path, { start: offset })), Math.max(0, fileSize - offset));
    },
  };
}
