import { createRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { connect, contractViolations, join, newId, request as ask, sealed, type ClientSocket } from '../support/sockets';

/**
 * Attack 3 of issue 16: with a long MESSAGE_BACKLOG, one client filled the server's memory through a few
 * self-made rooms of large messages. The byte caps bound it whatever MESSAGE_BACKLOG says.
 */
describe('the backlog byte caps', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    server = await startServer({
      env: { MESSAGE_BACKLOG: '1000', MESSAGE_BACKLOG_BYTES: '20000', MESSAGE_BACKLOG_TOTAL_BYTES: '50000' },
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  it('keeps at most MESSAGE_BACKLOG_BYTES per room and MESSAGE_BACKLOG_TOTAL_BYTES in all, dropping the oldest', async () => {
    const sender = connect(server.url);
    sockets.push(sender);
    const rooms = [await createRoom(server.url), await createRoom(server.url), await createRoom(server.url)];
    for (const room of rooms) await join(sender, room);
    for (const room of rooms) {
      for (let i = 0; i < 60; i++) {
        const ack = await ask(sender, 'message:send', { room_id: room.roomId, id: newId(), ...sealed(700) });
        expect(ack.ok).toBe(true);
      }
    }
    // Count what the server keeps, in bytes of JSON, and what a late joiner is sent.
    const state = server.sealroom.realtime.state;
    const kept = await Promise.all(rooms.map((r) => state.backlog(r.roomId)));
    const sizes = kept.map((k) => k.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(20_000);
    expect(await state.totalBacklogBytes()).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(await state.totalBacklogBytes()).toBeLessThanOrEqual(50_000);

    const late = connect(server.url);
    sockets.push(late);
    const ack = await join(late, rooms[2]);
    expect(ack.backlog.length).toBeGreaterThan(0);
    expect(ack.backlog.length).toBeLessThan(60);
    const seqs = ack.backlog.map((e) => e.data.seq);
    expect(seqs.at(-1)).toBe(60); // the newest kept, the oldest dropped
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(contractViolations).toEqual([]);
  });
});
