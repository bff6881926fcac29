/**
 * The Socket.IO channel as a client in another language sees it: Engine.IO and Socket.IO packets read and
 * written by hand over a plain websocket, following asyncapi.yaml and PROTOCOL.md, with no Socket.IO library.
 * It pins what the document says about the arguments on the wire: one payload object per client event, and on
 * every server broadcast, while connection-state recovery is on, a second argument, the recovery offset, which
 * a raw client can send back (with the session's `pid`) to recover what it missed.
 */
import WebSocket from 'ws';
import { createRoom, type TestRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { connect, connected, join as joinWithLibrary, newId, request, sealed, type ClientSocket } from '../support/sockets';

/** One packet as it arrives: Engine.IO type, then for messages (4) the Socket.IO type, ack id and JSON data. */
interface Packet {
  raw: string;
  /** Socket.IO packet type: 0 CONNECT, 2 EVENT, 3 ACK. */
  type: number;
  ackId?: number;
  data: unknown;
}

/** A Socket.IO v4 client written from the protocol description: nothing but a websocket and string handling. */
class RawSocketIo {
  private readonly ws: WebSocket;
  private readonly queue: Packet[] = [];
  private readonly waiters: Array<() => void> = [];
  private nextAck = 0;

  constructor(baseUrl: string) {
    this.ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    this.ws.on('message', (buffer) => {
      const raw = buffer.toString();
      if (raw === '2') return this.ws.send('3'); // Engine.IO ping: answer pong
      if (!raw.startsWith('4')) return; // the Engine.IO open packet (0{...}) and others
      // 4 = Engine.IO message; then Socket.IO: <type>[ack id]<JSON> (default namespace: no "/nsp,")
      const match = /^4(\d)(\d*)(.*)$/s.exec(raw);
      if (!match) throw new Error(`unexpected packet ${raw}`);
      this.queue.push({
        raw,
        type: Number(match[1]),
        ackId: match[2] ? Number(match[2]) : undefined,
        data: match[3] ? JSON.parse(match[3]) : undefined,
      });
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  /** Sends Socket.IO CONNECT (`40`, with an auth object when recovering); resolves with the server's CONNECT data. */
  async open(auth?: { pid: string; offset: string }): Promise<{ sid: string; pid?: string }> {
    await new Promise<void>((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.send(auth ? `40${JSON.stringify(auth)}` : '40');
    return (await this.take((p) => p.type === 0)).data as { sid: string; pid?: string };
  }

  /** Emits an event with an ack id and resolves with the ack's arguments. */
  async emit(event: string, payload: unknown): Promise<unknown[]> {
    const id = this.nextAck++;
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    return (await this.take((p) => p.type === 3 && p.ackId === id)).data as unknown[];
  }

  /** The next EVENT packet named `event`, with all of its arguments. */
  async event(event: string): Promise<Packet & { data: unknown[] }> {
    return (await this.take((p) => p.type === 2 && (p.data as unknown[])[0] === event)) as Packet & { data: unknown[] };
  }

  close(): void {
    this.ws.terminate();
  }

  private async take(match: (p: Packet) => boolean): Promise<Packet> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const index = this.queue.findIndex(match);
      if (index >= 0) return this.queue.splice(index, 1)[0];
      if (Date.now() > deadline) throw new Error(`no matching packet; received: ${this.queue.map((p) => p.raw).join(' | ')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

function joinPayload(room: TestRoom) {
  return { protocol: 'sealroom/v2' as const, room_id: room.roomId, member_id: newId(), proof: room.proof('join'), profile: sealed() };
}

describe.each([
  ['recovery on (the default)', {}, true],
  ['recovery off (SOCKET_RECOVERY_WINDOW=0)', { SOCKET_RECOVERY_WINDOW: '0' }, false],
])('the wire, with %s', (_label, env, recovery) => {
  let server: TestServer;
  let room: TestRoom;
  let raw: RawSocketIo;
  let sender: ClientSocket;

  beforeAll(async () => {
    server = await startServer({ db: 'sqlite', env });
    room = await createRoom(server.url);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    raw = new RawSocketIo(server.url);
    sender = connect(server.url);
    await connected(sender);
  });
  afterEach(() => {
    raw.close();
    sender.disconnect();
  });

  it(`the CONNECT answer ${recovery ? 'carries a' : 'has no'} private session id; a client event's ack is one object`, async () => {
    const opened = await raw.open();
    expect(opened.sid).toEqual(expect.any(String));
    expect('pid' in opened).toBe(recovery);
    const ack = await raw.emit('room:join', joinPayload(room));
    expect(ack).toHaveLength(1);
    expect(ack[0]).toMatchObject({ ok: true, room_id: room.roomId });
  });

  it(`a broadcast carries the payload ${recovery ? 'and then the recovery offset, a string' : 'alone'}`, async () => {
    await raw.open();
    await raw.emit('room:join', joinPayload(room));
    await joinWithLibrary(sender, room);
    const joined = await raw.event('member:joined');
    const id = newId();
    await request(sender, 'message:send', { room_id: room.roomId, id, ...sealed() });
    const message = await raw.event('message:new');

    for (const packet of [joined, message]) {
      expect(packet.data).toHaveLength(recovery ? 3 : 2);
      expect(packet.data[1]).toEqual(expect.objectContaining({ room_id: room.roomId }));
      if (recovery) expect(packet.data[2]).toEqual(expect.stringMatching(/^[0-9a-z]+$/));
    }
    expect(message.data[1]).toMatchObject({ id, seq: expect.any(Number) });
    expect(message.raw).toMatch(recovery ? /^42\["message:new",\{.*\},"[0-9a-z]+"\]$/ : /^42\["message:new",\{.*\}\]$/);
  });

  it('member:typing is volatile: the payload alone, never a recovery offset', async () => {
    await raw.open();
    await raw.emit('room:join', joinPayload(room));
    await joinWithLibrary(sender, room);
    await raw.event('member:joined');
    await request(sender, 'room:typing', { room_id: room.roomId });
    const typing = await raw.event('member:typing');
    expect(typing.data).toHaveLength(2);
    expect(typing.data[1]).toEqual({ room_id: room.roomId, member_id: expect.any(String) });
  });

  // Only meaningful with recovery on: without it there is no pid or offset to send back.
  if (recovery)
    it('a raw client that sends back pid and the last offset gets what it missed, and is still in the room', async () => {
      const { pid } = await raw.open();
      await raw.emit('room:join', joinPayload(room));
      await joinWithLibrary(sender, room);
      const [, , offset] = (await raw.event('member:joined')).data as [string, unknown, string];
      raw.close();

      const missed = newId();
      await request(sender, 'message:send', { room_id: room.roomId, id: missed, ...sealed() });
      const back = new RawSocketIo(server.url);
      try {
        const reopened = await back.open({ pid: pid as string, offset });
        expect(reopened.pid).toBe(pid);
        const replayed = await back.event('message:new');
        expect(replayed.data[1]).toMatchObject({ id: missed });
        // Recovered: still a member, so it can send without joining again.
        const ack = await back.emit('message:send', { room_id: room.roomId, id: newId(), ...sealed() });
        expect(ack[0]).toMatchObject({ ok: true });
      } finally {
        back.close();
      }
    });
});
