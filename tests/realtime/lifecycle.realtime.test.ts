import request from 'supertest';
import { createRoom } from '../support/rooms';
import { DATABASES, ManualClock, startServer } from '../support/server';
import { connect, connected, contractViolations, join, newId, next, request as ask, sealed, sendMessage } from '../support/sockets';

afterEach(() => {
  expect(contractViolations.splice(0)).toEqual([]);
});

describe.each(DATABASES)('room lifetime seen from the chat channel (%s)', (db) => {
  it('joining keeps a room alive; an idle room expires and its members hear room:closed (expired)', async () => {
    const clock = new ManualClock();
    const server = await startServer({ db, clock, env: { ROOM_AGE_LIMIT: '5' } });
    const [inIdle, inBusy, late] = [connect(server.url), connect(server.url), connect(server.url)];
    try {
      const idle = await createRoom(server.url);
      const busy = await createRoom(server.url);
      await connected(inIdle);
      const joinedIdle = await ask(inIdle, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: idle.roomId,
        member_id: newId(),
        proof: idle.proof('join', clock.now()),
        profile: sealed(),
      });
      expect(joinedIdle.ok).toBe(true);

      clock.advance(4 * 60_000);
      await connected(inBusy);
      const joinedBusy = await ask(inBusy, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: busy.roomId,
        member_id: newId(),
        proof: busy.proof('join', clock.now()),
        profile: sealed(),
      });
      expect(joinedBusy.ok).toBe(true);
      clock.advance(2 * 60_000);

      const closed = next(inIdle, 'room:closed');
      const report = await server.sealroom.sweeper.sweep();
      expect(report?.expiredRooms).toBe(1);
      expect(await closed).toEqual({ room_id: idle.roomId, reason: 'expired' });
      expect(await sendMessage(inIdle, idle.roomId)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });

      // The joined room lives on, and its member carries on.
      expect((await request(server.url).get('/room_exists').query({ room_id: busy.roomId })).status).toBe(200);
      expect(await sendMessage(inBusy, busy.roomId)).toMatchObject({ ok: true });
      // The expired room cannot be joined again.
      await connected(late);
      const again = await ask(late, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: idle.roomId,
        member_id: newId(),
        proof: idle.proof('join', clock.now()),
        profile: sealed(),
      });
      expect(again).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    } finally {
      [inIdle, inBusy, late].forEach((s) => s.disconnect());
      await server.close();
    }
  });
});

describe('shutdown', () => {
  it('closes every connection cleanly (clients see the transport close and would reconnect) and finishes', async () => {
    const server = await startServer();
    const a = connect(server.url, { reconnection: false });
    const b = connect(server.url, { reconnection: false });
    try {
      const room = await createRoom(server.url);
      await join(a, room);
      await join(b, room);
      const reasons = Promise.all([a, b].map((s) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)))));
      await server.close();
      // "transport close", not "io server disconnect": a client reconnects by itself (to this server when it is
      // back, or to another node) instead of treating it as being kicked out.
      expect(await reasons).toEqual(['transport close', 'transport close']);
      expect(server.sealroom.io.engine.clientsCount).toBe(0);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});

describe('without connection-state recovery (SOCKET_RECOVERY_WINDOW=0)', () => {
  it('a reconnected socket is a new connection: it must join again, and its old member id is free', async () => {
    const server = await startServer({ env: { SOCKET_RECOVERY_WINDOW: '0' } });
    const a = connect(server.url);
    const b = connect(server.url);
    try {
      const room = await createRoom(server.url);
      await join(a, room);
      const { member_id: bId } = await join(b, room);
      const left = next(a, 'member:left', (m) => m.member_id === bId);
      (b.io.engine as unknown as { close(): void }).close();
      expect(await left).toEqual({ room_id: room.roomId, member_id: bId, reason: 'disconnected' });
      await new Promise<void>((resolve) => b.once('connect', () => resolve()));
      expect(b.recovered).toBeFalsy(); // undefined: the server offered no session to recover
      expect(await sendMessage(b, room.roomId)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      const rejoined = await join(b, room, bId);
      expect(rejoined.members).toHaveLength(1);
    } finally {
      a.disconnect();
      b.disconnect();
      await server.close();
    }
  });
});

describe('connection-state recovery limits', () => {
  it('does not recover a session whose missed events no longer fit the recovery buffer: the client joins again', async () => {
    const server = await startServer({ env: { SOCKET_RECOVERY_BUFFER: '1' } });
    const a = connect(server.url);
    const b = connect(server.url, { reconnection: false });
    try {
      const room = await createRoom(server.url);
      await join(a, room);
      const { member_id: bId } = await join(b, room);
      const left = next(a, 'member:left', (m) => m.member_id === bId);
      (b.io.engine as unknown as { close(): void }).close();
      await left;
      // More than 1 MiB of events while b is away: the oldest it missed are gone from the buffer.
      const big = () => ({ room_id: room.roomId, id: newId(), iv: sealed().iv, ct: 'A'.repeat(87_000) });
      for (let i = 0; i < 15; i++) expect(await ask(a, 'message:send', big())).toMatchObject({ ok: true });

      b.connect();
      await connected(b);
      expect(b.recovered).toBe(false);
      expect(await sendMessage(b, room.roomId)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      const rejoined = await join(b, room, bId);
      expect(rejoined.members).toHaveLength(1);
    } finally {
      a.disconnect();
      b.disconnect();
      await server.close();
    }
  });

  it('counts a recovered connection against SOCKET_MAX_PER_IP like any other', async () => {
    const server = await startServer({ env: { SOCKET_MAX_PER_IP: '2' } });
    const a = connect(server.url);
    const b = connect(server.url, { reconnection: false });
    const c = connect(server.url, { reconnection: false, autoConnect: false });
    try {
      // b must have received an event to recover (the offset of the last one is what it resumes from).
      const room = await createRoom(server.url);
      await join(b, room);
      const heard = next(b, 'member:joined');
      await join(a, room);
      await heard;
      const gone = new Promise((resolve) => b.once('disconnect', resolve));
      (b.io.engine as unknown as { close(): void }).close();
      await gone;
      b.connect();
      await connected(b);
      expect(b.recovered).toBe(true);
      c.connect();
      const refused = await connected(c).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(refused).toBe('TOO_MANY_CONNECTIONS');
    } finally {
      [a, b, c].forEach((s) => s.disconnect());
      await server.close();
    }
  });
});
