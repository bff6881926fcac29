import http from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { ensureAsyncapiDocs } from '../support/builds';
import { createRoom, downloadProof, ownerKeyPair, PROTOCOL, randomAuthKey } from '../support/rooms';
import { PG_ADMIN_URL, startServer, type TestServer } from '../support/server';
import { send, uploadForm } from '../support/multipart';
import { eventually } from '../support/storage';

describe('GET /health and GET /config', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { UPLOAD_SIZE_LIMIT: '5', FOLDER_SIZE_LIMIT: '2', FILE_AGE_LIMIT: '30', MESSAGE_BACKLOG: '50' } });
  });
  afterAll(() => server.close());

  it('reports a healthy server and its database', async () => {
    const res = await request(server.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      dependencies: { database: 'ok' },
      uptime_s: expect.any(Number),
    });
  });

  it('publishes the limits clients must respect before encrypting', async () => {
    const res = await request(server.url).get('/config');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      public_url: server.url,
      max_upload_bytes: 5 * 1024 * 1024,
      storage_limit_bytes: 2 * 1024 ** 3,
      file_age_ms: 30 * 60_000,
      kdf: { algorithm: 'PBKDF2-SHA256', min_iterations: 600_000 },
      protocol: 'sealroom/v2',
      proof_window_s: 120,
      proof_future_skew_s: 10,
      realtime: expect.objectContaining({ message_backlog: 50 }),
    });
  });
});

describe('security headers and docs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { CORS_ORIGINS: 'https://app.example' } });
  });
  afterAll(() => server.close());

  it('sets a strict CSP and the other security headers on every response', async () => {
    for (const path of ['/health', '/docs/', '/nope']) {
      const res = await request(server.url).get(path);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const spec = await request(server.url).get('/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/create_room',
        '/room_exists',
        '/rooms/{room_id}',
        '/upload_file',
        '/get_file',
        '/file_info',
        '/health',
        '/config',
      ]),
    );
    const docs = await request(server.url).get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    // Nothing inline: the page works under the site's CSP.
    expect(docs.text).not.toMatch(/<style|\sstyle="|<script>|\son[a-z]+="/);
    for (const asset of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui-init.js', '/docs/swagger-ui.css', '/docs/page.css']) {
      expect((await request(server.url).get(asset)).status).toBe(200);
    }
  });

  it('serves the AsyncAPI document and its rendered docs', async () => {
    ensureAsyncapiDocs();
    const yaml = await request(server.url).get('/asyncapi.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.headers['content-type']).toContain('yaml');
    expect(yaml.text).toContain('asyncapi: 3.0.0');
    expect((await request(server.url).get('/asyncapi')).status).toBe(301);
    const page = await request(server.url).get('/asyncapi/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sealroom realtime channel');
    expect(page.text).not.toMatch(/<style|\sstyle="|<script>|\son[a-z]+="/);
    expect((await request(server.url).get('/asyncapi/js/app.js')).status).toBe(200);
  }, 120_000);

  it('answers what the HTTP parser refuses in the same error shape', async () => {
    const huge = await send(server.url, { method: 'GET', path: `/room_exists?room_id=${'a'.repeat(20_000)}` });
    expect(huge.status).toBe(431);
    expect(huge.json()).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) } });
  });

  it('answers CORS only for the configured origins', async () => {
    const allowed = await request(server.url).get('/config').set('Origin', 'https://app.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await request(server.url).get('/config').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { RATE_LIMIT_CREATE_ROOM: '3', RATE_LIMIT_LOOKUP: '5', RATE_LIMIT_PROOF_FAILURES: '2', RATE_LIMIT_UPLOAD: '2' },
    });
  });
  afterAll(() => server.close());

  it('limits room creation per IP with 429 RATE_LIMITED and Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await request(server.url)
            .post('/create_room')
            .send({ protocol: PROTOCOL, auth: randomAuthKey(), owner_key: ownerKeyPair().ownerKey })
        ).status,
      );
    expect(statuses).toEqual([201, 201, 201, 429]);
    const res = await request(server.url)
      .post('/create_room')
      .send({ protocol: PROTOCOL, auth: randomAuthKey(), owner_key: ownerKeyPair().ownerKey });
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits room look-ups, which slows room-id enumeration', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await request(server.url)
            .get('/room_exists')
            .query({ room_id: `guess-${i}-room` })
        ).status,
      );
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
  });

  it('locks out an address after repeated failed proofs, even before checking a valid one', async () => {
    const other = await startServer({ env: { RATE_LIMIT_PROOF_FAILURES: '2' } });
    try {
      const room = await createRoom(other.url);
      const forged = () => `${Math.floor(Date.now() / 1000)}.${randomBytes(64).toString('base64url')}`;
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await request(other.url).delete(`/rooms/${room.roomId}`).set('x-owner-signature', forged())).status);
      expect(statuses).toEqual([403, 403, 429]);
      const valid = await request(other.url).delete(`/rooms/${room.roomId}`).set('x-owner-signature', room.ownerSignature());
      expect(valid.status).toBe(429);
    } finally {
      await other.close();
    }
  });

  it('limits uploads per IP', async () => {
    const room = await createRoom(server.url).catch(() => null);
    // Room creation is exhausted by the first test; use a fresh server for a clean count.
    expect(room).toBeNull();
    const other = await startServer({ env: { RATE_LIMIT_UPLOAD: '2' } });
    try {
      const r = await createRoom(other.url);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const form = uploadForm(r.roomId, r.proof('upload'), randomBytes(10));
        statuses.push((await request(other.url).post('/upload_file').set('content-type', form.contentType).send(form.body)).status);
      }
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await other.close();
    }
  });
});

describe('when the database goes away (PostgreSQL)', () => {
  let server: TestServer;
  let dbName: string;
  const admin = new Client({ connectionString: PG_ADMIN_URL });

  beforeAll(async () => {
    server = await startServer({ db: 'postgres' });
    dbName = new URL(server.databaseUrl as string).pathname.slice(1);
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
    await server.close();
  });

  it('answers 503 while it is unreachable and recovers by itself when it returns', async () => {
    const room = await createRoom(server.url);
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);

    const health = await request(server.url).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unavailable', dependencies: { database: 'down' } });
    const lookup = await request(server.url).get('/room_exists').query({ room_id: room.roomId });
    expect(lookup.status).toBe(503);
    expect(lookup.body.error.code).toBe('SERVICE_UNAVAILABLE');

    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    await eventually(async () => (await request(server.url).get('/health')).status === 200, 'health to recover');
    expect((await request(server.url).get('/room_exists').query({ room_id: room.roomId })).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('lets a download in flight finish, then stops accepting connections', async () => {
    const server = await startServer({ env: { SHUTDOWN_GRACE: '10' } });
    const room = await createRoom(server.url);
    const data = randomBytes(4 * 1024 * 1024);
    const form = uploadForm(room.roomId, room.proof('upload'), data);
    const up = await request(server.url).post('/upload_file').set('content-type', form.contentType).send(form.body);
    expect(up.status).toBe(201);

    // Start a download; as soon as its first bytes arrive, ask the server to shut down.
    const received: Buffer[] = [];
    let closing: Promise<void> | undefined;
    const done = new Promise<number>((resolve, reject) => {
      http.get(
        `${server.url}/get_file?filename=${up.body.file_id}`,
        { headers: { 'x-download-proof': downloadProof(up.body.file_id) } },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            received.push(chunk);
            closing ??= server.close();
          });
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
    });
    expect(await done).toBe(200);
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect(closing).toBeDefined();
    await closing;
    await expect(request(server.url).get('/health')).rejects.toThrow();
  });
});
