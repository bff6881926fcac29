import request from 'supertest';
import { createRoom, type TestRoom } from '../support/rooms';
import { DATABASES, startServer, type TestServer } from '../support/server';
import { upload } from '../support/multipart';
import { randomBytes } from 'node:crypto';
import { eventually } from '../support/storage';
import {
  collect,
  connect,
  connected,
  contractViolations,
  join,
  newId,
  next,
  request as ask,
  sealed,
  sendMessage,
  type ClientSocket,
} from '../support/sockets';

describe.each(DATABASES)('the chat channel (%s)', (db) => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const client = () => {
    const s = connect(server.url);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterEach(() => {
    sockets.splice(0).forEach((s) => s.disconnect());
    expect(contractViolations.splice(0)).toEqual([]);
  });
  afterAll(() => server.close());

  describe('typing', () => {
    it('relays room:typing as member:typing to the others, at most once per member every 2 s, never into the backlog', async () => {
      const backlogServer = await startServer({ db, env: { MESSAGE_BACKLOG: '10' } });
      const local: ClientSocket[] = [];
      try {
        const room = await createRoom(backlogServer.url);
        const [a, b] = [connect(backlogServer.url), connect(backlogServer.url)];
        local.push(a, b);
        const aId = (await join(a, room)).member_id;
        await join(b, room);
        const seenByB = collect(b, 'member:typing');
        const seenByA = collect(a, 'member:typing');
        for (let i = 0; i < 5; i++) expect(await ask(a, 'room:typing', { room_id: room.roomId })).toEqual({ ok: true });
        await eventually(() => seenByB.length === 1, 'member:typing');
        expect(seenByB[0]).toEqual({ room_id: room.roomId, member_id: aId });
        await new Promise((r) => setTimeout(r, 300));
        expect(seenByB).toHaveLength(1); // the 4 extras were dropped
        expect(seenByA).toEqual([]); // not echoed to the typist
        await new Promise((r) => setTimeout(r, 2_000));
        await ask(a, 'room:typing', { room_id: room.roomId });
        await eventually(() => seenByB.length === 2, 'a second member:typing after 2 s');
        // Typing does not count against the message limit, and nothing of it is kept for late joiners.
        await sendMessage(a, room.roomId);
        const c = connect(backlogServer.url);
        local.push(c);
        await connected(c);
        const reply = await ask(c, 'room:join', {
          protocol: 'sealroom/v2',
          room_id: room.roomId,
          member_id: newId(),
          proof: room.proof('join'),
          profile: sealed(),
        });
        expect(reply.ok && reply.backlog.map((entry) => entry.event)).toEqual(['message:new']);
      } finally {
        local.forEach((s) => s.disconnect());
        await backlogServer.close();
      }
    });
  });

  describe('joining', () => {
    it('joins with a valid proof; the ack lists the others and they hear member:joined', async () => {
      const room = await createRoom(server.url);
      const alice = client();
      const bob = client();
      const aliceJoin = await join(alice, room);
      expect(aliceJoin.members).toEqual([]);
      expect(aliceJoin.backlog).toEqual([]);

      const heard = next(alice, 'member:joined');
      const bobId = newId();
      const bobJoin = await join(bob, room, bobId);
      expect(bobJoin.members).toEqual([{ member_id: aliceJoin.member_id, profile: expect.any(Object) }]);
      expect(await heard).toMatchObject({ room_id: room.roomId, member_id: bobId });
    });

    it('refuses a bad, stale or wrong-purpose proof, and an unknown room', async () => {
      const room = await createRoom(server.url);
      const other = await createRoom(server.url);
      const s = client();
      await connected(s);
      const attempt = (roomId: string, proof: string) =>
        ask(s, 'room:join', { protocol: 'sealroom/v2', room_id: roomId, member_id: newId(), proof, profile: sealed() });
      const cases: Array<[string, string, string, string]> = [
        ['forged', room.roomId, other.proof('join'), 'PROOF_INVALID'],
        ['stale', room.roomId, room.proof('join', Date.now() - 300_000), 'PROOF_EXPIRED'],
        ['for uploads', room.roomId, room.proof('upload'), 'PROOF_INVALID'],
        ['unknown room', 'no-such-room', room.proof('join'), 'ROOM_NOT_FOUND'],
      ];
      for (const [what, roomId, proof, code] of cases) {
        const reply = await attempt(roomId, proof);
        expect({ what, reply }).toEqual({ what, reply: { ok: false, error: { code, message: expect.any(String) } } });
      }
    });

    it('finding 5: refuses a future-dated join proof (+60 s, +119 s) with PROOF_EXPIRED; accepts +10 s', async () => {
      const room = await createRoom(server.url);
      const s = client();
      await connected(s);
      const attempt = (offsetMs: number) =>
        ask(s, 'room:join', {
          protocol: 'sealroom/v2',
          room_id: room.roomId,
          member_id: newId(),
          proof: room.proof('join', Date.now() + offsetMs),
          profile: sealed(),
        });
      for (const offset of [60_000, 119_000, 12_000]) {
        expect({ offset, reply: await attempt(offset) }).toEqual({
          offset,
          reply: { ok: false, error: { code: 'PROOF_EXPIRED', message: expect.any(String) } },
        });
      }
      // 10 s ahead is the most a client's clock may be fast (a little less here, for the time the request takes).
      expect(await attempt(9_000)).toMatchObject({ ok: true });
    });

    it('refuses joining twice, a member id in use, and sending to a room not joined', async () => {
      const room = await createRoom(server.url);
      const a = client();
      const b = client();
      const { member_id } = await join(a, room);
      const again = await ask(a, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: room.roomId,
        member_id: newId(),
        proof: room.proof('join'),
        profile: sealed(),
      });
      expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_IN_ROOM' } });
      await connected(b);
      const taken = await ask(b, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: room.roomId,
        member_id,
        proof: room.proof('join'),
        profile: sealed(),
      });
      expect(taken).toMatchObject({ ok: false, error: { code: 'MEMBER_ID_TAKEN' } });
      const outsider = await sendMessage(b, room.roomId);
      expect(outsider).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    });
  });

  describe('messages', () => {
    it('delivers each message to every other member once, in order, and not to the sender', async () => {
      const room = await createRoom(server.url);
      const [a, b, c] = [client(), client(), client()];
      await join(a, room);
      await join(b, room);
      await join(c, room);
      const atA = collect(a, 'message:new');
      const atB = collect(b, 'message:new');
      const atC = collect(c, 'message:new');
      const acks = [];
      for (let i = 0; i < 30; i++) acks.push(await sendMessage(a, room.roomId));
      await eventually(() => atB.length >= 30 && atC.length >= 30, 'every message to arrive');
      const seqs = acks.map((r) => (r.ok ? r.seq : -1));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(30);
      expect(atB.map((m) => m.seq)).toEqual(seqs);
      expect(atC.map((m) => m.seq)).toEqual(seqs);
      expect(atA).toEqual([]);
      expect(atB[0]).toMatchObject({ room_id: room.roomId, member_id: expect.any(String), sent_at: expect.any(Number) });
    });

    it('drops a retried id: delivered once, acknowledged twice with the same seq', async () => {
      const room = await createRoom(server.url);
      const [a, b] = [client(), client()];
      await join(a, room);
      await join(b, room);
      const atB = collect(b, 'message:new');
      const id = newId();
      const payload = { room_id: room.roomId, id, ...sealed() };
      const first = await ask(a, 'message:send', payload);
      const retry = await ask(a, 'message:send', payload);
      expect(first).toMatchObject({ ok: true, duplicate: false });
      expect(retry).toEqual({ ...first, duplicate: true });
      await sendMessage(a, room.roomId); // a marker: once it arrives, anything before it has too
      await eventually(() => atB.some((m) => m.id !== id), 'the marker to arrive');
      expect(atB.filter((m) => m.id === id)).toHaveLength(1);
    });

    it('never leaks across rooms', async () => {
      const [r1, r2] = [await createRoom(server.url), await createRoom(server.url)];
      const [a, b, c] = [client(), client(), client()];
      await join(a, r1);
      await join(b, r1);
      await join(c, r2);
      const atB = collect(b, 'message:new');
      const atC = collect(c, 'message:new');
      await sendMessage(a, r1.roomId);
      await eventually(() => atB.length === 1, 'b to get the message of r1');
      await sendMessage(c, r2.roomId); // c's own message does not come back to it either
      const d = client();
      await join(d, r2);
      await sendMessage(d, r2.roomId);
      await eventually(() => atC.length >= 1, 'c to get the message of r2');
      expect(atC.every((m) => m.room_id === r2.roomId)).toBe(true);
      expect(atC).toHaveLength(1);
    });
  });

  describe('files', () => {
    it("announces an uploaded file of the room with the server size and expiry; refuses other rooms' files", async () => {
      const room = await createRoom(server.url);
      const other = await createRoom(server.url);
      const [a, b] = [client(), client()];
      await join(a, room);
      await join(b, room);
      const up = (await upload(server.url, room.roomId, room.proof('upload'), randomBytes(1000))).json();
      const foreign = (await upload(server.url, other.roomId, other.proof('upload'), randomBytes(10))).json();
      const heard = next(b, 'file:new');
      const ack = await ask(a, 'file:share', { room_id: room.roomId, file_id: up.file_id, ...sealed() });
      expect(ack).toMatchObject({ ok: true, id: up.file_id, duplicate: false });
      expect(await heard).toMatchObject({ room_id: room.roomId, file_id: up.file_id, size: 1000, expires_at: up.expires_at });
      const again = await ask(a, 'file:share', { room_id: room.roomId, file_id: up.file_id, ...sealed() });
      expect(again).toMatchObject({ ok: true, duplicate: true });
      const wrong = await ask(a, 'file:share', { room_id: room.roomId, file_id: foreign.file_id, ...sealed() });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
      const missing = await ask(a, 'file:share', { room_id: room.roomId, file_id: newId(), ...sealed() });
      expect(missing).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    });
  });

  describe('presence', () => {
    it('is exact after leave and after disconnect', async () => {
      const room = await createRoom(server.url);
      const [a, b, c] = [client(), client(), client()];
      const { member_id: aId } = await join(a, room);
      const { member_id: bId } = await join(b, room);
      const { member_id: cId } = await join(c, room);

      const leftB = next(a, 'member:left', (m) => m.member_id === bId);
      expect(await ask(b, 'room:leave', { room_id: room.roomId })).toEqual({ ok: true });
      expect(await leftB).toEqual({ room_id: room.roomId, member_id: bId, reason: 'left' });

      const leftC = next(a, 'member:left', (m) => m.member_id === cId);
      c.disconnect();
      expect(await leftC).toEqual({ room_id: room.roomId, member_id: cId, reason: 'disconnected' });

      const d = client();
      const joined = await join(d, room);
      expect(joined.members.map((m) => m.member_id)).toEqual([aId]);
      // b left: it can no longer send there.
      expect(await sendMessage(b, room.roomId)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    });
  });

  describe('room:closed', () => {
    it('tells every member when the room is deleted, and removes them from it', async () => {
      const room = await createRoom(server.url);
      const [a, b] = [client(), client()];
      await join(a, room);
      await join(b, room);
      const closedA = next(a, 'room:closed');
      const closedB = next(b, 'room:closed');
      const res = await request(server.url).delete(`/rooms/${room.roomId}`).set('x-owner-signature', room.ownerSignature());
      expect(res.status).toBe(204);
      expect(await closedA).toEqual({ room_id: room.roomId, reason: 'deleted' });
      expect(await closedB).toEqual({ room_id: room.roomId, reason: 'deleted' });
      expect(await sendMessage(a, room.roomId)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    });
  });
});

describe('recovery and backlog', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { MESSAGE_BACKLOG: '3' } });
  });
  afterAll(() => server.close());
  afterEach(() => {
    expect(contractViolations.splice(0)).toEqual([]);
  });

  it('restores a short disconnect with every message missed meanwhile, none lost or doubled', async () => {
    const room: TestRoom = await createRoom(server.url);
    const a = connect(server.url);
    // b reconnects when the test says so, so that the messages below are surely sent while it is away.
    const b = connect(server.url, { reconnection: false });
    try {
      await join(a, room);
      const { member_id: bId } = await join(b, room);
      const atB = collect(b, 'message:new');
      const leftAtB = collect(b, 'member:left');
      const joinedAtB = collect(b, 'member:joined');
      const sent: number[] = [];
      for (let i = 0; i < 3; i++) sent.push(((await sendMessage(a, room.roomId)) as { seq: number }).seq);
      await eventually(() => atB.length === 3, 'the first messages to arrive');

      // Cut b's transport (as a network drop would); the others see it leave at once.
      const leftB = next(a, 'member:left', (m) => m.member_id === bId);
      (b.io.engine as unknown as { close(): void }).close();
      expect(await leftB).toMatchObject({ reason: 'disconnected' });
      for (let i = 0; i < 3; i++) sent.push(((await sendMessage(a, room.roomId)) as { seq: number }).seq);

      const back = next(a, 'member:joined', (m) => m.member_id === bId);
      b.connect();
      await connected(b);
      expect(b.recovered).toBe(true);
      await back; // present again
      await sendMessage(a, room.roomId).then((r) => sent.push((r as { seq: number }).seq));
      await eventually(() => atB.length >= sent.length, 'the missed and new messages to arrive');
      expect(atB.map((m) => m.seq)).toEqual(sent);
      // And b can still send: its membership survived. It was never told about its own departure.
      expect(await sendMessage(b, room.roomId)).toMatchObject({ ok: true });
      expect([...leftAtB, ...joinedAtB].filter((m) => m.member_id === bId)).toEqual([]);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });

  it('finding 4: a connection recovered after its room was deleted and re-created under the same id is not a member of the new room', async () => {
    const roomId = `reborn-${randomBytes(6).toString('base64url')}`;
    const old = await createRoom(server.url, { room_id: roomId });
    const a = connect(server.url);
    // b is the former member: it recovers when the test says so.
    const b = connect(server.url, { reconnection: false });
    const c = connect(server.url);
    try {
      await join(a, old);
      const { member_id: bId } = await join(b, old);
      const atB = collect(b, 'message:new');
      const closedAtB = collect(b, 'room:closed');
      await sendMessage(a, roomId); // b has received an event: its session can be recovered
      await eventually(() => atB.length === 1, 'the first message');
      (b.io.engine as unknown as { close(): void }).close();
      await eventually(async () => b.disconnected, 'b to be cut off');

      // Meanwhile the owner deletes the room, and someone else creates a new room with the same id.
      expect((await request(server.url).delete(`/rooms/${roomId}`).set('x-owner-signature', old.ownerSignature())).status).toBe(204);
      const reborn = await createRoom(server.url, { room_id: roomId });
      const joinedAtC = collect(c, 'member:joined');
      await join(c, reborn);
      const beforeB = (await sendMessage(c, roomId)) as { seq: number };
      expect(beforeB).toMatchObject({ ok: true });

      b.connect();
      await connected(b);
      expect(b.recovered).toBe(true); // Socket.IO did restore the session...
      // ...but not into the new room: b hears that its room closed, and nothing of the new one.
      await eventually(() => closedAtB.length >= 1, 'room:closed at b');
      expect(closedAtB[0]).toEqual({ room_id: roomId, reason: 'deleted' });
      expect(await sendMessage(b, roomId)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      await sendMessage(c, roomId);
      await new Promise((resolve) => setTimeout(resolve, 300)); // what b should not get would have arrived by now
      expect(atB).toHaveLength(1); // only the old room's message, before the cut
      expect(joinedAtC.filter((m) => m.member_id === bId)).toEqual([]);
      const late = connect(server.url);
      try {
        const { members } = await join(late, reborn);
        expect(members.map((m) => m.member_id)).not.toContain(bId);
      } finally {
        late.disconnect();
      }
    } finally {
      a.disconnect();
      b.disconnect();
      c.disconnect();
    }
  });

  it('keeps the last MESSAGE_BACKLOG events for late joiners', async () => {
    const room = await createRoom(server.url);
    const a = connect(server.url);
    const late = connect(server.url);
    try {
      await join(a, room);
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) seqs.push(((await sendMessage(a, room.roomId)) as { seq: number }).seq);
      const joined = await join(late, room);
      expect(joined.backlog.map((e) => (e.event === 'message:new' ? e.data.seq : -1))).toEqual(seqs.slice(-3));
    } finally {
      a.disconnect();
      late.disconnect();
    }
  });
});
