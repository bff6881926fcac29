import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { buildApp, type Sealroom } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { Clock } from '../../src/services/clock';
import type { S3TestServer } from './s3-server';

export type DatabaseKind = 'sqlite' | 'postgres';

/** Every database the suite runs its database tests on. */
export const DATABASES: DatabaseKind[] = ['sqlite', 'postgres'];

/** PostgreSQL on this machine and in CI: trust auth, database `test`. */
export const PG_ADMIN_URL = process.env.SEALROOM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  dataDir: string;
  config: Config;
  sealroom: Sealroom;
  databaseUrl: string | null;
  /** Closes the server, drops its database and removes its data folder. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  db?: DatabaseKind;
  /** Extra environment, as the server would read it (e.g. `UPLOAD_SIZE_LIMIT: '1'`). */
  env?: Record<string, string>;
  clock?: Clock;
  /** Reuse a data folder / database (to test restarts); otherwise fresh ones are made. */
  dataDir?: string;
  databaseUrl?: string;
  /** Keep the data folder and database when closing (to restart on them). */
  keep?: boolean;
  port?: number;
  /** Keep file blobs in this S3-protocol server's bucket (BLOB_STORE=s3) instead of the data folder. */
  s3?: S3TestServer;
}

/** Generous limits so that tests are not throttled unless they mean to be. */
/** Generous limits so that tests are not throttled unless they mean to be; shared by every test server. */
export const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  RATE_LIMIT_CREATE_ROOM: '100000',
  RATE_LIMIT_UPLOAD: '100000',
  RATE_LIMIT_LOOKUP: '100000',
  RATE_LIMIT_PROOF_FAILURES: '100000',
  RATE_LIMIT_PROOF_FAILURES_IP: '100000',
  UPLOAD_IP_SHARE: '100',
  UPLOAD_ROOM_SHARE: '100',
  UPLOAD_MAX_PER_IP: '100000',
  UPLOAD_MAX_PER_ROOM: '100000',
  SOCKET_SENDS_PER_SECOND: '100000',
  SOCKET_IP_SENDS_PER_SECOND: '100000',
  SOCKET_JOINS_PER_MINUTE: '100000',
  SOCKET_IP_JOINS_PER_MINUTE: '100000',
  SOCKET_MAX_PER_IP: '100000',
  SHUTDOWN_GRACE: '2',
  SWEEP_INTERVAL: '3600',
};

/** A free TCP port on loopback (asked of the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh, uniquely named PostgreSQL database; returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sealroom_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropPgDatabase(url.toString()) };
}

/** Drops a database made by createPgDatabase (connections and all). */
export async function dropPgDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^sealroom_t_\w+$/.test(name)) throw new Error(`refusing to drop ${name}: not a test database`);
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-test-'));
}

/** Builds the real app on a temporary SQLite file or PostgreSQL database and listens on a free port. */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? tempDataDir();
  let databaseUrl = options.databaseUrl ?? null;
  let dropDb: (() => Promise<void>) | null = null;
  if (!databaseUrl && options.db === 'postgres') {
    const created = await createPgDatabase();
    databaseUrl = created.url;
    dropDb = created.drop;
  }
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...TEST_ENV,
    PORT: String(port),
    BASE_URL: url,
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.s3?.env,
    ...options.env,
  });
  const sealroom = await buildApp(config, { clock: options.clock });
  await new Promise<void>((resolve) => sealroom.server.listen(port, '127.0.0.1', resolve));
  return {
    url,
    port,
    dataDir,
    config,
    sealroom,
    databaseUrl,
    close: async () => {
      await sealroom.close();
      if (!options.keep) {
        if (dropDb) await dropDb();
        if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** A clock that tests move by hand, to make things expire without waiting. */
export class ManualClock implements Clock {
  constructor(private t = Date.now()) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
