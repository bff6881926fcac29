/**
 * A cluster node started while Redis is unreachable: it starts (nothing at start-up waits for Redis, the upload
 * locker's subscription included), says 503 on /health, and answers what needs Redis with SERVICE_UNAVAILABLE
 * instead of hanging or crashing. The node runs as a process of its own; a second one, in this process, shows that
 * closing such a node leaves nothing behind (its Redis clients stop retrying).
 */
import fs from 'node:fs';
import sqlite3 from 'sqlite3';
import { sqlitePath } from '../../src/db/data-source';
import { startServerProcess, type ServerProcess } from '../support/process-server';
import { createRoom } from '../support/rooms';
import { freePort, startServer, tempDataDir, TEST_ENV } from '../support/server';
import { eventually } from '../support/storage';
import { createUpload, headUpload, patchUpload, uploadMetadata, uploadUrl } from '../support/tus';

let node: ServerProcess;
const dataDir = tempDataDir();

beforeAll(async () => {
  // A port nothing listens on: every connection attempt is refused. Ready means /health answers 503.
  node = await startServerProcess({ ...TEST_ENV, DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, undefined, 503);
}, 60_000);
afterAll(async () => {
  await node?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a node whose Redis is unreachable from the start', () => {
  it('starts and reports Redis down on /health', async () => {
    const res = await fetch(`${node.url}/health`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { dependencies: Record<string, string> }).dependencies).toMatchObject({ database: 'ok', redis: 'down' });
  });

  it('creates a resumable upload (its fresh id needs no cluster lock), and answers a request that needs the lock with 503', async () => {
    const room = await createRoom(node.url);
    const created = await createUpload(node.url, 1000, uploadMetadata(room));
    expect([created.status, created.text]).toEqual([201, '']);
    const head = await headUpload(uploadUrl(node.url, created));
    expect([head.status, head.headers.get('content-type')]).toEqual([503, 'application/json; charset=utf-8']);
    const patch = await patchUpload(uploadUrl(node.url, created), 0, Buffer.alloc(1000));
    expect([patch.status, patch.json.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    // The upload is still there, reserved, for when Redis is back; nothing else is (read from the node's database).
    expect(await reservedBytes()).toBe(1000);
  }, 30_000);
});

describe('closing a node whose Redis is unreachable', () => {
  // The Socket.IO adapter's stream reader waits for Redis however long it takes; on close it used to keep
  // waiting, its reconnect timer and sockets alive, so an embedding process never exited by itself.
  it('leaves no timer or socket of it behind', async () => {
    const count = () => {
      const counts: Record<string, number> = {};
      for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
      return counts;
    };
    const before = count();
    const server = await startServer({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    expect((await fetch(`${server.url}/health`)).status).toBe(503);
    await server.close();
    const grown = () =>
      Object.entries(count())
        .filter(([kind, n]) => /^(Timeout|TCP)/.test(kind) && n > (before[kind] ?? 0))
        .map(([kind]) => kind);
    await eventually(() => grown().length === 0, 'its timers and sockets to go').catch(() => undefined);
    expect(grown()).toEqual([]);
  }, 30_000);
});

/** The bytes the node's quota holds, read from its SQLite file (the node is another process). */
function reservedBytes(): Promise<number> {
  const db = new sqlite3.Database(sqlitePath(dataDir), sqlite3.OPEN_READONLY);
  return new Promise<number>((resolve, reject) =>
    db.get<{ used: number }>('SELECT COALESCE(SUM(size), 0) AS used FROM stored_files', (err, row) =>
      err ? reject(err) : resolve(row.used),
    ),
  ).finally(() => db.close());
}
