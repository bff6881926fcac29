import { planByteRange } from '../../../src/services/byte-range';

const ETAG = '"file-1"';

describe('planByteRange', () => {
  it('sends the whole file without a Range header', () => {
    expect(planByteRange(1000, ETAG)).toEqual({ start: 0, end: 999, length: 1000, partial: false });
  });

  it.each([
    ['bytes=0-99', { start: 0, end: 99, length: 100 }],
    ['bytes=900-', { start: 900, end: 999, length: 100 }],
    ['bytes=-10', { start: 990, end: 999, length: 10 }],
    ['bytes=990-5000', { start: 990, end: 999, length: 10 }],
    ['bytes=0-9,10-19', { start: 0, end: 19, length: 20 }], // adjacent ranges combine into one
  ])('honours %s', (range, expected) => {
    expect(planByteRange(1000, ETAG, range)).toEqual({ ...expected, partial: true });
  });

  it.each(['bytes=0-9,500-509', 'items=0-9', 'bytes=abc', 'bytes'])('answers %s with the whole file (RFC 9110 allows it)', (range) => {
    expect(planByteRange(1000, ETAG, range)).toEqual({ start: 0, end: 999, length: 1000, partial: false });
  });

  it('refuses a range wholly outside the file, with the size in Content-Range', () => {
    expect(() => planByteRange(1000, ETAG, 'bytes=1000-')).toThrow(
      expect.objectContaining({ code: 'RANGE_NOT_SATISFIABLE', headers: { 'Content-Range': 'bytes */1000' } }),
    );
  });

  it('honours If-Range only while it names this file', () => {
    expect(planByteRange(1000, ETAG, 'bytes=10-', ETAG).partial).toBe(true);
    expect(planByteRange(1000, ETAG, 'bytes=10-', '"another"')).toEqual({ start: 0, end: 999, length: 1000, partial: false });
  });

  it('describes an empty file as zero bytes', () => {
    expect(planByteRange(0, ETAG)).toEqual({ start: 0, end: -1, length: 0, partial: false });
  });
});
