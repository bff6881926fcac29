/**
 * A cluster node started while Redis is unreachable: it starts (nothing at start-up waits for Redis, the upload
 * locker's subscription included), says 503 on /health, and answers what needs Redis with SERVICE_UNAVAILABLE
 * instead of hanging or crashing, leaving nothing reserved that it cannot use.
 */
import { createRoom } from '../support/rooms';
import { freePort, startServer, type TestServer } from '../support/server';
import { createUpload, headUpload, patchUpload, uploadMetadata, uploadUrl } from '../support/tus';

let server: TestServer;

beforeAll(async () => {
  // A port nothing listens on: every connection attempt is refused.
  server = await startServer({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe('a node whose Redis is unreachable from the start', () => {
  it('starts and reports Redis down on /health', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { dependencies: Record<string, string> }).dependencies).toMatchObject({ database: 'ok', redis: 'down' });
  });

  it('creates a resumable upload (its fresh id needs no cluster lock), and answers a request that needs the lock with 503', async () => {
    const room = await createRoom(server.url);
    const created = await createUpload(server.url, 1000, uploadMetadata(room));
    expect([created.status, created.text]).toEqual([201, '']);
    const head = await headUpload(uploadUrl(server.url, created));
    expect([head.status, head.headers.get('content-type')]).toEqual([503, 'application/json; charset=utf-8']);
    const patch = await patchUpload(uploadUrl(server.url, created), 0, Buffer.alloc(1000));
    expect([patch.status, patch.json.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    // The upload is still there, reserved, for when Redis is back; nothing else is.
    expect(await server.sealroom.services.files.usedBytes()).toBe(1000);
  }, 30_000);
});
