import parseRange from 'range-parser';
import { AppError } from '../errors';

/** The bytes a download sends: an inclusive range, and whether it answers a Range request (206). */
export interface ByteRange {
  start: number;
  end: number;
  length: number;
  partial: boolean;
}

/**
 * Which bytes of a `size`-byte file to send for a request's Range and If-Range headers. One `bytes=` range
 * is honoured (while If-Range, if given, still names this file's `etag`); a malformed header, another unit
 * or several ranges get the whole file, as RFC 9110 allows; a range wholly outside the file is refused.
 */
export function planByteRange(size: number, etag: string, range?: string, ifRange?: string): ByteRange {
  const whole: ByteRange = { start: 0, end: size - 1, length: size, partial: false };
  if (!range || (ifRange !== undefined && ifRange !== etag)) return whole;
  const ranges = parseRange(size, range, { combine: true });
  if (ranges === -1) {
    throw new AppError('RANGE_NOT_SATISFIABLE', `The range ${range} lies outside the file's ${size} bytes`, {
      headers: { 'Content-Range': `bytes */${size}` },
    });
  }
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return whole;
  const { start, end } = ranges[0];
  return { start, end, length: end - start + 1, partial: true };
}
