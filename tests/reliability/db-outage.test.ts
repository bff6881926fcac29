import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRoom, ownerKeyPair, PROTOCOL, type TestRoom } from '../support/rooms';
import { createPgDatabase, PG_ADMIN_URL, startServer, type TestServer } from '../support/server';
import { download, send, upload, type RawResponse } from '../support/multipart';
import type { ClientEventName, ClientEventPayload, ClientEventReply } from '@sealroom/contracts';
import { RealtimeContract } from '../../src/realtime/contract';
import { connect, join, newId, next, request as ask, sealed, sendMessage, type ClientSocket, contractViolations } from '../support/sockets';
import { startTcpProxy, type CutMode, type TcpProxy } from '../support/tcp-proxy';
import { eventually } from '../support/storage';

/**
 * A brief PostgreSQL outage, made by cutting a TCP proxy between the server and the database: while it lasts,
 * every REST operation that needs the database answers 503 SERVICE_UNAVAILABLE (never hangs, never a 500),
 * socket operations that need it are acknowledged with SERVICE_UNAVAILABLE, chat between members already in a
 * room carries on, and nothing crashes. Once the path is back, the same server process recovers by itself.
 */

/** A liveness bound, not a timing assertion: a request that never answers must fail the test with a name. */
function answered<T>(what: string, work: Promise<T>, ms = 25_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const contract = new RealtimeContract();
/**
 * Like the sockets helper's `request`, but waiting as long as `answered` does: during a partition a join waits
 * for the database's query timeout before it can be refused.
 */
async function askPatiently<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: ClientEventPayload<E>,
): Promise<ClientEventReply<E>> {
  const emit = socket.timeout(25_000).emitWithAck as unknown as (e: E, p: ClientEventPayload<E>) => Promise<ClientEventReply<E>>;
  const reply = await answered(event, emit.call(socket.timeout(25_000), event, payload));
  if (!contract.schema('ErrorAck')(reply)) throw new Error(`${event} ack is not an ErrorAck: ${JSON.stringify(reply)}`);
  return reply;
}

const errorOf = (res: RawResponse) => ({ status: res.status, code: (res.json() as { error?: { code?: string } }).error?.code });
const temps = (server: TestServer) => fs.readdirSync(path.join(server.dataDir, 'files')).filter((n) => n.endsWith('.part'));

describe.each<CutMode>(['reset', 'blackhole'])('a brief database outage (PostgreSQL behind a proxy, cut by %s)', (mode) => {
  let proxy: TcpProxy;
  let dropDb: () => Promise<void>;
  let server: TestServer;
  let room: TestRoom;
  let fileId: string;
  const sockets: ClientSocket[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const db = await createPgDatabase();
    dropDb = db.drop;
    const admin = new URL(PG_ADMIN_URL);
    proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    server = await startServer({ databaseUrl: viaProxy.toString() });
    room = await createRoom(server.url);
    fileId = (await upload(server.url, room.roomId, room.proof('upload'), randomBytes(10_000))).json().file_id;
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    proxy.restore();
    await server.close();
    await proxy.close();
    await dropDb();
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers 503 while the database is cut, keeps chat going, and recovers without a restart', async () => {
    const [alice, bob, carol] = [connect(server.url), connect(server.url), connect(server.url)];
    sockets.push(alice, bob, carol);
    await join(alice, room);
    await join(bob, room);
    // Warm the pool under load, so that the cut finds idle pooled connections (a blackhole then swallows
    // whatever query is sent on them) as well as requests that need new ones.
    await Promise.all(Array.from({ length: 12 }, () => send(server.url, { method: 'GET', path: `/room_exists?room_id=${room.roomId}` })));
    expect(proxy.open()).toBeGreaterThan(1); // the pool really goes through the proxy

    proxy.cut(mode);

    // REST: every operation that needs the database, all at once, each answered with a clear 503.
    const other = Buffer.from(
      JSON.stringify({ protocol: PROTOCOL, auth: randomBytes(32).toString('base64url'), owner_key: ownerKeyPair().ownerKey }),
    );
    const results = await Promise.all([
      answered('health', send(server.url, { method: 'GET', path: '/health' })),
      answered('room_exists', send(server.url, { method: 'GET', path: `/room_exists?room_id=${room.roomId}` })),
      answered(
        'create_room',
        send(server.url, { method: 'POST', path: '/create_room', headers: { 'content-type': 'application/json' }, body: other }),
      ),
      answered(
        'delete',
        send(server.url, { method: 'DELETE', path: `/rooms/${room.roomId}`, headers: { 'x-owner-signature': room.ownerSignature() } }),
      ),
      answered('get_file', download(server.url, fileId)),
      answered('head_file', download(server.url, fileId, {}, { method: 'HEAD' })),
      answered('upload', upload(server.url, room.roomId, room.proof('upload'), randomBytes(5_000))),
    ]);
    const [health, ...rest] = results;
    expect(health.status).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable', dependencies: { database: 'down' } });
    const [lookup, create, del, get] = rest;
    expect([lookup, create, del, get].map(errorOf)).toEqual(Array(4).fill({ status: 503, code: 'SERVICE_UNAVAILABLE' }));
    const [, , , , head, up] = rest;
    expect(head.status).toBe(503); // HEAD has no body to carry the code
    expect(errorOf(up)).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(temps(server)).toEqual([]); // the refused upload left nothing behind

    // Sockets: joining and announcing files need the database and are refused with the code; chat does not.
    const refusedJoin = await askPatiently(carol, 'room:join', {
      protocol: 'sealroom/v2',
      room_id: room.roomId,
      member_id: newId(),
      proof: room.proof('join'),
      profile: sealed(),
    });
    expect(refusedJoin).toEqual({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
    const refusedShare = await askPatiently(alice, 'file:share', { room_id: room.roomId, file_id: fileId, ...sealed() });
    expect(refusedShare).toEqual({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
    const id = newId();
    const heard = next(bob, 'message:new', (m) => m.id === id);
    expect(await answered('chat', sendMessage(alice, room.roomId, id))).toMatchObject({ ok: true, duplicate: false });
    await heard;

    proxy.restore();

    // The same process, no restart: health comes back, then everything works again.
    await eventually(async () => (await send(server.url, { method: 'GET', path: '/health' })).status === 200, 'health to recover', 30_000);
    expect((await send(server.url, { method: 'GET', path: `/room_exists?room_id=${room.roomId}` })).status).toBe(200);
    await join(carol, room);
    const newFile = await upload(server.url, room.roomId, room.proof('upload'), randomBytes(5_000));
    expect(newFile.status).toBe(201);
    const announced = next(bob, 'file:new', (f) => f.file_id === newFile.json().file_id);
    expect(await ask(alice, 'file:share', { room_id: room.roomId, file_id: newFile.json().file_id, ...sealed() })).toMatchObject({
      ok: true,
    });
    await announced;
    const got = await download(server.url, fileId);
    expect([got.status, got.body.length]).toEqual([200, 10_000]);

    expect(unhandled).toEqual([]);
    expect(contractViolations.splice(0)).toEqual([]);
  });
});
