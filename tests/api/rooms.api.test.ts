import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { makeOwnerSignature, makeProof } from '../../src/services/proof';
import { createRoom, deleteRoom, ownerKeyPair, PROTOCOL, randomAuthKey } from '../support/rooms';
import { DATABASES, ManualClock, startServer, type TestServer } from '../support/server';
import { send, upload } from '../support/multipart';

/** A v2 create_room body: the version, a fresh auth key and owner key, and `extra`. */
const v2 = (extra: Record<string, unknown> = {}) => ({
  protocol: PROTOCOL,
  auth: randomAuthKey(),
  owner_key: ownerKeyPair().ownerKey,
  ...extra,
});

describe.each(DATABASES)('rooms over REST (%s)', (db) => {
  let server: TestServer;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startServer({ db, clock, env: { ROOM_AGE_LIMIT: '60' } });
  });
  afterAll(() => server.close());

  describe('POST /create_room', () => {
    it('creates a room with a random 128-bit id when none is given', async () => {
      const res = await request(server.url).post('/create_room').send(v2());
      expect(res.status).toBe(201);
      expect(res.body.room_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(res.body.created_at).toBe(clock.now());
      expect(res.body.expires_at).toBe(clock.now() + 60 * 60_000);
      expect(res.body.password).toBeUndefined();
    });

    it('creates a room with a custom id, and refuses the same id twice with 409 ROOM_EXISTS', async () => {
      const first = await request(server.url)
        .post('/create_room')
        .send(v2({ room_id: 'custom-room_1' }));
      expect(first.status).toBe(201);
      expect(first.body.room_id).toBe('custom-room_1');
      const second = await request(server.url)
        .post('/create_room')
        .send(v2({ room_id: 'custom-room_1' }));
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
      const res = await request(server.url)
        .post('/create_room')
        .send(v2({ room_id: roomId }));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details)).toContain('room_id');
    });

    const badBodies: Array<[string, Record<string, unknown>, string]> = [
      ['a missing auth key', { auth: undefined }, 'auth'],
      ['an auth key of the wrong length', { auth: 'c2hvcnQ' }, 'auth'],
      ['an auth key with padding', { auth: `${randomAuthKey().slice(0, 42)}=` }, 'auth'],
      ['a missing owner key', { owner_key: undefined }, 'owner_key'],
      ['an owner key of the wrong length', { owner_key: 'c2hvcnQ' }, 'owner_key'],
      ['an owner key that is not canonical base64url', { owner_key: `${ownerKeyPair().ownerKey.slice(0, 42)}_` }, 'owner_key'],
      ['an owner key that is not a curve point', { owner_key: Buffer.alloc(32, 0xff).toString('base64url') }, 'owner_key'],
      [
        'an owner key of small order (the identity)',
        { owner_key: Buffer.from('01'.padEnd(64, '0'), 'hex').toString('base64url') },
        'owner_key',
      ],
      ['too few KDF iterations', { password: { salt: 'pVnCv0B1yqtKqU6O0F8ZmQ', iterations: 599_999 } }, 'iterations'],
      ['a malformed salt', { password: { salt: 'short', iterations: 600_000 } }, 'salt'],
      ['an unknown field', { secret: 'AAAA' }, 'secret'],
      ['an unknown nested field', { password: { salt: 'pVnCv0B1yqtKqU6O0F8ZmQ', iterations: 600_000, pw: 'x' } }, 'pw'],
    ];
    it.each(badBodies)('refuses %s', async (_what, body, field) => {
      const res = await request(server.url).post('/create_room').send(v2(body));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error)).toContain(field);
    });

    it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
      const res = await request(server.url).post('/create_room').set('content-type', 'application/json').send('{"protocol": ');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MALFORMED_JSON');
    });

    it('refuses a JSON body over the cap with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await request(server.url)
        .post('/create_room')
        .send(v2({ pad: 'x'.repeat(20_000) }));
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('refuses a v1 body (no protocol) or another version with 400 UNSUPPORTED_VERSION, before validating the rest', async () => {
      const bodies: Array<Record<string, unknown>> = [
        { auth: randomAuthKey() }, // what a v1 client sends
        { protocol: 'sealroom/v1', auth: randomAuthKey() },
        { protocol: 'sealroom/v3', room_id: '../bad', auth: 'short' },
        { ...v2(), protocol: undefined },
      ];
      for (const body of bodies) {
        const res = await request(server.url).post('/create_room').send(body);
        expect([res.status, res.body.error.code]).toEqual([400, 'UNSUPPORTED_VERSION']);
        expect(res.body.error.message).toContain('sealroom/v2');
      }
    });

    it('never returns the auth key', async () => {
      const auth = randomAuthKey();
      const created = await request(server.url).post('/create_room').send(v2({ auth }));
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
      const again = await request(server.url)
        .post('/create_room')
        .send(v2({ room_id: 'short-lived-room' }));
      expect(again.status).toBe(201);
    });
  });

  describe('DELETE /rooms/{room_id} (owner only)', () => {
    const exists = async (roomId: string) => (await request(server.url).get('/room_exists').query({ room_id: roomId })).status;

    it("deletes a room with the owner's signature", async () => {
      const room = await createRoom(server.url);
      const res = await deleteRoom(server.url, room, clock.now());
      expect(res.status).toBe(204);
      expect(await exists(room.roomId)).toBe(404);
      expect((await deleteRoom(server.url, room, clock.now())).status).toBe(404);
    });

    it("finding 3: a member holding the room's auth key cannot delete the room; only the owner can", async () => {
      const room = await createRoom(server.url);
      // Every member holds `auth`: a v1-style delete proof, and every room proof it can make, deletes nothing.
      const v1Proof = `${Math.floor(clock.now() / 1000)}.${makeProof(room.auth, 'join', room.roomId, clock.now()).split('.')[1]}`;
      for (const proof of [v1Proof, room.proof('upload', clock.now()), room.proof('join', clock.now())]) {
        const res = await request(server.url).delete(`/rooms/${room.roomId}`).set('x-room-proof', proof);
        expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      // A member who makes up an owner key pair of its own signs in vain.
      const member = ownerKeyPair();
      const forged = await request(server.url)
        .delete(`/rooms/${room.roomId}`)
        .set('x-owner-signature', makeOwnerSignature(member.privateKey, room.roomId, clock.now()));
      expect([forged.status, forged.body.error.code]).toEqual([403, 'OWNER_SIGNATURE_INVALID']);
      expect(await exists(room.roomId)).toBe(200);
      // The owner can.
      expect((await deleteRoom(server.url, room, clock.now())).status).toBe(204);
      expect(await exists(room.roomId)).toBe(404);
    });

    it('refuses a missing signature with 400', async () => {
      const room = await createRoom(server.url);
      const res = await request(server.url).delete(`/rooms/${room.roomId}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses signatures that are forged, stale, future-dated, for another room, or malformed', async () => {
      const room = await createRoom(server.url);
      const other = await createRoom(server.url);
      const now = clock.now();
      const sig = room.ownerSignature(now);
      const [ts, mac] = sig.split('.');
      const flipped = Buffer.from(mac, 'base64url');
      flipped[0] ^= 1;
      const cases: Array<[string, string, number, string]> = [
        ['signed by another key', makeOwnerSignature(ownerKeyPair().privateKey, room.roomId, now), 403, 'OWNER_SIGNATURE_INVALID'],
        ['a flipped bit', `${ts}.${flipped.toString('base64url')}`, 403, 'OWNER_SIGNATURE_INVALID'],
        ['another timestamp than signed', `${Number(ts) - 1}.${mac}`, 403, 'OWNER_SIGNATURE_INVALID'],
        ['a timestamp with a leading zero', `0${ts}.${mac}`, 403, 'OWNER_SIGNATURE_INVALID'],
        ['stale', room.ownerSignature(now - 111_000), 403, 'PROOF_EXPIRED'],
        ['future-dated by 60 s', room.ownerSignature(now + 60_000), 403, 'PROOF_EXPIRED'],
        [
          "the other room's owner signing for this room",
          makeOwnerSignature(other.ownerPrivateKey, room.roomId, now),
          403,
          'OWNER_SIGNATURE_INVALID',
        ],
        ["another room's signature replayed", other.ownerSignature(now), 403, 'OWNER_SIGNATURE_INVALID'],
        ['random bytes', `${ts}.${randomBytes(64).toString('base64url')}`, 403, 'OWNER_SIGNATURE_INVALID'],
        ['an HMAC-sized value', `${ts}.${randomBytes(32).toString('base64url')}`, 400, 'VALIDATION_FAILED'],
      ];
      for (const [what, signature, status, code] of cases) {
        const res = await request(server.url).delete(`/rooms/${room.roomId}`).set('x-owner-signature', signature);
        expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status, code });
      }
      expect(await exists(room.roomId)).toBe(200);
    });

    it('accepts a signature at the edges of the window: 110 s old, 10 s ahead', async () => {
      const old = await createRoom(server.url);
      // Proofs carry whole seconds: the oldest accepted is the first whole second at or after now - 110 s.
      expect((await deleteRoom(server.url, old, Math.ceil(clock.now() / 1000) * 1000 - 110_000)).status).toBe(204);
      const ahead = await createRoom(server.url);
      expect((await deleteRoom(server.url, ahead, clock.now() + 10_000)).status).toBe(204);
    });
  });

  describe('the proof window (issue 15 finding 5)', () => {
    it('finding 5: a future-dated proof (+60 s, +119 s) is refused with PROOF_EXPIRED; the window is now-110 s ... now+10 s', async () => {
      const room = await createRoom(server.url);
      const now = clock.now();
      const attempt = async (offsetMs: number) => {
        const res = await upload(server.url, room.roomId, room.proof('upload', now + offsetMs), randomBytes(10));
        return res.status === 201 ? 'accepted' : res.json().error.code;
      };
      expect(await attempt(60_000)).toBe('PROOF_EXPIRED');
      expect(await attempt(119_000)).toBe('PROOF_EXPIRED');
      expect(await attempt(11_000)).toBe('PROOF_EXPIRED');
      expect(await attempt(-111_000)).toBe('PROOF_EXPIRED');
      expect(await attempt(10_000)).toBe('accepted');
      expect(await attempt(0)).toBe('accepted');
      // Proofs carry whole seconds: the oldest accepted is the first whole second at or after now - 110 s.
      expect(await attempt(Math.ceil(now / 1000) * 1000 - now - 110_000)).toBe('accepted');
    });
  });

  it('answers unknown routes with 404 NOT_FOUND in the error shape', async () => {
    const res = await send(server.url, { method: 'GET', path: '/nope' });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
