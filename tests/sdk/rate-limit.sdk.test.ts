/**
 * The SDK under the server's per-connection send limit (SOCKET_SENDS_PER_SECOND): sends the server refuses with
 * RATE_LIMITED are sent again after the wait it names, every send resolves, and the others see each message once,
 * in the order it was sent, also when a message is sent while an earlier one waits.
 */
import type { ErrorAck, SendAck } from '@sealroom/contracts';
import { SealroomClient, type Room, type RoomMessage } from '../../sdk/src/node.js';
import { startServer, type TestServer } from '../support/server';
import { FAST_REALTIME, record, until } from './support/room-events';
import { roomOfTwo, serverSocketOf as socketOf } from './support/rooms';

const LIMIT = 5;
let server: TestServer;
const clients: SealroomClient[] = [];
beforeAll(async () => {
  server = await startServer({ db: 'sqlite', env: { SOCKET_SENDS_PER_SECOND: String(LIMIT) } });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

const pair = () =>
  roomOfTwo(() => {
    const c = new SealroomClient({ baseUrl: server.url, realtime: FAST_REALTIME });
    clients.push(c);
    return c;
  });

const texts = (messages: RoomMessage[]) => messages.map((m) => m.text);
const range = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

const serverSocketOf = (room: Room<unknown>) => socketOf(server, room);

/** What the server answers a `message:send` with (the contract's types). */
type SendReply = SendAck | ErrorAck;

/** Records the acks the server sends for a member's `message:send`. */
function acksOf(room: Room<unknown>): SendReply[] {
  const acks: SendReply[] = [];
  const socket = serverSocketOf(room);
  socket.use((packet, next) => {
    const ack = packet[packet.length - 1] as unknown;
    if (packet[0] === 'message:send' && typeof ack === 'function') {
      packet[packet.length - 1] = (reply: SendReply) => {
        acks.push(reply);
        (ack as (r: SendReply) => void)(reply);
      };
    }
    next();
  });
  return acks;
}

it('sends a burst over the limit in full and in order, the refused part after the wait', async () => {
  const { alice, bob } = await pair();
  const atBob = record(bob, 'message');
  const acks = acksOf(alice);
  const burst = range(3 * LIMIT); // the limit allows two seconds' worth at once
  const sent = await Promise.all(burst.map((t) => alice.send(t)));
  await until(() => atBob.length >= burst.length, 'every message');
  await new Promise((r) => setTimeout(r, 200)); // a duplicate would arrive by now
  expect(acks.flatMap((a) => (a.ok ? [] : [a.error.code]))).toContain('RATE_LIMITED');
  expect(texts(atBob)).toEqual(burst);
  expect(sent.map((m) => m.seq)).toEqual([...sent.map((m) => m.seq)].sort((x, y) => x - y));
});

it('keeps a refused message ahead of one sent while it waits', async () => {
  // The race this reproduces: the limiter refuses a message just before its window turns, and the next one,
  // sent while the first waits for its retry, is accepted. Here the server refuses the first message the way
  // the limiter does and takes everything after it, so the race happens every time.
  const { alice, bob } = await pair();
  const atBob = record(bob, 'message');
  let refused = false;
  serverSocketOf(alice).use((packet, next) => {
    const ack = packet[packet.length - 1] as unknown;
    if (packet[0] !== 'message:send' || refused || typeof ack !== 'function') return next();
    refused = true;
    (ack as (r: SendReply) => void)({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many messages', retry_after: 1 } });
  });
  const atAlice = record(alice, 'message');
  const first = alice.send('first');
  await until(() => refused, 'the refusal');
  // Alice's connection delivers in order: once Bob's next message reaches her, so has the refusal.
  await bob.send('ping');
  await until(() => atAlice.length === 1, "Bob's message");
  const second = alice.send('second');
  await Promise.all([first, second]);
  await until(() => atBob.length >= 2, 'both messages');
  expect(texts(atBob)).toEqual(['first', 'second']);
});
