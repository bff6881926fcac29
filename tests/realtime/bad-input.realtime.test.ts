import { RealtimeContract } from '../../src/realtime/contract';
import { createRoom, type TestRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { eventually } from '../support/storage';
import {
  b64,
  connect,
  connected,
  contractViolations,
  join,
  newId,
  request as ask,
  sealed,
  sendMessage,
  type ClientSocket,
} from '../support/sockets';

type RawEmit = (event: string, ...args: unknown[]) => void;
const errorAck = new RealtimeContract().schema('ErrorAck');
/** Emits anything at all, bypassing the typed client API, and resolves with the ack (or null if none came). */
function rawAsk(socket: ClientSocket, event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 1_000);
    (socket.emit as unknown as RawEmit)(event, ...args, (reply: unknown) => {
      clearTimeout(timer);
      if (!errorAck(reply)) contractViolations.push(`${event} ack does not match ErrorAck: ${JSON.stringify(reply)}`);
      resolve(reply);
    });
  });
}

describe('bad input on the chat channel: each gets its code, nothing crashes, others carry on', () => {
  let server: TestServer;
  let room: TestRoom;
  let socket: ClientSocket;

  beforeAll(async () => {
    server = await startServer({ env: { SOCKET_MAX_PAYLOAD: String(128 * 1024) } });
    room = await createRoom(server.url);
    socket = connect(server.url);
    await join(socket, room);
  });
  afterAll(async () => {
    socket.disconnect();
    await server.close();
  });
  afterEach(() => {
    expect(contractViolations.splice(0)).toEqual([]);
  });

  const valid = () => ({ room_id: room.roomId, id: newId(), ...sealed() });
  const table: Array<[string, string, unknown[], string]> = [
    ['a string payload', 'message:send', ['hello'], 'INVALID_PAYLOAD'],
    ['a number payload', 'message:send', [42], 'INVALID_PAYLOAD'],
    ['a null payload', 'message:send', [null], 'INVALID_PAYLOAD'],
    ['an array payload', 'message:send', [[1, 2]], 'INVALID_PAYLOAD'],
    ['no payload', 'room:leave', [], 'INVALID_PAYLOAD'],
    ['two payloads', 'message:send', [{}, {}], 'INVALID_PAYLOAD'],
    ['a missing field', 'message:send', [{ room_id: 'abcdefgh', id: newId(), iv: b64(12) }], 'INVALID_PAYLOAD'],
    ['an unknown field', 'message:send', [{ ...{ room_id: 'abcdefgh', id: newId(), ...sealed() }, member_id: newId() }], 'INVALID_PAYLOAD'],
    ['a path as a room id', 'room:leave', [{ room_id: '../../etc' }], 'INVALID_PAYLOAD'],
    ['a number as a room id', 'room:leave', [{ room_id: 12345678 }], 'INVALID_PAYLOAD'],
    ['an iv of the wrong size', 'message:send', [{ room_id: 'abcdefgh', id: newId(), iv: b64(16), ct: b64(300) }], 'INVALID_PAYLOAD'],
    [
      'a ciphertext that is not base64url',
      'message:send',
      [{ room_id: 'abcdefgh', id: newId(), iv: b64(12), ct: '<script>'.repeat(10) }],
      'INVALID_PAYLOAD',
    ],
    [
      'an oversized ciphertext',
      'message:send',
      [{ room_id: 'abcdefgh', id: newId(), iv: b64(12), ct: 'A'.repeat(90_000) }],
      'PAYLOAD_TOO_LARGE',
    ],
    ['a binary attachment', 'message:send', [{ room_id: 'abcdefgh', id: newId(), iv: b64(12), ct: Buffer.alloc(300) }], 'INVALID_PAYLOAD'],
    [
      'a malformed proof',
      'room:join',
      [{ protocol: 'sealroom/v2', room_id: 'abcdefgh', member_id: newId(), proof: 'not-a-proof', profile: sealed() }],
      'INVALID_PAYLOAD',
    ],
    ['a typing event with content', 'room:typing', [{ room_id: 'abcdefgh', text: 'hel' }], 'INVALID_PAYLOAD'],
    ['a typing event without a room', 'room:typing', [{}], 'INVALID_PAYLOAD'],
    ['a typing event for a room not joined', 'room:typing', [{ room_id: 'abcdefgh' }], 'NOT_IN_ROOM'],
    [
      'a v1 join (no protocol field): UNSUPPORTED_VERSION',
      'room:join',
      [{ room_id: 'abcdefgh', member_id: newId(), proof: `1764172800.${'A'.repeat(43)}`, profile: sealed() }],
      'UNSUPPORTED_VERSION',
    ],
    [
      'a join for another version, checked before the rest',
      'room:join',
      [{ protocol: 'sealroom/v1', room_id: '../x' }],
      'UNSUPPORTED_VERSION',
    ],
    ['a join whose protocol is not a string', 'room:join', [{ protocol: 2 }], 'UNSUPPORTED_VERSION'],
    ['an unknown event', 'room:destroy', [{ room_id: 'abcdefgh' }], 'UNKNOWN_EVENT'],
    ['a server event sent by a client', 'message:new', [{}], 'UNKNOWN_EVENT'],
  ];

  it.each(table)('refuses %s', async (_what, event, args, code) => {
    const reply = await rawAsk(socket, event, ...args);
    expect(reply).toEqual({ ok: false, error: { code, message: expect.any(String) } });
  });

  it('drops events that carry no acknowledgement callback, and stays responsive', async () => {
    (socket.emit as unknown as RawEmit)('message:send', valid());
    (socket.emit as unknown as RawEmit)('message:send', valid(), 'not a function');
    (socket.emit as unknown as RawEmit)('room:leave');
    expect(await sendMessage(socket, room.roomId)).toMatchObject({ ok: true });
  });

  it('closes a connection that sends a packet over the size cap, without disturbing others', async () => {
    const big = connect(server.url, { reconnection: false });
    await connected(big);
    const closed = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    (big.emit as unknown as RawEmit)(
      'message:send',
      { room_id: room.roomId, id: newId(), iv: b64(12), ct: 'A'.repeat(200 * 1024) },
      () => undefined,
    );
    expect(await closed).toBe('transport close');
    expect(await sendMessage(socket, room.roomId)).toMatchObject({ ok: true });
  });
});

describe('limits on the chat channel', () => {
  it('rate-limits sends per connection, with retry_after', async () => {
    const server = await startServer({ env: { SOCKET_SENDS_PER_SECOND: '2' } });
    const s = connect(server.url);
    const other = connect(server.url);
    try {
      const room = await createRoom(server.url);
      await join(s, room);
      const replies = [];
      for (let i = 0; i < 6; i++) replies.push(await sendMessage(s, room.roomId));
      const refused = replies.filter((r) => !r.ok);
      expect(replies.filter((r) => r.ok)).toHaveLength(4); // a burst of twice the rate
      expect(refused[0]).toEqual({
        ok: false,
        error: { code: 'RATE_LIMITED', message: expect.any(String), retry_after: expect.any(Number) },
      });
      // Another connection in the same room is not held back by this one's bucket.
      await join(other, room);
      expect(await sendMessage(other, room.roomId)).toMatchObject({ ok: true });
    } finally {
      s.disconnect();
      other.disconnect();
      await server.close();
    }
  });

  it('rate-limits sends and joins per IP, over all of its connections', async () => {
    const server = await startServer({ env: { SOCKET_IP_SENDS_PER_SECOND: '2', SOCKET_IP_JOINS_PER_MINUTE: '2' } });
    const sockets = [connect(server.url), connect(server.url), connect(server.url)];
    try {
      const room = await createRoom(server.url);
      const [a, b, c] = sockets;
      await join(a, room);
      await join(b, room);
      await connected(c);
      const third = await ask(c, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: room.roomId,
        member_id: newId(),
        proof: room.proof('join'),
        profile: sealed(),
      });
      expect(third).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retry_after: expect.any(Number) } });

      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await sendMessage(a, room.roomId), await sendMessage(b, room.roomId));
      // Four points (two seconds' worth) for the address, shared by both connections.
      expect(replies.map((r) => r.ok)).toEqual([true, true, true, true, false, false]);
    } finally {
      sockets.forEach((s) => s.disconnect());
      await server.close();
    }
  });

  it('rate-limits joins, caps rooms per connection and members per room', async () => {
    const server = await startServer({ env: { SOCKET_MAX_ROOMS: '2', ROOM_MAX_MEMBERS: '2', SOCKET_JOINS_PER_MINUTE: '3' } });
    const sockets = [connect(server.url), connect(server.url), connect(server.url)];
    try {
      const rooms = await Promise.all([1, 2, 3].map(() => createRoom(server.url)));
      const [a, b, c] = sockets;
      await join(a, rooms[0]);
      await join(a, rooms[1]);
      const third = await ask(a, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: rooms[2].roomId,
        member_id: newId(),
        proof: rooms[2].proof('join'),
        profile: sealed(),
      });
      expect(third).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ROOMS' } });

      await join(b, rooms[0]);
      await connected(c);
      const full = await ask(c, 'room:join', {
        protocol: 'sealroom/v2',
        room_id: rooms[0].roomId,
        member_id: newId(),
        proof: rooms[0].proof('join'),
        profile: sealed(),
      });
      expect(full).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });

      const attempts = [];
      for (let i = 0; i < 4; i++)
        attempts.push(
          await ask(c, 'room:join', {
            protocol: 'sealroom/v2',
            room_id: 'no-such-room',
            member_id: newId(),
            proof: rooms[0].proof('join'),
            profile: sealed(),
          }),
        );
      expect(attempts.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'ROOM_NOT_FOUND',
        'ROOM_NOT_FOUND',
        'RATE_LIMITED',
        'RATE_LIMITED',
      ]);
    } finally {
      sockets.forEach((s) => s.disconnect());
      await server.close();
    }
  });

  it('refuses connections beyond SOCKET_MAX_PER_IP at the handshake', async () => {
    const server = await startServer({ env: { SOCKET_MAX_PER_IP: '2' } });
    const sockets = [connect(server.url), connect(server.url)];
    try {
      await Promise.all(sockets.map(connected));
      const third = connect(server.url, { reconnection: false });
      sockets.push(third);
      const error = await connected(third).then(
        () => null,
        (e: Error & { data?: { code: string } }) => e,
      );
      expect(error?.message).toBe('TOO_MANY_CONNECTIONS');
      // A slot frees when a connection closes.
      sockets[0].disconnect();
      const fourth = connect(server.url, { reconnection: false });
      sockets.push(fourth);
      await eventually(
        async () =>
          (await connected(fourth).then(
            () => true,
            () => false,
          )) || fourth.connected,
        'a slot to free up',
      );
      expect(fourth.connected).toBe(true);
    } finally {
      sockets.forEach((s) => s.disconnect());
      await server.close();
    }
  });
});
