/**
 * Reconnects: the server drops a member's connection mid-conversation, and afterwards every message sent by
 * either side has arrived exactly once, in order, and every send() resolved.
 */
import { SealroomClient, type RoomMessage } from '../../sdk/src/node.js';
import { startServer, type TestServer } from '../support/server';
import { FAST_REALTIME, record, until } from './support/room-events';
import { roomOfTwo, serverSocketOf } from './support/rooms';

const clients: SealroomClient[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

function client(server: TestServer): SealroomClient {
  const c = new SealroomClient({ baseUrl: server.url, realtime: FAST_REALTIME });
  clients.push(c);
  return c;
}

const pair = (server: TestServer) => roomOfTwo(() => client(server));

const texts = (messages: RoomMessage[]) => messages.map((m) => m.text);
const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix} ${from + i}`);

describe.each([
  ['with session recovery', { SOCKET_RECOVERY_WINDOW: '120' }],
  ['without session recovery, with a backlog', { SOCKET_RECOVERY_WINDOW: '0', MESSAGE_BACKLOG: '50' }],
])('reconnecting %s', (_label, env) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db: 'sqlite', env });
  });
  afterAll(() => server.close());

  it('loses and doubles nothing when the connection drops mid-conversation', async () => {
    const { alice, bob } = await pair(server);
    const atBob = record(bob, 'message');
    const atAlice = record(alice, 'message');
    const reconnects = record(alice, 'reconnect');
    const disconnects = record(alice, 'disconnect');

    const before = await Promise.all(range('alice', 0, 10).map((t) => alice.send(t)));
    await until(() => atBob.length === 10, 'the first messages');
    serverSocketOf(server, alice).conn.close(); // the network drops Alice's connection
    // Alice keeps typing while she is away; Bob keeps talking to her.
    const during = Promise.all(range('alice', 10, 20).map((t) => alice.send(t)));
    const fromBob = await Promise.all(range('bob', 0, 10).map((t) => bob.send(t)));
    const after = await during;
    await until(() => reconnects.length === 1, 'the reconnect');
    const later = await Promise.all(range('alice', 20, 25).map((t) => alice.send(t)));

    await until(() => atBob.length >= 25 && atAlice.length >= 10, 'every message');
    await new Promise((r) => setTimeout(r, 200)); // a duplicate would arrive by now
    expect(texts(atBob)).toEqual(range('alice', 0, 25));
    expect(texts(atAlice)).toEqual(range('bob', 0, 10));
    expect(new Set([...before, ...after, ...later].map((m) => m.seq)).size).toBe(25);
    expect(atAlice.map((m) => m.id)).toEqual(fromBob.map((m) => m.id));
    expect(disconnects.length).toBe(1);
    expect(reconnects[0].recovered).toBe(env.SOCKET_RECOVERY_WINDOW !== '0');
    expect(alice.state).toBe('joined');
    expect(bob.members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
  });

  it('resends a message whose acknowledgement was lost, and the others see it once', async () => {
    const { alice, bob } = await pair(server);
    const atBob = record(bob, 'message');
    // The server handles Alice's next message, relays it, and then the connection dies before the ack.
    const socket = serverSocketOf(server, alice);
    let dropped = false;
    socket.use((packet, next) => {
      if (packet[0] === 'message:send' && !dropped) {
        dropped = true;
        packet[packet.length - 1] = () => socket.conn.close();
      }
      next();
    });
    const sent = await alice.send('only once');
    await until(() => atBob.length >= 1, 'the message');
    const second = await alice.send('and then this');
    await until(() => atBob.length >= 2, 'the second message');
    await new Promise((r) => setTimeout(r, 200));
    expect(dropped).toBe(true);
    expect(texts(atBob)).toEqual(['only once', 'and then this']);
    expect(second.seq).toBe(sent.seq + 1);
  });

  it('joins again when the server disconnects the socket on purpose', async () => {
    const { alice, bob } = await pair(server);
    const atBob = record(bob, 'message');
    const reconnects = record(alice, 'reconnect');
    const memberEvents = record(bob, 'member');
    serverSocketOf(server, alice).disconnect(true);
    const sent = await Promise.all(range('queued', 0, 5).map((t) => alice.send(t)));
    await until(() => reconnects.length === 1 && atBob.length === 5, 'the rejoin and the queued messages');
    expect(reconnects[0].recovered).toBe(false); // a deliberate disconnect ends the session
    expect(texts(atBob)).toEqual(range('queued', 0, 5));
    expect(sent.map((m) => m.from.id)).toEqual(Array(5).fill(alice.memberId)); // the same member id as before
    expect(memberEvents.map((e) => e.type)).toEqual(['left', 'joined']);
  });
});
