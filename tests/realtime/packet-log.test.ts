import { PacketLog } from '../../src/realtime/recovery-log.adapter';

/** Appends an event as socket.io-parser encodes it (`2[...]`) and returns its offset. */
function append(log: PacketLog, room: string | null, args: unknown[], except: string | null = null, expiredBefore = 0): string {
  const offset = log.nextOffset();
  log.append(`2${JSON.stringify([...args, offset])}`, expiredBefore, room, except);
  return offset;
}

describe('the recovery log (connection-state recovery on one node)', () => {
  it('replays what came after an offset, for the rooms of the session only, without what it was excluded from', () => {
    const log = new PacketLog(1 << 16);
    const first = append(log, 'r1', ['message:new', { n: 1 }]);
    append(log, 'r2', ['message:new', { n: 2 }]);
    append(log, 'r1', ['member:left', { n: 3 }], 'sock-b');
    const last = append(log, null, ['message:new', { n: 4 }]);
    expect(log.since(first, ['sock-a', 'r1'])).toEqual([
      ['member:left', { n: 3 }, '3'],
      ['message:new', { n: 4 }, '4'],
    ]);
    expect(log.since(first, ['sock-b', 'r1'])).toEqual([['message:new', { n: 4 }, '4']]);
    expect(log.since(last, ['sock-a', 'r1'])).toEqual([]);
  });

  it('refuses offsets it cannot vouch for: unknown, from the future, or older than what it holds', () => {
    const log = new PacketLog(300);
    const offsets = Array.from({ length: 10 }, (_, i) => append(log, 'r', ['message:new', { text: 'x'.repeat(40), i }]));
    expect(log.size).toBeLessThan(10); // the ring wrapped: the oldest were dropped to make room
    const oldestHeld = 10 - log.size;
    expect(log.since(offsets[oldestHeld - 2], ['r'])).toBeNull(); // a missed event is gone
    expect(log.since(offsets[oldestHeld - 1], ['r'])).toHaveLength(log.size); // everything after it is held
    expect(log.since('zz', ['r'])).toBeNull();
    expect(log.since('not an offset', ['r'])).toBeNull();
    expect(log.since('', ['r'])).toBeNull();
  });

  it('keeps the bytes of every held event intact across wrap-arounds', () => {
    const log = new PacketLog(1000);
    const offsets: string[] = [];
    for (let i = 0; i < 200; i++) offsets.push(append(log, 'r', ['message:new', { i, pad: 'é'.repeat(i % 37) }]));
    const held = log.since(offsets[199 - log.size], ['r']) as unknown[][];
    expect(held.map((args) => (args[1] as { i: number }).i)).toEqual(Array.from({ length: log.size }, (_, k) => 200 - log.size + k));
    for (const args of held) expect((args[1] as { pad: string }).pad).toBe('é'.repeat((args[1] as { i: number }).i % 37));
  });

  it('drops expired events, and forgets everything before an event it could not keep', () => {
    const log = new PacketLog(1000);
    const a = append(log, 'r', ['message:new', 1]);
    append(log, 'r', ['message:new', 2]);
    const c = append(log, 'r', ['message:new', 3], null, Date.now() + 1); // everything before it has expired
    expect(log.size).toBe(1);
    expect(log.since(a, ['r'])).toBeNull();

    const tooBig = log.nextOffset();
    log.append(`2${JSON.stringify(['message:new', 'x'.repeat(2000), tooBig])}`, 0, 'r', null);
    expect(log.size).toBe(0);
    expect(log.since(c, ['r'])).toBeNull(); // it would miss the event that was not kept
    expect(log.since(tooBig, ['r'])).toEqual([]); // a client that got it has missed nothing
    const after = append(log, 'r', ['message:new', 4]);
    expect(log.since(tooBig, ['r'])).toEqual([['message:new', 4, after]]);
  });

  it('uses only as much of its buffer as the unexpired events need, and all of it when they need it', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      // One 100-byte event per millisecond, each kept for 50 ms: about 5 KB held at any time.
      const log = new PacketLog(1 << 20, 1024);
      const offsets: string[] = [];
      for (let ms = 0; ms < 20_000; ms++) {
        jest.setSystemTime(ms);
        const offset = log.nextOffset();
        log.append(`2${JSON.stringify(['message:new', { ms, pad: 'x'.repeat(60) }, offset])}`, ms - 50, 'r', null);
        offsets.push(offset);
      }
      expect(log.span).toBeGreaterThanOrEqual(8 * 1024); // it grew from 1 KiB to hold 5 KB...
      expect(log.span).toBeLessThanOrEqual(32 * 1024); // ...and not towards the 1 MiB it may use
      expect(log.size).toBe(51); // nothing unexpired was dropped to stay small
      const held = log.since(offsets[20_000 - 52], ['r']) as unknown[][];
      expect(held.map((args) => (args[1] as { ms: number }).ms)).toEqual(Array.from({ length: 51 }, (_, k) => 20_000 - 51 + k));

      // Nothing expires: the span grows to the capacity and stops there, the oldest events making room.
      const full = new PacketLog(1 << 16, 1024);
      for (let i = 0; i < 5_000; i++)
        full.append(`2${JSON.stringify(['message:new', { i, pad: 'y'.repeat(60) }, full.nextOffset()])}`, 0, 'r', null);
      expect(full.span).toBe(1 << 16);
      expect(full.size).toBeGreaterThan(500);
      expect(full.size).toBeLessThan(5_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stays compact over a long run', () => {
    const log = new PacketLog(4096);
    let last = '';
    for (let i = 0; i < 50_000; i++) last = append(log, 'r', ['message:new', i]);
    expect(log.size).toBeLessThan(300);
    expect(log.since(last, ['r'])).toEqual([]);
    expect(parseInt(last, 36)).toBe(50_000);
  });
});
