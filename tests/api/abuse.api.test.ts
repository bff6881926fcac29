import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { io as connectClient } from 'socket.io-client';
import request from 'supertest';
import { makeOwnerSignature, makeProof } from '../../src/services/proof';
import { uploadForm } from '../support/multipart';
import { PROTOCOL, TEST_DOWNLOAD_KEY, createRoom, deleteRoom, ownerKeyPair, randomAuthKey, type TestRoom } from '../support/rooms';
import { sealed } from '../support/sockets';
import { DATABASES, startServer, type TestServer } from '../support/server';

/**
 * The attacks of issue 16, each through the real server. Clients at different addresses are real: the
 * server listens on 127.0.0.1 and each test client binds its own loopback address (127.0.0.2, 127.0.0.3, ...).
 */

const KiB = 1024;

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** An HTTP request from `localAddress`, answered in full. */
function call(
  server: TestServer,
  localAddress: string,
  opts: { method: string; path: string; headers?: http.OutgoingHttpHeaders; body?: Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(opts.path, server.url),
      { method: opts.method, headers: opts.headers, localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A v2 create_room body with fresh keys. */
function newRoomBody(): { protocol: string; auth: string; owner_key: string } {
  return { protocol: PROTOCOL, auth: randomAuthKey(), owner_key: ownerKeyPair().ownerKey };
}

async function createRoomFrom(server: TestServer, localAddress: string): Promise<TestRoom> {
  const auth = randomAuthKey();
  const owner = ownerKeyPair();
  const res = await call(server, localAddress, {
    method: 'POST',
    path: '/create_room',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ protocol: PROTOCOL, auth, owner_key: owner.ownerKey })),
  });
  if (res.status !== 201) throw new Error(`create_room: ${res.status} ${JSON.stringify(res.body)}`);
  const roomId = res.body.room_id as string;
  return {
    roomId,
    auth,
    ownerKey: owner.ownerKey,
    ownerPrivateKey: owner.privateKey,
    proof: (purpose, nowMs = Date.now()) => makeProof(auth, purpose, roomId, nowMs),
    ownerSignature: (nowMs = Date.now()) => makeOwnerSignature(owner.privateKey, roomId, nowMs),
  };
}

/** An owner signature made with a key that owns no room. */
const forgedOwnerSignature = (roomId: string) => makeOwnerSignature(ownerKeyPair().privateKey, roomId, Date.now());

function uploadFrom(server: TestServer, localAddress: string, room: TestRoom, bytes: number, headers: http.OutgoingHttpHeaders = {}) {
  const form = uploadForm(room.roomId, room.proof('upload'), randomBytes(bytes));
  return call(server, localAddress, {
    method: 'POST',
    path: '/upload_file',
    headers: { 'content-type': form.contentType, 'content-length': form.body.length, ...headers },
    body: form.body,
  });
}

/**
 * The trickle attack: an upload that declares `declared` bytes and then sends one byte every `everyMs`.
 * `answer` resolves with the server's response whenever it comes (a refusal at once, or a cut later).
 */
function trickle(server: TestServer, localAddress: string, room: TestRoom, declared: number, everyMs = 400) {
  const boundary = `----trickle${randomBytes(6).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="protocol"\r\n\r\n${PROTOCOL}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="room_id"\r\n\r\n${room.roomId}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="proof"\r\n\r\n${room.proof('upload')}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="size"\r\n\r\n${declared}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="download_key"\r\n\r\n${TEST_DOWNLOAD_KEY}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const req = http.request(new URL('/upload_file', server.url), {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    localAddress,
    agent: false,
  });
  req.write(head);
  const timer = setInterval(() => req.write(Buffer.from([0x42])), everyMs);
  const answer = new Promise<Answer & { afterMs: number }>((resolve) => {
    const started = Date.now();
    req.on('response', (res) => {
      clearInterval(timer);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, afterMs: Date.now() - started });
        req.destroy();
      });
    });
    req.on('error', () => {
      clearInterval(timer);
      resolve({ status: 0, body: {}, afterMs: Date.now() - started });
    });
  });
  return {
    answer,
    stop: () => {
      clearInterval(timer);
      req.destroy();
    },
  };
}

/** The promise's value, or `{status: 'no answer'}` after `ms`. */
const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([promise, new Promise<{ status: string }>((resolve) => setTimeout(() => resolve({ status: 'no answer' }), ms).unref())]);

const waitFor = async (check: () => Promise<boolean>, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The shipped defaults for the limits under test (the suite's TEST_ENV turns them off for other tests). */
const DEFAULT_UPLOAD_LIMITS = {
  UPLOAD_IP_SHARE: '25',
  UPLOAD_ROOM_SHARE: '50',
  UPLOAD_MAX_PER_IP: '4',
  UPLOAD_MAX_PER_ROOM: '8',
  UPLOAD_MIN_RATE: '10240',
};

describe.each(DATABASES)('attack 1: one client holding the storage quota (%s)', (db) => {
  let server: TestServer;
  beforeEach(async () => {
    // A 4 MiB quota (FOLDER_SIZE_LIMIT is in GB), 1 MB files; a short grace so the test does not wait 10 s.
    server = await startServer({
      db,
      env: { ...DEFAULT_UPLOAD_LIMITS, FOLDER_SIZE_LIMIT: String(4 / 1024), UPLOAD_SIZE_LIMIT: '1', UPLOAD_RATE_GRACE: '2' },
    });
  });
  afterEach(() => server.close());

  it('trickled uploads from one address cannot fill the quota: another room can still upload, and a stalled upload is cut', async () => {
    const used = () => server.sealroom.services.files.usedBytes();
    // The attacker makes five rooms (free) and starts five uploads of 1000 KiB each, trickling a byte at a time.
    const attacker = '127.0.0.2';
    const rooms = await Promise.all([1, 2, 3, 4, 5].map(() => createRoomFrom(server, attacker)));
    const first = trickle(server, attacker, rooms[0], 1000 * KiB);
    await waitFor(async () => (await used()) > 0);
    const others = rooms.slice(1).map((room) => trickle(server, attacker, room, 1000 * KiB));
    try {
      // Each further reservation would exceed the attacker's 25 % share: refused at once, with its own code.
      const answers = await Promise.all(others.map((t) => within(3000, t.answer)));

      // Someone else, in another room, uploads while the attack goes on (before the change: 507 STORAGE_FULL).
      const victim = await createRoomFrom(server, '127.0.0.3');
      const upload = await uploadFrom(server, '127.0.0.3', victim, 1000 * KiB);
      expect([upload.status, upload.body.error?.code]).toEqual([201, undefined]);
      for (const a of answers) expect(a).toMatchObject({ status: 507, body: { error: { code: 'IP_QUOTA_EXCEEDED' } } });
      expect(await used()).toBeLessThanOrEqual(2000 * KiB);

      // The trickle falls below UPLOAD_MIN_RATE past its grace period: cut with 408, its reservation given back at once.
      const cut = await first.answer;
      expect(cut).toMatchObject({ status: 408, body: { error: { code: 'UPLOAD_TOO_SLOW' } } });
      expect(cut.afterMs).toBeLessThan(10_000);
      expect(await used()).toBe(1000 * KiB);
    } finally {
      first.stop();
      for (const t of others) t.stop();
    }
  });

  it('refuses more than UPLOAD_MAX_PER_IP uploads at once from one address with 429 TOO_MANY_UPLOADS', async () => {
    const attacker = '127.0.0.4';
    const room = await createRoomFrom(server, attacker);
    const running = [1, 2, 3, 4].map(() => trickle(server, attacker, room, 10 * KiB));
    try {
      await waitFor(async () => (await server.sealroom.services.files.usedBytes()) === 40 * KiB);
      const fifth = trickle(server, attacker, room, 10 * KiB);
      expect(await within(3000, fifth.answer)).toMatchObject({ status: 429, body: { error: { code: 'TOO_MANY_UPLOADS' } } });
      fifth.stop();
      // Another address is not held up by it.
      const other = await createRoomFrom(server, '127.0.0.5');
      expect((await uploadFrom(server, '127.0.0.5', other, 10 * KiB)).status).toBe(201);
    } finally {
      for (const t of running) t.stop();
    }
  });

  it('limits one room to its share of the quota whoever uploads, with 507 ROOM_QUOTA_EXCEEDED', async () => {
    const room = await createRoomFrom(server, '127.0.0.6');
    expect((await uploadFrom(server, '127.0.0.6', room, 1000 * KiB)).status).toBe(201);
    expect((await uploadFrom(server, '127.0.0.7', room, 1000 * KiB)).status).toBe(201);
    const third = await uploadFrom(server, '127.0.0.8', room, 1000 * KiB);
    expect(third).toMatchObject({ status: 507, body: { error: { code: 'ROOM_QUOTA_EXCEEDED' } } });
    const config = await request(server.url).get('/config');
    expect(config.body.uploads).toEqual({
      max_bytes_per_ip: 1024 * KiB,
      max_bytes_per_room: 2048 * KiB,
      max_uploads_per_ip: 4,
      max_uploads_per_room: 8,
      min_rate_bytes_per_s: 10240,
      rate_grace_ms: 2000,
    });
  });
});

describe('attack 4: probing room existence through every route that reveals it', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('DELETE /rooms/{id} counts against RATE_LIMIT_LOOKUP: 400 probes end in 429', async () => {
    server = await startServer({ env: { RATE_LIMIT_LOOKUP: '300' } });
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const roomId = `probe-${i}-room`;
      const res = await request(server.url).delete(`/rooms/${roomId}`).set('x-owner-signature', forgedOwnerSignature(roomId));
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 300).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(300).every((s) => s === 429)).toBe(true);
  });

  it('socket joins and uploads count against the same look-up limit as room_exists', async () => {
    server = await startServer({ env: { RATE_LIMIT_LOOKUP: '4' } });
    const room = await createRoom(server.url);
    const probe = await request(server.url).get('/room_exists').query({ room_id: room.roomId });
    expect(probe.status).toBe(200);
    const form = uploadForm('guess-a-room', room.proof('upload'), randomBytes(10));
    const upload = await request(server.url).post('/upload_file').set('content-type', form.contentType).send(form.body);
    expect(upload.body.error.code).toBe('ROOM_NOT_FOUND');
    const socket = connectClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    try {
      const join = (roomId: string) =>
        socket.timeout(5000).emitWithAck('room:join', {
          protocol: PROTOCOL,
          room_id: roomId,
          member_id: randomBytes(16).toString('base64url'),
          proof: room.proof('join'),
          profile: sealed(),
        });
      expect((await join('guess-b-room')).error.code).toBe('ROOM_NOT_FOUND');
      expect((await join('guess-c-room')).error.code).toBe('ROOM_NOT_FOUND');
      expect((await join('guess-d-room')).error.code).toBe('RATE_LIMITED');
    } finally {
      socket.close();
    }
  });
});

describe('attack 5: lockout and actions from another site', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('refuses state-changing calls from a foreign Origin with 403 ORIGIN_NOT_ALLOWED, before a proof is counted', async () => {
    server = await startServer({ env: { RATE_LIMIT_PROOF_FAILURES: '3' } });
    const room = await createRoom(server.url);
    const forged = makeProof(randomAuthKey(), 'upload', room.roomId, Date.now());
    for (let i = 0; i < 5; i++) {
      const form = uploadForm(room.roomId, forged, randomBytes(10));
      const res = await request(server.url)
        .post('/upload_file')
        .set('Origin', 'https://evil.example')
        .set('content-type', form.contentType)
        .send(form.body);
      expect([res.status, res.body.error.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    }
    const created = await request(server.url).post('/create_room').set('Origin', 'https://evil.example').send(newRoomBody());
    expect([created.status, created.body.error.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    const deleted = await request(server.url)
      .delete(`/rooms/${room.roomId}`)
      .set('Origin', 'null')
      .set('x-owner-signature', room.ownerSignature());
    expect([deleted.status, deleted.body.error.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    // The victim, same address, its own page or no Origin at all: not locked out.
    const own = await request(server.url).post('/create_room').set('Origin', server.url).send(newRoomBody());
    expect(own.status).toBe(201);
    const form = uploadForm(room.roomId, room.proof('upload'), randomBytes(10));
    const upload = await request(server.url)
      .post('/upload_file')
      .set('Origin', server.url)
      .set('content-type', form.contentType)
      .send(form.body);
    expect(upload.status).toBe(201);
    // Reads stay open to any page (CORS decides what it may see).
    expect((await request(server.url).get('/config').set('Origin', 'https://evil.example')).status).toBe(200);
  });

  it('allows the CORS_ORIGINS', async () => {
    server = await startServer({ env: { CORS_ORIGINS: 'https://app.example' } });
    const res = await request(server.url).post('/create_room').set('Origin', 'https://app.example').send(newRoomBody());
    expect(res.status).toBe(201);
  });

  it('refuses a socket handshake from a foreign Origin with connect_error ORIGIN_NOT_ALLOWED', async () => {
    server = await startServer();
    const attempt = (extraHeaders: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = connectClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
          socket.close();
          resolve(err.data?.code ?? err.message);
        });
      });
    expect(await attempt({ Origin: 'https://evil.example' })).toBe('ORIGIN_NOT_ALLOWED');
    expect(await attempt({ Origin: server.url })).toBe('connected');
    expect(await attempt({})).toBe('connected');
  });

  it('counts failed proofs per address and room: failures in one room do not lock the address out of the others', async () => {
    server = await startServer({ env: { RATE_LIMIT_PROOF_FAILURES: '3', RATE_LIMIT_PROOF_FAILURES_IP: '20' } });
    const [a, b] = [await createRoom(server.url), await createRoom(server.url)];
    const forged = forgedOwnerSignature(a.roomId);
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await request(server.url).delete(`/rooms/${a.roomId}`).set('x-owner-signature', forged)).status);
    expect(statuses).toEqual([403, 403, 403, 429]);
    expect((await deleteRoom(server.url, b)).status).toBe(204);
    // The per-address ceiling over all rooms still holds.
    const rooms = await Promise.all(Array.from({ length: 10 }, () => createRoom(server.url)));
    const spread = [];
    for (const r of rooms) {
      const bad = forgedOwnerSignature(r.roomId);
      for (let i = 0; i < 2; i++)
        spread.push((await request(server.url).delete(`/rooms/${r.roomId}`).set('x-owner-signature', bad)).status);
    }
    expect(spread.filter((s) => s === 429).length).toBeGreaterThan(0);
  });

  it('counts an IPv6 client by its /64 in every per-address limit', async () => {
    server = await startServer({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_CREATE_ROOM: '2' } });
    const create = (ip: string) => request(server.url).post('/create_room').set('X-Forwarded-For', ip).send(newRoomBody());
    expect((await create('2001:db8:1:2::1')).status).toBe(201);
    expect((await create('2001:db8:1:2:aaaa::2')).status).toBe(201);
    expect((await create('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await create('2001:db8:1:3::1')).status).toBe(201);
  });
});
