import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { CLIENT_EVENT_SCHEMAS, type ClientEventName } from '@sealroom/contracts';
import { RealtimeContract } from '../../src/realtime/contract';
import { makeProof, verifyProof } from '../../src/services/proof';
import { send, upload } from '../support/multipart';
import { createRoom, type TestRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import {
  b64,
  collect,
  connect,
  connected,
  contractViolations,
  join,
  newId,
  next,
  sealed,
  sendMessage,
  type ClientSocket,
} from '../support/sockets';

/**
 * Property-based fuzzing of the Socket.IO channel from asyncapi.yaml, over real sockets against a real server:
 * events valid, near-valid (one field off) and hostile (wrong types, oversized strings, binary attachments,
 * unknown and server-only events, missing or non-function acks, deep nesting, huge arrays), sent through
 * socket.io-client and, below it, as raw Socket.IO protocol frames. Asserted for every one: an ack, when the
 * client asked for one, that matches the event's reply schema, with a contract code and never INTERNAL; a
 * payload that breaks the schema is never accepted; the connection survives unless the packet was over the size
 * cap; every server event anyone receives matches its schema; no unhandled rejection; and after each event the
 * server is healthy and two real members still chat. FUZZ_RUNS scales the count; FUZZ_SEED replays a run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_PAYLOAD = 128 * 1024; // the default SOCKET_MAX_PAYLOAD, above the largest valid message
const ACK_WAIT_MS = 5_000;
/** Jest's per-test limit, scaled with the number of runs (raw frames often cost a reconnection each). */
const TEST_TIMEOUT_MS = 30_000 + RUNS * 150;

const contract = new RealtimeContract();
const CLIENT_EVENTS = Object.keys(CLIENT_EVENT_SCHEMAS) as ClientEventName[];
const SERVER_EVENTS = ['member:joined', 'member:left', 'message:new', 'file:new', 'room:closed', 'member:typing'];
/** Names socket.io-client refuses to emit; the raw-frame property sends them instead. */
const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];
const ACK_SCHEMAS: Record<ClientEventName, string> = {
  'room:join': 'RoomJoinAck',
  'room:leave': 'OkAck',
  'message:send': 'SendAck',
  'file:share': 'SendAck',
  'room:typing': 'OkAck',
};
const isErrorAck = contract.schema('ErrorAck');

type Payload = unknown;
type AckMode = { kind: 'fn' } | { kind: 'none' } | { kind: 'not-a-function'; value: unknown };
interface FuzzEvent {
  socket: number;
  event: string;
  args: Payload[];
  ack: AckMode;
}

const hostileString = fc.constantFrom(
  '',
  '..',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '\u0000\u0001\u0002',
  '\u202eexe.txt',
  '<script>alert(1)</script>',
  "'; DROP TABLE rooms; --",
  '🙂'.repeat(50),
  'A'.repeat(1_401),
  'A'.repeat(5_501),
  'A'.repeat(87_401),
  'x'.repeat(300_000),
);

/** Deeply nested arrays or objects, built without recursion so that the generator itself cannot overflow. */
const deeplyNested = fc.record({ depth: fc.integer({ min: 10, max: 2_000 }), asArray: fc.boolean() }).map(({ depth, asArray }) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { room_id: value };
  return value;
});
const hugeArray = fc.integer({ min: 1_000, max: 100_000 }).map((n) => Array.from({ length: n }, (_, i) => i));
const binary = fc.integer({ min: 0, max: 200_000 }).map((n) => randomBytes(n));
const anything = fc.anything({ maxDepth: 3, withTypedArray: true, withSparseArray: true, withNullPrototype: true });

/** Approximate bytes the packet takes on the wire: JSON text plus binary attachments. */
function wireSize(value: unknown): number {
  let binaryBytes = 0;
  // `this[key]` is the value before toJSON (Buffer.toJSON would hide that it travels as an attachment).
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (Buffer.isBuffer(raw) || ArrayBuffer.isView(raw)) {
      binaryBytes += (raw as ArrayBufferView).byteLength;
      return null;
    }
    return v;
  });
  return (text?.length ?? 0) + binaryBytes;
}

/**
 * A payload as the server receives it: the JSON encoding drops properties whose value is `undefined` (a payload
 * with binary attachments is refused whatever its shape, so it is left as it is).
 */
function asReceived(value: unknown): unknown {
  let binary = false;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (Buffer.isBuffer(raw) || ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer) binary = true;
    return v;
  });
  return binary ? value : JSON.parse(text ?? 'null');
}

describe(`Socket.IO fuzzing from asyncapi.yaml (seed ${SEED}, ${RUNS} runs per property)`, () => {
  let server: TestServer;
  let rooms: TestRoom[];
  const files: string[] = [];
  let alice: ClientSocket;
  let bob: ClientSocket;
  let aliceMember: string;
  const fuzzers: ClientSocket[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  /** Message ids that bob (in room 0) must receive exactly once, and those he did receive. */
  const expectedByBob = new Set<string>();
  let heardByBob: Array<{ id: string }> = [];
  const usedIds: string[] = [];
  /** The last packet each fuzzer sent, and whether it may cost the connection; disconnects that break this rule. */
  const lastPacket = [0, 1, 2].map(() => ({ what: 'nothing yet', mayCut: false }));
  const badDisconnects: string[] = [];
  /** The rooms each fuzzer is in, as its acks said. */
  const memberOf: Array<Set<string>> = [new Set(), new Set(), new Set()];
  const tally = { events: 0, raw: 0, rawAcks: 0, acks: 0, noAck: 0, cutForSize: 0, cutByRawFrame: 0, codes: {} as Record<string, number> };

  beforeAll(async () => {
    console.log(`socket fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED})`);
    process.on('unhandledRejection', onUnhandled);
    server = await startServer({ env: { SOCKET_MAX_PAYLOAD: String(MAX_PAYLOAD), SOCKET_MAX_ROOMS: '3', ROOM_MAX_MEMBERS: '6' } });
    rooms = [await createRoom(server.url), await createRoom(server.url)];
    for (const room of rooms) files.push((await upload(server.url, room.roomId, room.proof('upload'), randomBytes(2_000))).json().file_id);
    alice = connect(server.url);
    bob = connect(server.url);
    aliceMember = (await join(alice, rooms[0])).member_id;
    await join(bob, rooms[0]);
    heardByBob = collect(bob, 'message:new');
    for (let i = 0; i < 3; i++) {
      fuzzers.push(connect(server.url));
      // A reconnection that Socket.IO could not recover is a new connection, in no room.
      fuzzers[i].on('connect', () => fuzzers[i].recovered || memberOf[i].clear());
      fuzzers[i].on('disconnect', (reason) => {
        if (lastPacket[i].mayCut) tally[lastPacket[i].what === 'a raw frame' ? 'cutByRawFrame' : 'cutForSize']++;
        else if (reason !== 'io client disconnect')
          badDisconnects.push(`fuzzer ${i} lost its connection (${reason}) after ${lastPacket[i].what}`);
      });
      await connected(fuzzers[i]);
    }
    // Two fuzzers start as members (room 0 and room 1), so that valid sends get past the membership check.
    await join(fuzzers[0], rooms[0]);
    await join(fuzzers[1], rooms[1]);
    memberOf[0].add(rooms[0].roomId);
    memberOf[1].add(rooms[1].roomId);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);

    console.log(`socket fuzz: ${JSON.stringify(tally)}`);
    [alice, bob, ...fuzzers].forEach((s) => s.disconnect());
    await server.close();
  });

  /** The server is healthy, and two real members still chat through it. */
  async function stillServing(): Promise<void> {
    expect((await send(server.url, { method: 'GET', path: '/health' })).status).toBe(200);
    const id = newId();
    const heard = next(bob, 'message:new', (m) => m.id === id, 5_000);
    expect(await sendMessage(alice, rooms[0].roomId, id)).toMatchObject({ ok: true, duplicate: false });
    expectedByBob.add(id);
    await heard;
    expect(unhandled).toEqual([]);
    expect(contractViolations.splice(0)).toEqual([]);
    expect(badDisconnects).toEqual([]);
  }

  /** A fuzz socket that went down (for an oversized packet) reconnects by itself; wait for it. */
  async function reconnected(socket: ClientSocket): Promise<void> {
    if (socket.connected) return;
    if (!socket.active) socket.connect();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  }

  // --- arbitraries built from the contract and the live fixtures ---------------------------------------

  const roomIndex = fc.constantFrom(0, 0, 0, 1, 1, 2); // 2: a room that does not exist
  const roomIdOf = (i: number) => (i < 2 ? rooms[i].roomId : 'no-such-room-000');
  /** Sends mostly go to a room the chosen fuzzer is in (resolved when the event is sent): MINE stands for it. */
  const MINE = 'the-senders-room';
  const sendRoom = fc.oneof({ weight: 3, arbitrary: fc.constant(MINE) }, { weight: 1, arbitrary: roomIndex.map(roomIdOf) });
  const proofFor = fc
    .record({
      room: roomIndex,
      purpose: fc.constantFrom('join', 'join', 'join', 'join', 'join', 'upload'),
      skew: fc.constantFrom(0, 0, 0, 0, 0, -121, 125, -10_000),
    })
    .map(({ room, purpose, skew }) =>
      makeProof(rooms[room < 2 ? room : 0].auth, purpose as 'join', roomIdOf(room), Date.now() + skew * 1000),
    );
  const messageId = fc
    .oneof(fc.constant(null), fc.nat({ max: 30 }))
    .map((i) => (i === null || usedIds.length === 0 ? newId() : usedIds[i % usedIds.length]));
  const ciphertext = fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 60_000, max: 66_000 })).map((n) => b64(n));

  const validPayload = (event: string): fc.Arbitrary<Record<string, unknown>> => {
    switch (event) {
      case 'room:join':
        return fc.record({
          protocol: fc.constant('sealroom/v2'),
          room_id: roomIndex.map(roomIdOf),
          member_id: fc.oneof(fc.constant(null), fc.constant('alice')).map((m) => (m === 'alice' ? aliceMember : newId())),
          proof: proofFor,
          profile: fc.integer({ min: 0, max: 900 }).map((n) => sealed(n)),
        });
      case 'room:leave':
        return fc.record({ room_id: roomIndex.map(roomIdOf) });
      case 'message:send':
        return fc.record({ room_id: sendRoom, id: messageId, iv: fc.constant(null).map(() => b64(12)), ct: ciphertext });
      case 'file:share':
        return fc.record({
          room_id: sendRoom,
          file_id: fc.constantFrom(0, 1, 2).map((i) => files[i] ?? newId()),
          iv: fc.constant(null).map(() => b64(12)),
          ct: fc.integer({ min: 0, max: 4_000 }).map((n) => b64(n)),
        });
      default:
        return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    }
  };

  /** One field off: dropped, added, retyped, made hostile or oversized. */
  const nearValid = (event: string) =>
    fc
      .tuple(validPayload(event), fc.nat(), fc.oneof(hostileString, anything, binary, fc.integer(), fc.constant(null)))
      .chain(([payload, which, value]) => {
        const keys = Object.keys(payload);
        const key = keys[which % Math.max(1, keys.length)] ?? 'room_id';
        return fc.constantFrom(
          (() => {
            const p = { ...payload };
            delete p[key];
            return p;
          })(),
          { ...payload, [`x_${key}`]: value },
          { ...payload, [key]: value },
          { ...payload, profile: { iv: b64(12), ct: typeof value === 'string' ? value : b64(10) } },
        );
      });

  const hostilePayload = fc.oneof(
    anything,
    deeplyNested,
    hugeArray,
    binary,
    hostileString,
    fc.record({ room_id: binary, id: binary, iv: binary, ct: binary }),
  );

  const fuzzEvent: fc.Arbitrary<FuzzEvent> = fc
    .record({
      socket: fc.nat({ max: 2 }),
      event: fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom(...CLIENT_EVENTS) },
        { weight: 1, arbitrary: fc.constantFrom(...SERVER_EVENTS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 30 }).filter((e) => !RESERVED.includes(e)) },
        { weight: 1, arbitrary: hostileString.filter((e) => !RESERVED.includes(e) && e.length < 1_000) },
      ),
      ack: fc.oneof(
        { weight: 8, arbitrary: fc.constant<AckMode>({ kind: 'fn' }) },
        { weight: 1, arbitrary: fc.constant<AckMode>({ kind: 'none' }) },
        {
          weight: 1,
          arbitrary: fc
            .oneof(fc.string(), fc.integer(), fc.constant(null), fc.object())
            .map<AckMode>((value) => ({ kind: 'not-a-function', value })),
        },
      ),
      shape: fc.constantFrom('one', 'one', 'one', 'one', 'one', 'one', 'none', 'two', 'extra'),
    })
    .chain(({ socket, event, ack, shape }) => {
      const payload = fc.oneof(
        { weight: 8, arbitrary: validPayload(event) },
        { weight: 3, arbitrary: nearValid(event) },
        { weight: 2, arbitrary: hostilePayload },
      );
      const args: fc.Arbitrary<Payload[]> =
        shape === 'one'
          ? payload.map((p) => [p])
          : shape === 'none'
            ? fc.constant([])
            : shape === 'two'
              ? fc.tuple(payload, payload)
              : fc.tuple(payload, anything, anything);
      return args.map((a) => ({ socket, event, args: a, ack }));
    });

  // --- the properties ------------------------------------------------------------------------------------

  it(
    'socket.io-client events: every ack conforms, bad payloads are refused, nothing breaks',
    async () => {
      await fc.assert(
        fc.asyncProperty(fuzzEvent, async ({ socket: index, event, args, ack }) => {
          const socket = fuzzers[index];
          await reconnected(socket);
          // Keep each fuzzer a member of some room (a setup step, not a fuzzed event), so that sends go deep.
          if (memberOf[index].size === 0) {
            const room = rooms[index % 2];
            await join(socket, room);
            memberOf[index].add(room.roomId);
          }
          const first = args[0] as { room_id?: unknown } | undefined;
          if (first && typeof first === 'object' && first.room_id === MINE) first.room_id = [...memberOf[index]][0] ?? roomIdOf(0);
          tally.events++;
          const oversized = wireSize([event, ...args]) > MAX_PAYLOAD - 1_024;
          // Only a packet over SOCKET_MAX_PAYLOAD may cost the connection (checked by the fuzzer's disconnect
          // listener, however late the server closes it).
          lastPacket[index] = { what: `${event} (${wireSize(args)} bytes)`, mayCut: oversized };
          const emit = socket.emit as unknown as (event: string, ...args: unknown[]) => void;

          if (ack.kind !== 'fn') {
            emit.call(socket, event, ...args, ...(ack.kind === 'not-a-function' ? [ack.value] : []));
            tally.noAck++;
            await stillServing();
            return;
          }

          let settle: (outcome: unknown) => void = () => undefined;
          const outcome = await new Promise<unknown>((resolve) => {
            const timer = setTimeout(() => settle('no ack'), ACK_WAIT_MS);
            const onClose = () => settle('closed');
            settle = (value) => {
              clearTimeout(timer);
              socket.off('disconnect', onClose);
              resolve(value);
            };
            socket.once('disconnect', onClose);
            emit.call(socket, event, ...args, (reply: unknown) => settle(reply));
          });
          if (outcome === 'closed') {
            await stillServing();
            return;
          }
          expect({ event, outcome: outcome === 'no ack' ? 'no ack' : 'ack' }).toEqual({ event, outcome: 'ack' });
          tally.acks++;
          const known = CLIENT_EVENTS.includes(event as ClientEventName);
          const ok = known && contract.schema(ACK_SCHEMAS[event as ClientEventName])(outcome);
          expect({ event, reply: outcome, conforms: ok || isErrorAck(outcome) }).toEqual({ event, reply: outcome, conforms: true });
          const code = ok ? 'ok' : (outcome as { error: { code: string } }).error.code;
          const key = `${known ? event : '(other event)'} ${code}`;
          tally.codes[key] = (tally.codes[key] ?? 0) + 1;
          expect(code).not.toBe('INTERNAL');
          if (!known) expect(code).toBe('UNKNOWN_EVENT');
          else if (args.length !== 1 || contract.checkClientPayload(event as ClientEventName, asReceived(args[0])) !== null) {
            // A join that does not say sealroom/v2 hears that first (when it came with one payload and an ack).
            const otherVersion =
              event === 'room:join' && args.length === 1 && (args[0] as { protocol?: unknown } | null)?.protocol !== 'sealroom/v2';
            expect(otherVersion ? ['UNSUPPORTED_VERSION'] : ['INVALID_PAYLOAD', 'PAYLOAD_TOO_LARGE']).toContain(code);
          }
          const roomId = ok ? (args[0] as { room_id: string }).room_id : '';
          if (ok && event === 'room:join') {
            // Only a fresh join proof made for this very room opens it: never another room's, purpose's or a stale one.
            const room = rooms.find((r) => r.roomId === roomId);
            const { proof } = args[0] as { proof: string };
            expect({ proof, verdict: room ? verifyProof(room.auth, 'join', roomId, proof, Date.now()) : 'no such room' }).toEqual({
              proof,
              verdict: 'valid',
            });
            memberOf[index].add(roomId);
          }
          if (ok && event === 'room:leave') memberOf[index].delete(roomId);
          if (ok && event === 'message:send') {
            const sent = args[0] as { id: string; room_id: string };
            usedIds.push(sent.id);
            const delivered = outcome as { duplicate: boolean };
            // Bob is in room 0 for the whole run: a new message there reaches him exactly once.
            if (sent.room_id === rooms[0].roomId && !delivered.duplicate) expectedByBob.add(sent.id);
          }
          await stillServing();
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      await new Promise((r) => setTimeout(r, 200)); // the last relays in flight
      const counts = new Map<string, number>();
      for (const { id } of heardByBob) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect([...counts].filter(([, n]) => n !== 1)).toEqual([]); // nothing twice
      expect([...expectedByBob].filter((id) => !counts.has(id))).toEqual([]); // nothing lost
      expect([...counts.keys()].filter((id) => !expectedByBob.has(id))).toEqual([]); // nothing invented
    },
    TEST_TIMEOUT_MS,
  );

  /** Raw Socket.IO packets, written below the client library: malformed, reserved names, stray binary. */
  const rawFrame: fc.Arbitrary<string | Buffer> = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .record({
        type: fc.integer({ min: 0, max: 9 }),
        nsp: fc.constantFrom('', '', '/', '/admin,', '/../,'),
        id: fc.oneof(fc.constant(''), fc.nat().map(String), fc.constant('99999999999999999999999'), fc.constant('-1')),
        body: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 60 }),
        ),
        cut: fc.boolean(),
      })
      .map(({ type, nsp, id, body, cut }) => `${type}${nsp}${id}${cut ? body.slice(0, Math.floor(body.length / 2)) : body}`),
    fc
      .record({
        id: fc.integer({ min: 900_000, max: 999_999 }),
        name: fc.constantFrom(...RESERVED, ...CLIENT_EVENTS, ...SERVER_EVENTS),
        payload: fc.jsonValue({ maxDepth: 2 }),
      })
      .map(({ id, name, payload }) => `2${id}${JSON.stringify([name, payload])}`),
    fc.integer({ min: 900_000, max: 999_999 }).map((id) => `51-${id}["message:send",{"_placeholder":true,"num":0}]`),
    fc.integer({ min: 900_000, max: 999_999 }).map((id) => `52-${id}["message:send",{"_placeholder":true,"num":7}]`),
    fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
  );

  it(
    'raw protocol frames: the server refuses or drops them, and stays up for everyone else',
    async () => {
      const socket = fuzzers[0];
      const replies: unknown[] = [];
      const onMessage = (data: unknown) => {
        // An ack to one of our raw ids: "3<id>[reply]".
        const m = typeof data === 'string' ? /^3(9\d{5})(\[.*\])$/s.exec(data) : null;
        if (m) replies.push((JSON.parse(m[2]) as unknown[])[0]);
      };
      await fc.assert(
        fc.asyncProperty(rawFrame, async (frame) => {
          await reconnected(socket);
          tally.raw++;
          lastPacket[0] = { what: 'a raw frame', mayCut: true }; // a malformed frame may close the connection
          const engine = socket.io.engine;
          engine.on('message', onMessage);
          engine.send(frame);
          await stillServing();
          engine.off('message', onMessage);
          for (const reply of replies.splice(0)) {
            tally.rawAcks++;
            expect({
              reply,
              conforms: isErrorAck(reply) || ['RoomJoinAck', 'OkAck', 'SendAck'].some((s) => contract.schema(s)(reply)),
            }).toEqual({ reply, conforms: true });
            expect((reply as { error?: { code?: string } }).error?.code).not.toBe('INTERNAL');
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    TEST_TIMEOUT_MS,
  );
});
