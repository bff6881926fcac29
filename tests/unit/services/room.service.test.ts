import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { makeOwnerSignature, makeProof } from '../../../src/services/proof';
import { DOWNLOAD_KEY, OWNER, serviceFixture, type ServiceFixture } from '../support/service-fixture';

const auth = () => randomBytes(32).toString('base64url');
const MINUTE = 60_000;

describe('RoomService', () => {
  let f: ServiceFixture;
  beforeEach(async () => {
    f = await serviceFixture({ ROOM_AGE_LIMIT: '60', RATE_LIMIT_PROOF_FAILURES: '3' });
  });
  afterEach(() => f.close());

  describe('create', () => {
    it('registers a room with a random id, alive for ROOM_AGE_LIMIT', async () => {
      const room = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: auth() });
      expect(room.roomId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(room).toMatchObject({ createdAt: f.clock.ms, expiresAt: f.clock.ms + 60 * MINUTE, password: null });
      expect(await f.roomRows.findById(room.roomId)).not.toBeNull();
    });

    it.each([
      [{ roomId: 'short', auth: auth() }, 'body.room_id'],
      [{ roomId: 'has space', auth: auth() }, 'body.room_id'],
      [{ auth: 'too-short' }, 'body.auth'],
      [{ auth: auth(), password: { salt: 'AAAA', iterations: 600_000 } }, 'body.password.salt'],
      [{ auth: auth(), password: { salt: randomBytes(16).toString('base64url'), iterations: 1000 } }, 'body.password.iterations'],
      [{ auth: auth(), ownerKey: 'too-short' }, 'body.owner_key'],
      [{ auth: auth(), ownerKey: Buffer.alloc(32, 0xff).toString('base64url') }, 'body.owner_key'],
    ])('refuses %j, naming %s', async (input, field) => {
      await expect(f.rooms.create({ ownerKey: OWNER.ownerKey, ...input })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field }],
      });
    });

    it('gives each room a random incarnation, a new one when its id is used again', async () => {
      const first = await f.rooms.create({ ownerKey: OWNER.ownerKey, roomId: 'reused-room', auth: auth() });
      expect(first.incarnation).toMatch(/^[A-Za-z0-9_-]{22}$/);
      await f.rooms.remove('reused-room', makeOwnerSignature(OWNER.privateKey, 'reused-room', f.clock.ms), 'ip');
      const second = await f.rooms.create({ ownerKey: OWNER.ownerKey, roomId: 'reused-room', auth: auth() });
      expect(second.incarnation).not.toBe(first.incarnation);
    });

    it('refuses a taken id, but frees the id of a room that expired and was not swept yet', async () => {
      await f.rooms.create({ ownerKey: OWNER.ownerKey, roomId: 'team-room', auth: auth() });
      await expect(f.rooms.create({ ownerKey: OWNER.ownerKey, roomId: 'team-room', auth: auth() })).rejects.toMatchObject({
        code: 'ROOM_EXISTS',
      });
      f.clock.advance(61 * MINUTE);
      await expect(f.rooms.create({ ownerKey: OWNER.ownerKey, roomId: 'team-room', auth: auth() })).resolves.toMatchObject({
        roomId: 'team-room',
      });
    });
  });

  describe('markActive', () => {
    it('pushes the expiry back at most once a minute per room (activity matters at the scale of the idle limit)', async () => {
      const { roomId } = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: auth() });
      const expiry = async () => (await f.roomRows.findById(roomId))?.expiresAt;

      f.clock.advance(10 * MINUTE);
      await f.rooms.markActive(roomId);
      expect(await expiry()).toBe(f.clock.ms + 60 * MINUTE);
      const written = f.clock.ms;

      f.clock.advance(30_000);
      await f.rooms.markActive(roomId); // within the minute: not written
      expect(await expiry()).toBe(written + 60 * MINUTE);

      f.clock.advance(30_000);
      await f.rooms.markActive(roomId);
      expect(await expiry()).toBe(f.clock.ms + 60 * MINUTE);
    });

    it('remembers only rooms active within the last interval, not every room it has seen', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: auth() })).roomId);
      for (const id of ids) await f.rooms.markActive(id);
      expect(f.rooms.rememberedActivity).toBe(5);
      f.clock.advance(61_000);
      await f.rooms.markActive(ids[0]); // a new interval: the others' entries are dropped
      expect(f.rooms.rememberedActivity).toBe(1);
      // A dropped room's next activity is still written at once, as before.
      const before = (await f.roomRows.findById(ids[1]))?.expiresAt;
      f.clock.advance(1_000);
      await f.rooms.markActive(ids[1]);
      expect((await f.roomRows.findById(ids[1]))?.expiresAt).toBe(f.clock.ms + 60 * MINUTE);
      expect(before).not.toBe(f.clock.ms + 60 * MINUTE);
    });

    it('does not bring an expired room back', async () => {
      const { roomId } = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: auth() });
      f.clock.advance(61 * MINUTE);
      await f.rooms.markActive(roomId);
      await expect(f.rooms.describe(roomId)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    });
  });

  describe('authorize', () => {
    it('accepts a proof for the purpose and the room, and tells a forged proof from an expired one', async () => {
      const key = auth();
      const { roomId } = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: key });
      await expect(f.rooms.authorize(roomId, 'join', makeProof(key, 'join', roomId, f.clock.ms), 'ip-1')).resolves.toMatchObject({
        id: roomId,
      });
      await expect(f.rooms.authorize(roomId, 'upload', makeProof(key, 'join', roomId, f.clock.ms), 'ip-1')).rejects.toMatchObject({
        code: 'PROOF_INVALID',
      });
      await expect(
        f.rooms.authorize(roomId, 'join', makeProof(key, 'join', roomId, f.clock.ms - 10 * MINUTE), 'ip-1'),
      ).rejects.toMatchObject({
        code: 'PROOF_EXPIRED',
      });
    });

    it('locks out an address after RATE_LIMIT_PROOF_FAILURES failures, even with a good proof, and no one else', async () => {
      const key = auth();
      const { roomId } = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: key });
      const forged = makeProof(auth(), 'join', roomId, f.clock.ms);
      for (let i = 0; i < 3; i++)
        await expect(f.rooms.authorize(roomId, 'join', forged, 'attacker')).rejects.toMatchObject({ code: 'PROOF_INVALID' });
      const good = makeProof(key, 'join', roomId, f.clock.ms);
      await expect(f.rooms.authorize(roomId, 'join', good, 'attacker')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      await expect(f.rooms.authorize(roomId, 'join', good, 'someone-else')).resolves.toMatchObject({ id: roomId });
    });

    it('answers ROOM_NOT_FOUND for an unknown or malformed id', async () => {
      await expect(f.rooms.authorize('no-such-room', 'join', '1.x', 'ip')).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(f.rooms.authorize('../../etc', 'join', '1.x', 'ip')).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    });
  });

  describe('remove and removeExpired', () => {
    it('deletes the room, its file rows and blobs, and tells the realtime side', async () => {
      const key = auth();
      const { roomId } = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: key });
      const fileId = await f.files.reserve({
        roomId,
        proof: makeProof(key, 'upload', roomId, f.clock.ms),
        size: 3,
        downloadKey: DOWNLOAD_KEY,
        clientKey: 'ip',
      });
      await f.files.receive(fileId, Readable.from([Buffer.from('abc')]), 3);
      await f.files.complete(fileId);
      const closed = jest.fn();
      f.events.on('closed', closed);

      const { incarnation } = await f.rooms.describe(roomId);
      await expect(
        f.rooms.remove(roomId, makeOwnerSignature(generateKeyPairSync('ed25519').privateKey, roomId, f.clock.ms), 'ip'),
      ).rejects.toMatchObject({
        code: 'OWNER_SIGNATURE_INVALID',
      });
      await f.rooms.remove(roomId, makeOwnerSignature(OWNER.privateKey, roomId, f.clock.ms), 'ip');
      expect(closed).toHaveBeenCalledWith(roomId, 'deleted', incarnation);
      expect(await f.fileRows.findById(fileId)).toBeNull();
      expect(await f.blobs.read(fileId)).toBeNull();
      await expect(f.rooms.remove(roomId, makeOwnerSignature(OWNER.privateKey, roomId, f.clock.ms), 'ip')).rejects.toMatchObject({
        code: 'ROOM_NOT_FOUND',
      });
    });

    it('removes only the rooms that expired', async () => {
      const old = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: auth() });
      f.clock.advance(30 * MINUTE);
      const young = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: auth() });
      f.clock.advance(31 * MINUTE);
      expect(await f.rooms.removeExpired()).toEqual([old.roomId]);
      await expect(f.rooms.describe(young.roomId)).resolves.toMatchObject({ roomId: young.roomId });
    });
  });
});
