import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import { startServerProcess, type ServerProcess } from '../../support/process-server';
import { createPgDatabase, freePort, tempDataDir, TEST_ENV } from '../../support/server';

/** The machine's Redis (and CI's); a test never writes outside its own key prefix there. */
export const SHARED_REDIS_URL = process.env.SEALROOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Generous limits so that tests are not throttled unless they mean to be (as tests/support/server.ts). */
const CLUSTER_TEST_ENV: Record<string, string> = { ...TEST_ENV, LOG_LEVEL: 'warn' };

export interface Cluster {
  nodes: ServerProcess[];
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
  /** This run's REDIS_KEY_PREFIX: every key the nodes write starts with it. */
  prefix: string;
  /** The environment every node runs with. */
  env: Record<string, string>;
  /** Starts one more node on the same Redis, database and data folder. */
  addNode(extra?: Record<string, string>): Promise<ServerProcess>;
  /** Stops every node, drops the database, removes the data folder and this run's Redis keys. */
  close(): Promise<void>;
}

/**
 * N server processes (src/main.ts under tsx) sharing one PostgreSQL database made for this run, one data
 * folder and one Redis with a key prefix made for this run, so that runs never collide.
 */
export async function startCluster(
  size: number,
  options: {
    env?: Record<string, string>;
    redisUrl?: string;
    /** How nodes reach the database (e.g. through a proxy a test can cut). */ databaseUrl?: (url: string) => string;
  } = {},
): Promise<Cluster> {
  const db = await createPgDatabase();
  const dataDir = tempDataDir();
  const prefix = `sealroom-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const redisUrl = options.redisUrl ?? SHARED_REDIS_URL;
  const databaseUrl = options.databaseUrl ? options.databaseUrl(db.url) : db.url;
  const env = {
    ...CLUSTER_TEST_ENV,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    ...options.env,
  };
  const nodes: ServerProcess[] = [];
  const addNode = async (extra: Record<string, string> = {}) => {
    const node = await startServerProcess({ ...env, ...extra });
    nodes.push(node);
    return node;
  };
  try {
    // All at once, as `docker compose up` starts them: one migrates the empty database, the others wait for it.
    await Promise.all(Array.from({ length: size }, () => addNode()));
  } catch (e) {
    await Promise.all(nodes.map((n) => n.kill()));
    await db.drop();
    throw e;
  }
  return {
    nodes,
    dataDir,
    databaseUrl: db.url,
    redisUrl,
    prefix,
    env,
    addNode,
    close: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await deleteKeys(redisUrl, prefix).catch(() => undefined);
    },
  };
}

/** Removes every key under `prefix` (SCAN, never KEYS: the machine's Redis is shared). */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export interface Balancer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP load balancer in front of the nodes, as an operator's proxy would be, in failover mode so that a test
 * knows where its client is: each new connection goes to the first node in `backends()` that accepts it.
 * Websocket clients need no sticky sessions: when their node dies, their reconnect lands on a live one.
 */
export async function startBalancer(backends: () => number[]): Promise<Balancer> {
  const open = new Set<net.Socket>();
  const connectTo = (ports: number[], client: net.Socket, tried = 0) => {
    if (tried >= ports.length) return client.destroy();
    const port = ports[tried];
    const upstream = net.connect(port, '127.0.0.1');
    let connected = false;
    open.add(upstream);
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream).pipe(client);
      client.resume();
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    upstream.on('error', () => {
      open.delete(upstream);
      if (connected) client.destroy();
      else connectTo(ports, client, tried + 1); // refused: that node is down, try the next
    });
    upstream.once('close', () => open.delete(upstream));
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('error', () => undefined);
    client.once('close', () => open.delete(client));
    connectTo(backends(), client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether a `redis-server` binary is on the PATH (the Redis-restart test runs its own). */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGKILLs the server: it loses everything (no persistence), as a crashed cache would. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A redis-server of this test's own, on a free port, with no persistence: a test may kill and restart it
 * without touching the machine's Redis, which other people's tests use.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await probe.connect().then(
        () => probe.ping(),
        () => null,
      );
      if (up === 'PONG') break;
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    probe.disconnect();
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, start, close: kill };
}
