/**
 * The Redis room state store on the machine's Redis (under a key prefix made for this run), checked against
 * the same rules as the in-memory store: presence owned by a connection, one sequence per room, retries
 * recognised within the de-duplication window, a bounded backlog, and a dead node's members taken over.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Member } from '@sealroom/contracts';
import { RedisRoomStateStore } from '../../src/realtime/state/redis-room-state';
import { DEDUPE_WINDOW, MemoryRoomStateStore, type RoomStateStore } from '../../src/realtime/state/room-state';
import { deleteKeys, SHARED_REDIS_URL } from './support/cluster';

const prefix = `sealroom-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
// Made when the file loads: describe.each below needs the stores before any hook runs.
const redis = new Redis(SHARED_REDIS_URL);
const memory = new MemoryRoomStateStore();

afterAll(async () => {
  memory.close();
  await deleteKeys(SHARED_REDIS_URL, prefix);
  redis.disconnect();
});

const member = (id: string): Member => ({ member_id: id, profile: { iv: 'aaaaaaaaaaaaaaaa', ct: 'bbbbbbbbbbbbbbbbbbbbbb' } });
const roomId = () => randomBytes(12).toString('base64url');
const stores = (): Array<[string, RoomStateStore]> => [
  ['memory', memory],
  ['redis', new RedisRoomStateStore(redis, prefix, 60_000)],
];

describe.each(stores())('%s room state', (_name, store) => {
  it('gives a member id to one connection at a time, and lets only its holder remove it', async () => {
    const room = roomId();
    const one = { socketId: 's1', nodeId: 'n1' };
    const two = { socketId: 's2', nodeId: 'n1' };
    expect(await store.addMember(room, member('alice1'), 3, one)).toBe('added');
    expect(await store.addMember(room, member('alice1'), 3, two)).toBe('taken');
    expect(await store.addMember(room, member('alice1'), 3, one)).toBe('kept');
    expect(await store.removeMember(room, 'alice1', two)).toBe(false);
    expect(await store.removeMember(room, 'alice1', { socketId: 's1', nodeId: 'other' })).toBe(false);
    expect((await store.members(room)).map((m) => m.member_id)).toEqual(['alice1']);
    expect(await store.removeMember(room, 'alice1', one)).toBe(true);
    expect(await store.removeMember(room, 'alice1', one)).toBe(false);
    expect(await store.members(room)).toEqual([]);
  });

  it('refuses a member beyond the room limit', async () => {
    const room = roomId();
    for (let i = 0; i < 2; i++)
      expect(await store.addMember(room, member(`member${i}`), 2, { socketId: `s${i}`, nodeId: 'n' })).toBe('added');
    expect(await store.addMember(room, member('member2'), 2, { socketId: 's2', nodeId: 'n' })).toBe('full');
  });

  it('numbers ids once per room and recognises a retry within the window', async () => {
    const room = roomId();
    const first = await store.claim(room, 'id-0', 1000);
    const concurrent = await Promise.all(Array.from({ length: 50 }, (_, i) => store.claim(room, `id-${i + 1}`, 2000)));
    expect(first).toEqual({ seq: 1, sentAt: 1000, duplicate: false, relayed: false });
    expect(concurrent.map((d) => d.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(await store.claim(room, 'id-0', 9999)).toMatchObject({ seq: 1, sentAt: 1000, duplicate: true });
    expect((await store.claim(roomId(), 'id-0', 5)).duplicate).toBe(false); // another room: a new id
  });

  it('forgets ids older than the de-duplication window', async () => {
    const room = roomId();
    await store.claim(room, 'oldest', 1);
    for (let i = 0; i < DEDUPE_WINDOW; i++) await store.claim(room, `later-${i}`, 2);
    expect(await store.claim(room, 'oldest', 3)).toMatchObject({ seq: DEDUPE_WINDOW + 2, sentAt: 3, duplicate: false });
    expect((await store.claim(room, `later-${DEDUPE_WINDOW - 1}`, 4)).duplicate).toBe(true);
  });

  it('keeps the last N backlog entries and forgets everything when the room is cleared', async () => {
    const room = roomId();
    const entry = (seq: number) => ({
      event: 'message:new' as const,
      data: { room_id: room, id: `m${seq}xxxx`, member_id: 'alice1', seq, sent_at: seq, iv: 'i', ct: 'c' },
    });
    for (let seq = 1; seq <= 5; seq++) await store.appendBacklog(room, entry(seq), { entries: 3, bytes: 1 << 20, totalBytes: 1 << 26 });
    expect((await store.backlog(room)).map((e) => e.data.seq)).toEqual([3, 4, 5]);
    await store.addMember(room, member('alice1'), 10, { socketId: 's', nodeId: 'n' });
    await store.claim(room, 'x', 1);
    await store.clear(room);
    expect(await store.backlog(room)).toEqual([]);
    expect(await store.members(room)).toEqual([]);
    expect((await store.claim(room, 'x', 2)).seq).toBe(1);
  });
});

describe.each([
  ['memory', () => new MemoryRoomStateStore()],
  ['redis', () => new RedisRoomStateStore(redis, `${prefix}bytes:${randomBytes(3).toString('hex')}:`, 60_000)],
] as Array<[string, () => RoomStateStore]>)('%s backlog byte caps', (name, make) => {
  const entry = (room: string, seq: number, ct: string) => ({
    event: 'message:new' as const,
    data: { room_id: room, id: `m${seq}xxxx`, member_id: 'alice1', seq, sent_at: seq, iv: 'i', ct },
  });
  const bytes = (entries: unknown[]) => entries.reduce<number>((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0);

  it('drops the oldest past MESSAGE_BACKLOG_BYTES per room and MESSAGE_BACKLOG_TOTAL_BYTES over all rooms', async () => {
    const store = make();
    try {
      const limits = { entries: 1000, bytes: 20_000, totalBytes: 50_000 };
      const rooms = [roomId(), roomId(), roomId()];
      for (const room of rooms)
        for (let seq = 1; seq <= 100; seq++) await store.appendBacklog(room, entry(room, seq, 'c'.repeat(900)), limits);
      const kept = await Promise.all(rooms.map((r) => store.backlog(r)));
      for (const k of kept) expect(bytes(k)).toBeLessThanOrEqual(20_000);
      const total = kept.reduce((sum, k) => sum + bytes(k), 0);
      expect(total).toBeLessThanOrEqual(50_000);
      expect(total).toBeGreaterThan(45_000);
      expect(await store.totalBacklogBytes()).toBe(total);
      // Oldest first: the last room written keeps its newest entries; the first one lost the most.
      expect(kept[2].at(-1)?.data.seq).toBe(100);
      expect(kept[0].length).toBeLessThan(kept[2].length);
      for (const k of kept) expect(k.map((e) => e.data.seq)).toEqual([...k.map((e) => e.data.seq)].sort((a, b) => a - b));
      // A cleared room gives its bytes back to the total.
      await store.clear(rooms[2]);
      expect(await store.totalBacklogBytes()).toBe(bytes(kept[0]) + bytes(kept[1]));
    } finally {
      if (name === 'memory') (store as MemoryRoomStateStore).close();
    }
  });
});

describe('redis room state across nodes', () => {
  it('tells a retry whether the first relay of its id is known to have happened', async () => {
    const store = new RedisRoomStateStore(redis, prefix, 60_000);
    const room = roomId();
    await store.claim(room, 'msg-1', 10);
    // The claiming node died before relaying: the retry is a duplicate that still needs relaying.
    expect(await store.claim(room, 'msg-1', 20)).toEqual({ seq: 1, sentAt: 10, duplicate: true, relayed: false });
    await store.markRelayed(room, 'msg-1');
    await store.markRelayed(room, 'msg-1'); // marking twice changes nothing
    expect(await store.claim(room, 'msg-1', 30)).toEqual({ seq: 1, sentAt: 10, duplicate: true, relayed: true });
    await store.markRelayed(room, 'never-claimed');
    expect(await store.claim(room, 'never-claimed', 40)).toEqual({ seq: 2, sentAt: 40, duplicate: false, relayed: false });
  });

  it("lets a new connection take a member id whose node stopped renewing its heartbeat, but not a live node's", async () => {
    const store = new RedisRoomStateStore(redis, prefix, 60_000);
    const room = roomId();
    await redis.set(`${prefix}node:alive-node`, '1', 'PX', 60_000);
    expect(await store.addMember(room, member('bob123'), 10, { socketId: 'old', nodeId: 'alive-node' })).toBe('added');
    expect(await store.addMember(room, member('bob123'), 10, { socketId: 'new', nodeId: 'other-node' })).toBe('taken');
    await redis.del(`${prefix}node:alive-node`); // the node died: its heartbeat key expired
    expect(await store.addMember(room, member('bob123'), 10, { socketId: 'new', nodeId: 'other-node' })).toBe('added');
    // The dead node's record no longer owns it: reaping it later removes nothing.
    expect(await store.removeMember(room, 'bob123', { socketId: 'old', nodeId: 'alive-node' })).toBe(false);
    expect(await store.membersAddedBy('other-node')).toEqual([{ roomId: room, memberId: 'bob123', socketId: 'new' }]);
  });
});
