/**
 * A cluster: three server processes sharing the machine's Redis (under a key prefix made for this run), one
 * PostgreSQL database made for this run, and one data folder. Clients on different nodes are in the same
 * rooms; what one node accepts, every node serves.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { SealroomClient, type RoomMessage } from '../../sdk/src/node.js';
import type { ServerProcess } from '../support/process-server';
import { download, send, upload, uploadForm } from '../support/multipart';
import { createRoom, type TestRoom } from '../support/rooms';
import {
  collect,
  connect,
  connected,
  contractViolations,
  join,
  newId,
  next,
  request,
  sealed,
  sendMessage,
  type ClientSocket,
} from '../support/sockets';
import { RedisRoomStateStore } from '../../src/realtime/state/redis-room-state';
import { FAST_REALTIME, record, until } from '../sdk/support/room-events';
import { startBalancer, startCluster, type Balancer, type Cluster } from './support/cluster';

/** 1 MiB, as FOLDER_SIZE_LIMIT is in GB: 2^-10 GB. */
const QUOTA_BYTES = 1024 * 1024;

let cluster: Cluster;
let a: ServerProcess;
let b: ServerProcess;
let c: ServerProcess;
const sockets: ClientSocket[] = [];
const clients: SealroomClient[] = [];
const balancers: Balancer[] = [];

beforeAll(async () => {
  cluster = await startCluster(3, { env: { FOLDER_SIZE_LIMIT: String(1 / 1024), MESSAGE_BACKLOG: '500' } });
  [a, b, c] = cluster.nodes;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(clients.map((cl) => cl.close()));
  await Promise.all(balancers.map((bl) => bl.close()));
  await cluster?.close();
}, 60_000);

afterEach(() => {
  expect(contractViolations).toEqual([]);
});

function socketTo(node: ServerProcess): ClientSocket {
  const s = connect(node.url);
  sockets.push(s);
  return s;
}

const deleteRoom = (node: ServerProcess, room: TestRoom) =>
  send(node.url, { method: 'DELETE', path: `/rooms/${room.roomId}`, headers: { 'x-owner-signature': room.ownerSignature() } });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('chat across nodes', () => {
  it('relays every message to the members on every other node exactly once, numbered once for the room', async () => {
    const room = await createRoom(a.url);
    const members = [socketTo(a), socketTo(b), socketTo(c)];
    for (const s of members) await join(s, room);
    const received = members.map((s) => collect(s, 'message:new'));

    const PER_MEMBER = 40;
    const sent = members.map(() => [] as string[]);
    const acks = await Promise.all(
      members.flatMap((s, i) =>
        Array.from({ length: PER_MEMBER }, () => {
          const id = newId();
          sent[i].push(id);
          return sendMessage(s, room.roomId, id);
        }),
      ),
    );
    expect(acks.every((ack) => ack.ok && !ack.duplicate)).toBe(true);
    // One sequence for the room, whichever node numbered the message.
    const seqs = acks.map((ack) => (ack.ok ? ack.seq : -1)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 3 * PER_MEMBER }, (_, i) => i + 1));

    const expected = (i: number) =>
      sent
        .filter((_, j) => j !== i)
        .flat()
        .sort();
    await until(() => received.every((r, i) => r.length >= expected(i).length), 'every message on every node', 20_000);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would have arrived by now
    received.forEach((r, i) => expect(r.map((m) => m.id).sort()).toEqual(expected(i)));
  });

  it('drops a retry on another node as a duplicate: the same record, relayed to nobody again', async () => {
    const room = await createRoom(b.url);
    const [first, second, watcher] = [socketTo(a), socketTo(b), socketTo(c)];
    for (const s of [first, second, watcher]) await join(s, room);
    const seen = collect(watcher, 'message:new');
    const id = newId();
    const original = await sendMessage(first, room.roomId, id);
    const retry = await request(second, 'message:send', { room_id: room.roomId, id, ...sealed() });
    await until(() => seen.length >= 1, 'the original');
    await sendMessage(first, room.roomId); // a later message: the retry, if relayed, would arrive before it
    await until(() => seen.length >= 2, 'the later message');
    expect(original.ok && retry.ok).toBe(true);
    if (!original.ok || !retry.ok) return;
    expect(retry).toEqual({ ...original, duplicate: true });
    expect(seen.filter((m) => m.id === id)).toHaveLength(1);
  });

  it('relays a retry whose first relay never happened (its node died in between), once', async () => {
    const room = await createRoom(a.url);
    const [sender, onA, onC] = [socketTo(b), socketTo(a), socketTo(c)];
    for (const s of [sender, onA, onC]) await join(s, room);
    const seen = [collect(onA, 'message:new'), collect(onC, 'message:new')];
    // What a node leaves behind when it dies after numbering a message and before relaying it.
    const redis = new Redis(cluster.redisUrl);
    const id = newId();
    const numbered = await new RedisRoomStateStore(redis, cluster.prefix, 60_000).claim(room.roomId, id, Date.now());
    redis.disconnect();

    const retry = await sendMessage(sender, room.roomId, id);
    expect(retry).toEqual({ ok: true, id, seq: numbered.seq, sent_at: numbered.sentAt, duplicate: true });
    await until(() => seen.every((s) => s.length === 1), 'the retry on both other nodes');
    const again = await sendMessage(sender, room.roomId, id); // relayed now: a further retry goes nowhere
    expect(again).toEqual(retry);
    await sendMessage(sender, room.roomId);
    await until(() => seen.every((s) => s.length === 2), 'a later message');
    for (const s of seen) expect(s.map((m) => m.id)[0]).toBe(id);
    for (const s of seen) expect(s.filter((m) => m.id === id)).toHaveLength(1);
  });
});

describe('presence and room lifetime across nodes', () => {
  it('tells members on every node who joins and leaves, and lists members from every node', async () => {
    const room = await createRoom(c.url);
    const onA = socketTo(a);
    const aMember = newId();
    await join(onA, room, aMember);
    const onB = socketTo(b);
    const joinedAtA = next(onA, 'member:joined', (p) => p.room_id === room.roomId);
    const bMember = newId();
    await join(onB, room, bMember);
    expect((await joinedAtA).member_id).toBe(bMember);

    const onC = socketTo(c);
    const ack = await join(onC, room);
    expect(ack.members.map((m) => m.member_id).sort()).toEqual([aMember, bMember].sort());

    const leftAtA = next(onA, 'member:left', (p) => p.member_id === bMember);
    const leftAtC = next(onC, 'member:left', (p) => p.member_id === bMember);
    onB.disconnect();
    expect((await leftAtA).reason).toBe('disconnected');
    expect((await leftAtC).reason).toBe('disconnected');

    const taken = await request(socketTo(a), 'room:join', {
      protocol: 'sealroom/v2',
      room_id: room.roomId,
      member_id: aMember,
      proof: room.proof('join'),
      profile: sealed(),
    });
    expect(taken.ok ? 'joined' : taken.error.code).toBe('MEMBER_ID_TAKEN');
  });

  it('closes a room deleted through one node for its members on every node', async () => {
    const room = await createRoom(a.url);
    const members = [socketTo(a), socketTo(b), socketTo(c)];
    for (const s of members) await join(s, room);
    const closed = members.map((s) => next(s, 'room:closed', (p) => p.room_id === room.roomId));
    expect((await deleteRoom(b, room)).status).toBe(204);
    for (const event of await Promise.all(closed)) expect(event.reason).toBe('deleted');
    // Every node took its connections out of the room.
    for (const s of members) {
      const reply = await sendMessage(s, room.roomId);
      expect(reply.ok ? 'sent' : reply.error.code).toBe('NOT_IN_ROOM');
    }
  });
});

describe('recovery bound to the room incarnation across nodes (issue 15 finding 4)', () => {
  it('finding 4: a connection recovered after its room was deleted and re-created under the same id (through other nodes) is not a member of the new room', async () => {
    const roomId = `reborn-${randomBytes(6).toString('base64url')}`;
    const old = await createRoom(a.url, { room_id: roomId });
    const onA = socketTo(a);
    const former = connect(b.url, { reconnection: false });
    sockets.push(former);
    await join(onA, old);
    const { member_id: formerId } = await join(former, old);
    const atFormer = collect(former, 'message:new');
    const closedAtFormer = collect(former, 'room:closed');
    await sendMessage(onA, roomId);
    await until(() => atFormer.length === 1, 'the first message');
    (former.io.engine as unknown as { close(): void }).close();
    await until(() => former.disconnected, 'the former member to be cut off');

    expect((await deleteRoom(c, old)).status).toBe(204);
    const reborn = await createRoom(c.url, { room_id: roomId });
    const onC = socketTo(c);
    const joinedAtC = collect(onC, 'member:joined');
    await join(onC, reborn);
    expect(await sendMessage(onC, roomId)).toMatchObject({ ok: true });

    former.connect();
    await connected(former);
    expect(former.recovered).toBe(true);
    await until(() => closedAtFormer.length >= 1, 'room:closed at the former member');
    expect(closedAtFormer[0]).toEqual({ room_id: roomId, reason: 'deleted' });
    const reply = await sendMessage(former, roomId);
    expect(reply.ok ? 'sent' : reply.error.code).toBe('NOT_IN_ROOM');
    await sendMessage(onC, roomId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(atFormer).toHaveLength(1);
    expect(joinedAtC.filter((m) => m.member_id === formerId)).toEqual([]);
    const { members } = await join(socketTo(a), reborn);
    expect(members.map((m) => m.member_id)).not.toContain(formerId);
  }, 60_000);
});

describe('files across nodes', () => {
  it('serves a file uploaded through one node from another, byte for byte, and announces it everywhere', async () => {
    const room = await createRoom(a.url);
    const [sender, receiver] = [socketTo(a), socketTo(c)];
    await join(sender, room);
    await join(receiver, room);
    const data = randomBytes(300_000);
    const res = await upload(a.url, room.roomId, room.proof('upload'), data);
    expect(res.status).toBe(201);
    const fileId = res.json<{ file_id: string }>().file_id;

    const announced = next(receiver, 'file:new', (p) => p.file_id === fileId);
    const share = await request(sender, 'file:share', { room_id: room.roomId, file_id: fileId, ...sealed() });
    expect(share.ok).toBe(true);
    expect((await announced).size).toBe(data.length);

    const got = await download(b.url, fileId);
    expect(got.status).toBe(200);
    expect(sha256(got.body)).toBe(sha256(data));
    const ranged = await download(c.url, fileId, { range: 'bytes=1000-1999' });
    expect(ranged.status).toBe(206);
    expect(ranged.body.equals(data.subarray(1000, 2000))).toBe(true);

    expect((await deleteRoom(c, room)).status).toBe(204); // frees its storage for the quota test
    expect((await download(a.url, fileId)).status).toBe(404);
  });

  it('keeps the shared storage quota exact when uploads race through two nodes', async () => {
    const room = await createRoom(b.url);
    const SIZE = 200_000;
    const fits = Math.floor(QUOTA_BYTES / SIZE); // 5
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => upload((i % 2 === 0 ? a : b).url, room.roomId, room.proof('upload'), randomBytes(SIZE))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(fits).fill(201), ...Array(12 - fits).fill(507)]);
    for (const r of results.filter((x) => x.status === 507)) expect(r.json<{ error: { code: string } }>().error.code).toBe('STORAGE_FULL');
    expect((await deleteRoom(a, room)).status).toBe(204);
  });

  it('lets an upload in progress on one node survive another node sweeping the shared folder', async () => {
    const room = await createRoom(a.url);
    const data = randomBytes(400_000);
    const { body, contentType } = uploadForm(room.roomId, room.proof('upload'), data);
    const half = body.length - 200_000;
    // Half the body now; the rest after another node has started, and swept the shared folder as it does at start-up.
    const req = http.request(`${a.url}/upload_file`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'content-length': body.length },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
    });
    req.write(body.subarray(0, half));
    const folder = path.join(cluster.dataDir, 'files');
    const partFiles = () => fs.readdirSync(folder).filter((n) => n.endsWith('.part'));
    await until(() => partFiles().length === 1, 'the upload to be on disk');
    const [inProgress] = partFiles();

    // Leftovers no row accounts for (as a crashed node leaves them): the sweep must remove these, and only these.
    const orphanBlob = path.join(folder, newId());
    const orphanTemp = path.join(folder, `${newId()}.part`);
    fs.writeFileSync(orphanBlob, 'left behind');
    fs.writeFileSync(orphanTemp, 'left behind');
    // The sweeper lease runs out (its holder stopped renewing it), so the node that starts now sweeps at once.
    const db = new Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    await db.query(`UPDATE leases SET expires_at = 0 WHERE name = 'sweeper'`);
    await db.end();
    const sweeper = await cluster.addNode();
    await until(() => !fs.existsSync(orphanBlob) && !fs.existsSync(orphanTemp), 'the new node to sweep the shared folder');
    expect(partFiles()).toEqual([inProgress]);
    req.end(body.subarray(half));
    const done = await response;
    expect(done.status).toBe(201);
    const fileId = (JSON.parse(done.body) as { file_id: string }).file_id;
    const got = await download(sweeper.url, fileId);
    expect(sha256(got.body)).toBe(sha256(data));
    expect((await deleteRoom(sweeper, room)).status).toBe(204);
  }, 60_000);
});

const texts = (ms: RoomMessage[]) => ms.map((m) => m.text);
const range = (who: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${who} ${from + i}`);

function sdk(url: string): SealroomClient {
  const cl = new SealroomClient({ baseUrl: url, realtime: FAST_REALTIME });
  clients.push(cl);
  return cl;
}

describe('a node that goes away', () => {
  it('stopped gracefully: its clients recover their sessions on another node, with what they missed', async () => {
    const leaving = await cluster.addNode();
    const lb = await startBalancer(() => [leaving.port, b.port]);
    balancers.push(lb);
    const invite = (await sdk(b.url).createRoom()).link;
    const alice = await sdk(lb.url).join(invite, { name: 'Alice' });
    const bob = await sdk(b.url).join(invite, { name: 'Bob' });
    const atAlice = record(alice, 'message');
    const atBob = record(bob, 'message');
    const reconnects = record(alice, 'reconnect');
    const aliceAtBob = record(bob, 'member');
    await Promise.all(range('bob', 0, 5).map((t) => bob.send(t)));
    await until(() => atAlice.length >= 5, 'the first messages');

    const stopped = leaving.stop(); // SIGTERM: the node saves each session in Redis as it closes it
    await Promise.all(range('bob', 5, 15).map((t) => bob.send(t)));
    await until(() => reconnects.length >= 1, 'the reconnect', 30_000);
    expect(await stopped).toBe(0);
    await Promise.all(range('alice', 0, 5).map((t) => alice.send(t)));
    await until(() => atAlice.length >= 15 && atBob.length >= 5, 'every message', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(reconnects[0].recovered).toBe(true);
    expect(texts(atAlice).sort()).toEqual(range('bob', 0, 15).sort());
    expect(texts(atBob)).toEqual(range('alice', 0, 5));
    // Bob heard her go (the stopping node told every node before it closed) and come back on the other node.
    await until(() => aliceAtBob.length >= 2, 'her departure and return');
    expect(aliceAtBob.map((e) => e.type)).toEqual(['left', 'joined']);
    expect(bob.members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
  }, 90_000);

  it('killed outright (SIGKILL): its clients move to a live node and carry on: nothing lost, nothing doubled', async () => {
    // Alice reaches the cluster through a balancer that prefers node C (the one that dies); Bob is on A.
    const victim = await cluster.addNode();
    const lb = await startBalancer(() => [victim.port, a.port]);
    balancers.push(lb);
    const invite = (await sdk(a.url).createRoom()).link;
    const alice = await sdk(lb.url).join(invite, { name: 'Alice' });
    const bob = await sdk(a.url).join(invite, { name: 'Bob' });
    const atAlice = record(alice, 'message');
    const atBob = record(bob, 'message');
    const reconnects = record(alice, 'reconnect');
    const disconnects = record(alice, 'disconnect');

    await Promise.all([...range('alice', 0, 10).map((t) => alice.send(t)), ...range('bob', 0, 10).map((t) => bob.send(t))]);
    await until(() => atBob.length >= 10 && atAlice.length >= 10, 'the first messages');

    await victim.kill(); // SIGKILL: no goodbye, no session saved
    // Both keep talking while Alice's connection moves to node A.
    await Promise.all([...range('alice', 10, 20).map((t) => alice.send(t)), ...range('bob', 10, 20).map((t) => bob.send(t))]);
    await until(() => reconnects.length >= 1, 'the reconnect', 30_000);
    await Promise.all([...range('alice', 20, 25).map((t) => alice.send(t)), ...range('bob', 20, 25).map((t) => bob.send(t))]);

    await until(() => atBob.length >= 25 && atAlice.length >= 25, 'every message', 30_000);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would have arrived by now
    expect(texts(atBob).sort()).toEqual(range('alice', 0, 25).sort());
    expect(texts(atAlice).sort()).toEqual(range('bob', 0, 25).sort());
    expect(alice.state).toBe('joined');
    expect(disconnects).toHaveLength(1); // she was on the node that died
    // The dead node's presence record of Alice is cleaned up: Bob sees exactly one Alice and himself.
    await until(() => bob.members.length === 2, 'presence to settle', 20_000);
    expect(bob.members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
  }, 90_000);
});
