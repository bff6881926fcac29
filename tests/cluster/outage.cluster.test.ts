/**
 * Dependencies that go away under a running cluster. Redis is a private redis-server of this test (killed and
 * restarted empty, as a crashed cache without persistence comes back), never the machine's shared one; the
 * database is this run's PostgreSQL database, reached through a TCP proxy that the test cuts. While either is
 * down the nodes say so on /health (503); when it is back they recover by themselves, without a restart.
 */
import Redis from 'ioredis';
import type { ServerProcess } from '../support/process-server';
import { send } from '../support/multipart';
import { createRoom } from '../support/rooms';
import { collect, connect, contractViolations, join, newId, request, sealed, type ClientSocket } from '../support/sockets';
import { eventually } from '../support/storage';
import { PG_ADMIN_URL } from '../support/server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { hasRedisServer, startCluster, startPrivateRedis, type Cluster, type PrivateRedis } from './support/cluster';

interface Health {
  status: string;
  dependencies: Record<string, string>;
}

async function health(node: ServerProcess): Promise<{ code: number; body: Health }> {
  const res = await send(node.url, { method: 'GET', path: '/health' });
  return { code: res.status, body: res.json<Health>() };
}

const healthIs = (node: ServerProcess, code: number, dependencies: Record<string, string>) =>
  eventually(
    async () => {
      const h = await health(node);
      return h.code === code && JSON.stringify(h.body.dependencies) === JSON.stringify(dependencies);
    },
    `${node.url}/health to be ${code} ${JSON.stringify(dependencies)}`,
    20_000,
  );

/** Room look-ups one IP may make per minute, over the whole cluster. */
const LOOKUPS_PER_MINUTE = 8;

let redis: PrivateRedis;
let proxy: TcpProxy;
let cluster: Cluster;
let a: ServerProcess;
let b: ServerProcess;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  if (!hasRedisServer()) throw new Error('these tests run their own redis-server: install it (apt-get install redis-server)');
  redis = await startPrivateRedis();
  const admin = new URL(PG_ADMIN_URL);
  proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  cluster = await startCluster(2, {
    redisUrl: redis.url,
    env: { RATE_LIMIT_LOOKUP: String(LOOKUPS_PER_MINUTE) },
    databaseUrl: (url) => {
      const viaProxy = new URL(url);
      viaProxy.port = String(proxy.port);
      return viaProxy.toString();
    },
  });
  [a, b] = cluster.nodes;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  proxy?.restore();
  await cluster?.close();
  await proxy?.close();
  await redis?.close();
}, 60_000);

afterEach(() => {
  expect(contractViolations).toEqual([]);
});

function socketTo(node: ServerProcess): ClientSocket {
  const s = connect(node.url);
  sockets.push(s);
  return s;
}

/** Sends from `from` until `to` receives one (the path between nodes may take a moment to come back). */
async function relayWorks(from: ClientSocket, to: ClientSocket, roomId: string): Promise<void> {
  const seen = collect(to, 'message:new');
  const sent = new Set<string>();
  await eventually(
    async () => {
      const id = newId();
      const ack = await request(from, 'message:send', { room_id: roomId, id, ...sealed() });
      if (ack.ok) sent.add(id);
      await new Promise((r) => setTimeout(r, 100));
      return seen.some((m) => sent.has(m.id));
    },
    'a message to cross between the nodes',
    20_000,
  );
}

describe('rate limits in Redis', () => {
  it('counts one client against one limit whichever node it asks', async () => {
    const lookup = (node: ServerProcess) => send(node.url, { method: 'GET', path: `/room_exists?room_id=${newId()}` });
    const allowed: number[] = [];
    for (let i = 0; i < LOOKUPS_PER_MINUTE; i++) allowed.push((await lookup(i % 2 === 0 ? a : b)).status);
    expect(allowed).toEqual(Array(LOOKUPS_PER_MINUTE).fill(404));
    for (const node of [a, b]) {
      const refused = await lookup(node);
      expect({ status: refused.status, code: refused.json<{ error: { code: string } }>().error.code }).toEqual({
        status: 429,
        code: 'RATE_LIMITED',
      });
    }
    // Joins count against the same look-up budget (they reveal whether a room exists too): give it back, so that
    // the next test's joins are not refused.
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('*rl:lookup*');
      expect(keys.length).toBeGreaterThan(0);
      await client.del(...keys);
    } finally {
      await client.quit();
    }
  });
});

describe('Redis restarted during traffic', () => {
  it('makes the nodes report 503, then recover by themselves: chat, presence and health come back', async () => {
    const room = await createRoom(a.url);
    const [onA, onB] = [socketTo(a), socketTo(b)];
    const aMember = newId();
    const bMember = newId();
    await join(onA, room, aMember);
    await join(onB, room, bMember);
    const atB = collect(onB, 'message:new');
    await relayWorks(onA, onB, room.roomId);

    // Traffic from A all along; every ack is either ok or a clean SERVICE_UNAVAILABLE.
    const ackCodes: string[] = [];
    let sending = true;
    const traffic = (async () => {
      while (sending) {
        const ack = await request(onA, 'message:send', { room_id: room.roomId, id: newId(), ...sealed() });
        ackCodes.push(ack.ok ? 'ok' : ack.error.code);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await redis.kill();
    for (const node of [a, b]) await healthIs(node, 503, { database: 'ok', redis: 'down' });
    await eventually(() => ackCodes.includes('SERVICE_UNAVAILABLE'), 'a send refused while Redis is down', 20_000);

    await redis.start(); // empty: everything Redis held is gone
    for (const node of [a, b]) await healthIs(node, 200, { database: 'ok', redis: 'ok' });
    sending = false;
    await traffic;
    expect(ackCodes.filter((code) => code !== 'ok' && code !== 'SERVICE_UNAVAILABLE')).toEqual([]);

    // The same connections carry on, both ways, without reconnecting.
    await relayWorks(onA, onB, room.roomId);
    await relayWorks(onB, onA, room.roomId);
    expect(new Set(atB.map((m) => m.id)).size).toBe(atB.length); // nothing doubled
    // Each node put its members back into the emptied Redis: a newcomer sees both.
    await eventually(
      async () => {
        const probe = socketTo(b);
        const ack = await join(probe, room);
        probe.disconnect();
        return [aMember, bMember].every((id) => ack.members.some((m) => m.member_id === id));
      },
      'presence to be restored',
      20_000,
    );
  }, 120_000);
});

describe('the database cut off', () => {
  it('makes the nodes report 503 until it is back, then 200, with no restart', async () => {
    for (const node of [a, b]) await healthIs(node, 200, { database: 'ok', redis: 'ok' });
    proxy.cut('reset');
    for (const node of [a, b]) await healthIs(node, 503, { database: 'down', redis: 'ok' });
    proxy.restore();
    for (const node of [a, b]) await healthIs(node, 200, { database: 'ok', redis: 'ok' });
    expect((await createRoom(b.url)).roomId).toMatch(/^[A-Za-z0-9_-]{6,36}$/);
  }, 60_000);
});
