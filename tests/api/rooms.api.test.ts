import request from 'supertest';
import { makeProof } from '../../src/services/proof';
import { createRoom, randomAuthKey } from '../support/rooms';
import { DATABASES, ManualClock, startServer, type TestServer } from '../support/server';
import { send } from '../support/multipart';

describe.each(DATABASES)('rooms over REST (%s)', (db) => {
  let server: TestServer;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startServer({ db, clock, env: { ROOM_AGE_LIMIT: '60' } });
  });
  afterAll(() => server.close());

  describe('POST /create_room', () => {
    it('creates a room with a random 128-bit id when none is given', async () => {
      const res = await request(server.url).post('/create_room').send({ auth: randomAuthKey() });
      expect(res.status).toBe(201);
      expect(res.body.room_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(res.body.created_at).toBe(clock.now());
      expect(res.body.expires_at).toBe(clock.now() + 60 * 60_000);
      expect(res.body.password).toBeUndefined();
    });

    it('creates a room with a custom id, and refuses the same id twice with 409 ROOM_EXISTS', async () => {
      const first = await request(server.url).post('/create_room').send({ room_id: 'custom-room_1', auth: randomAuthKey() });
      expect(first.status).toBe(201);
      expect(first.body.room_id).toBe('custom-room_1');
      const second = await request(server.url).post('/create_room').send({ room_id: 'custom-room_1', auth: randomAuthKey() });
      expect(second.status).toBe(409);
      expect(second.body).toEqual({ error: { code: 'ROOM_EXISTS', message: expect.any(String) } });
    });

    it('keeps the KDF parameters of a password room and returns them from /room_exists', async () => {
      const password = { salt: 'pVnCv0B1yqtKqU6O0F8ZmQ', iterations: 650_000 };
      const room = await createRoom(server.url, { password });
      const res = await request(server.url).get('/room_exists').query({ room_id: room.roomId });
      expect(res.status).toBe(200);
      expect(res.body.password).toEqual(password);
    });

    const badIds: Array<[string, unknown]> = [
      ['too short', 'abcde'],
      ['too long', 'a'.repeat(37)],
      ['a slash', 'abc/def'],
      ['dot-dot', '..abcd'],
      ['a NUL byte', 'abc\u0000def'],
      ['non-ASCII', 'zimmer-ü-12'],
      ['a space', 'abc def'],
      ['not a string', 123456],
    ];
    it.each(badIds)('refuses a room id with %s (400 VALIDATION_FAILED naming the field)', async (_what, roomId) => {
      const res = await request(server.url).post('/create_room').send({ room_id: roomId, auth: randomAuthKey() });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details)).toContain('room_id');
    });

    const badBodies: Array<[string, Record<string, unknown>, string]> = [
      ['a missing auth key', {}, 'auth'],
      ['an auth key of the wrong length', { auth: 'c2hvcnQ' }, 'auth'],
      ['an auth key with padding', { auth: `${randomAuthKey().slice(0, 42)}=` }, 'auth'],
      [
        'too few KDF iterations',
        { auth: randomAuthKey(), password: { salt: 'pVnCv0B1yqtKqU6O0F8ZmQ', iterations: 599_999 } },
        'iterations',
      ],
      ['a malformed salt', { auth: randomAuthKey(), password: { salt: 'short', iterations: 600_000 } }, 'salt'],
      ['an unknown field', { auth: randomAuthKey(), secret: 'AAAA' }, 'secret'],
      [
        'an unknown nested field',
        { auth: randomAuthKey(), password: { salt: 'pVnCv0B1yqtKqU6O0F8ZmQ', iterations: 600_000, pw: 'x' } },
        'pw',
      ],
    ];
    it.each(badBodies)('refuses %s', async (_what, body, field) => {
      const res = await request(server.url).post('/create_room').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error)).toContain(field);
    });

    it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
      const res = await request(server.url).post('/create_room').set('content-type', 'application/json').send('{"auth": ');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MALFORMED_JSON');
    });

    it('refuses a JSON body over the cap with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await request(server.url)
        .post('/create_room')
        .send({ auth: randomAuthKey(), pad: 'x'.repeat(20_000) });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('never returns the auth key', async () => {
      const auth = randomAuthKey();
      const created = await request(server.url).post('/create_room').send({ auth });
      const looked = await request(server.url).get('/room_exists').query({ room_id: created.body.room_id });
      expect(JSON.stringify(created.body)).not.toContain(auth);
      expect(JSON.stringify(looked.body)).not.toContain(auth);
    });
  });

  describe('GET /room_exists', () => {
    it('answers 404 ROOM_NOT_FOUND for an unknown room', async () => {
      const res = await request(server.url).get('/room_exists').query({ room_id: 'no-such-room' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ROOM_NOT_FOUND');
    });

    it('answers 400 for a path-like room id', async () => {
      const res = await request(server.url).get('/room_exists').query({ room_id: '../../etc/passwd' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('treats an idle room as gone the moment it expires, and lets its id be reused', async () => {
      const room = await createRoom(server.url, { room_id: 'short-lived-room' });
      clock.advance(60 * 60_000);
      const res = await request(server.url).get('/room_exists').query({ room_id: room.roomId });
      expect(res.status).toBe(404);
      const again = await request(server.url).post('/create_room').send({ room_id: 'short-lived-room', auth: randomAuthKey() });
      expect(again.status).toBe(201);
    });
  });

  describe('DELETE /rooms/{room_id}', () => {
    it('deletes a room with a valid delete proof', async () => {
      const room = await createRoom(server.url);
      const res = await request(server.url).delete(`/rooms/${room.roomId}`).set('x-room-proof', room.proof('delete', clock.now()));
      expect(res.status).toBe(204);
      expect((await request(server.url).get('/room_exists').query({ room_id: room.roomId })).status).toBe(404);
      const twice = await request(server.url).delete(`/rooms/${room.roomId}`).set('x-room-proof', room.proof('delete', clock.now()));
      expect(twice.status).toBe(404);
    });

    it('refuses a missing proof with 400', async () => {
      const room = await createRoom(server.url);
      const res = await request(server.url).delete(`/rooms/${room.roomId}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses proofs that are forged, stale, future-dated, for another room or for another purpose', async () => {
      const room = await createRoom(server.url);
      const other = await createRoom(server.url);
      const now = clock.now();
      const cases: Array<[string, string, string]> = [
        ['forged', makeProof(randomAuthKey(), 'delete', room.roomId, now), 'PROOF_INVALID'],
        ['stale', room.proof('delete', now - 121_000), 'PROOF_EXPIRED'],
        ['future-dated', room.proof('delete', now + 121_000), 'PROOF_EXPIRED'],
        ['made for another room', makeProof(other.auth, 'delete', room.roomId, now), 'PROOF_INVALID'],
        ["another room's proof replayed", other.proof('delete', now), 'PROOF_INVALID'],
        ['made for uploads', room.proof('upload', now), 'PROOF_INVALID'],
        ['made for joining', room.proof('join', now), 'PROOF_INVALID'],
      ];
      for (const [what, proof, code] of cases) {
        const res = await request(server.url).delete(`/rooms/${room.roomId}`).set('x-room-proof', proof);
        expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status: 403, code });
      }
      // Still there.
      expect((await request(server.url).get('/room_exists').query({ room_id: room.roomId })).status).toBe(200);
    });

    it('accepts a proof at the edge of the window', async () => {
      const room = await createRoom(server.url);
      const res = await request(server.url)
        .delete(`/rooms/${room.roomId}`)
        .set('x-room-proof', room.proof('delete', clock.now() - 119_000));
      expect(res.status).toBe(204);
    });
  });

  it('answers unknown routes with 404 NOT_FOUND in the error shape', async () => {
    const res = await send(server.url, { method: 'GET', path: '/nope' });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
