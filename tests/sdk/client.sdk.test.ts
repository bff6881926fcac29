/**
 * SealroomClient (the Node entry) against a real server: rooms, members, messages, files, passwords,
 * limits checked before upload, closing, and tampered data from a hostile member.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  SealroomClient,
  SealroomError,
  SealroomServerError,
  deriveRoomKeys,
  parseInviteLink,
  encryptedSize,
  makeProof,
  PROTOCOL_VERSION,
  type RoomFile,
} from '../../sdk/src/node.js';
import { startServer, type TestServer } from '../support/server';
import { connect, connected, request as rawRequest, sealed } from '../support/sockets';
import { binaryFixture, lazySource, readAll, sha256 } from './support/sdk-fixtures';
import { FAST_REALTIME, nextEvent, record, until } from './support/room-events';
import { roomOfTwo } from './support/rooms';

let server: TestServer;
const clients: SealroomClient[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-sdk-'));

/** UPLOAD_SIZE_LIMIT is in MB; 8 MB here so that an over-limit file is cheap to describe. */
const UPLOAD_LIMIT = 8 * 1024 * 1024;

beforeAll(async () => {
  server = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '8', MESSAGE_BACKLOG: '5' } });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function client(baseUrl: string | undefined = server.url): SealroomClient {
  const c = new SealroomClient({ ...(baseUrl ? { baseUrl } : {}), realtime: FAST_REALTIME });
  clients.push(c);
  return c;
}

async function failure(action: () => Promise<unknown>): Promise<SealroomError> {
  const error = await action().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SealroomError);
  return error as SealroomError;
}

/** A room with Alice (its creator, whose client holds the owner credential) and Bob in it. */
const pair = () => roomOfTwo(() => client());

describe('rooms and messages', () => {
  it('creates a room whose invite carries the secret in the fragment', async () => {
    const invite = (await client().createRoom({ roomId: 'team-standup-1' })).link;
    const link = parseInviteLink(invite);
    expect(invite.startsWith(`${server.url}/r/team-standup-1#`)).toBe(true);
    expect(link.secret?.length).toBe(32);
    const error = await failure(() => client().createRoom({ roomId: 'team-standup-1' }));
    expect(error).toMatchObject({ code: 'ROOM_EXISTS', status: 409 });
  });

  it('lists members with their decrypted names and reports joins and leaves', async () => {
    const invite = (await client().createRoom()).link;
    const alice = await client().join(invite, { name: 'Alice 🦊' });
    const self = { identityKey: alice.identityKey, verified: true, keyChanged: false, sameName: false };
    expect(alice.members).toEqual([{ id: alice.memberId, name: 'Alice 🦊', self: true, ...self }]);
    const joined = nextEvent(alice, 'member');
    const bob = await client().join(invite, { name: 'Bob' });
    expect((await joined).member).toEqual({
      id: bob.memberId,
      name: 'Bob',
      self: false,
      identityKey: bob.identityKey,
      verified: false,
      keyChanged: false,
      sameName: false,
    });
    expect(bob.members.map((m) => m.name)).toEqual(['Bob', 'Alice 🦊']);
    expect(alice.members.map((m) => m.name)).toEqual(['Alice 🦊', 'Bob']);

    const left = nextEvent(alice, 'member', (e) => e.type === 'left');
    await bob.leave();
    expect(await left).toMatchObject({ type: 'left', reason: 'left', member: { name: 'Bob' } });
    expect(alice.members).toHaveLength(1);
    expect(bob.state).toBe('left');
    await expect(bob.send('still here?')).rejects.toMatchObject({ code: 'ROOM_CLOSED' });
  });

  it('delivers messages both ways, in order, with replies', async () => {
    const { alice, bob } = await pair();
    const atBob = record(bob, 'message');
    const atAlice = record(alice, 'message');
    const sent = [];
    for (let i = 0; i < 20; i++) sent.push(await alice.send(`hello ${i} ✓`));
    const reply = await bob.send('hi Alice', { replyTo: sent[0].id });
    await until(() => atBob.length === 20 && atAlice.length === 1, 'messages');
    expect(atBob.map((m) => m.text)).toEqual(sent.map((m) => m.text));
    expect(atBob.map((m) => m.seq)).toEqual(sent.map((m) => m.seq));
    expect(atBob[0]).toMatchObject({ id: sent[0].id, from: { id: alice.memberId, name: 'Alice', self: false }, roomId: alice.id });
    expect(atAlice[0]).toMatchObject({ text: 'hi Alice', replyTo: sent[0].id, from: { name: 'Bob' }, seq: reply.seq });
    expect(sent[0].from).toMatchObject({ self: true, name: 'Alice' });
    // Sent concurrently, every message gets a distinct sequence number.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => alice.send(`burst ${i}`)));
    expect(new Set(burst.map((m) => m.seq)).size).toBe(10);
  });

  it('tells the others who is typing, at most once every 2 seconds', async () => {
    const { alice, bob } = await pair();
    const atBob = record(bob, 'typing');
    const atAlice = record(alice, 'typing');
    for (let i = 0; i < 5; i++) await alice.typing();
    await until(() => atBob.length === 1, 'typing');
    expect(atBob[0]).toMatchObject({ id: alice.memberId, name: 'Alice', self: false, identityKey: alice.identityKey });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([atBob.length, atAlice.length]).toEqual([1, 0]);
    await bob.leave();
    await bob.typing(); // after leaving: nothing, no error
  });

  it('refuses a message over the text limit before sending', async () => {
    const { alice } = await pair();
    const error = await failure(() => alice.send('x'.repeat(16_001)));
    expect(error.code).toBe('INVALID_INPUT');
  });

  it('gives late joiners the backlog the server keeps (MESSAGE_BACKLOG)', async () => {
    const { invite, alice } = await pair();
    for (let i = 0; i < 7; i++) await alice.send(`early ${i}`);
    const carol = await client().join(invite, { name: 'Carol' });
    expect(carol.backlog.map((m) => ('text' in m ? m.text : m.name))).toEqual(['early 2', 'early 3', 'early 4', 'early 5', 'early 6']);
  });

  it('closes the room for everyone when its owner deletes it', async () => {
    const { alice, bob } = await pair();
    const closedAtBob = nextEvent(bob, 'closed');
    const closedAtAlice = nextEvent(alice, 'closed');
    await alice.deleteRoom();
    expect(await closedAtBob).toEqual({ reason: 'deleted' });
    expect(await closedAtAlice).toEqual({ reason: 'deleted' });
    await expect(bob.send('anyone?')).rejects.toMatchObject({ code: 'ROOM_CLOSED' });
  });

  it('joins through the server named in the invite when the client has no baseUrl', async () => {
    const invite = (await client().createRoom()).link;
    const room = await client(undefined).join(invite, { name: 'Dana' });
    expect(room.state).toBe('joined');
  });

  it('refuses malformed invites and unknown rooms with typed errors', async () => {
    expect(await failure(() => client().join('not a link', { name: 'x' }))).toMatchObject({ code: 'INVALID_LINK' });
    expect(await failure(() => client().join(`${server.url}/r/abc#tooshort`, { name: 'x' }))).toMatchObject({ code: 'INVALID_LINK' });
    const invite = (await client().createRoom()).link;
    const { roomId } = parseInviteLink(invite);
    const other = invite.replace(roomId, 'no-such-room-1');
    expect(await failure(() => client().join(other, { name: 'x' }))).toMatchObject({ code: 'ROOM_NOT_FOUND' });
    // The right room with a wrong secret: the server refuses the proof.
    const wrongSecret = `${invite.split('#')[0]}#${'A'.repeat(43)}`;
    expect(await failure(() => client().join(wrongSecret, { name: 'x' }))).toMatchObject({ code: 'PROOF_INVALID' });
  });
});

describe('password rooms', () => {
  it('needs the password, refuses a wrong one, and accepts it typed with decomposed accents', async () => {
    const invite = (await client().createRoom({ password: 'Grüße, Amélie' })).link;
    expect(parseInviteLink(invite).secret).not.toBeNull();
    expect(await failure(() => client().join(invite, { name: 'Eve' }))).toMatchObject({ code: 'PASSWORD_REQUIRED' });
    const wrong = await failure(() => client().join(invite, { name: 'Eve', password: 'Grüße, Amelie' }));
    expect(wrong).toBeInstanceOf(SealroomServerError);
    expect(wrong.code).toBe('PROOF_INVALID');
    const alice = await client().join(invite, { name: 'Alice', password: 'Grüße, Amélie' });
    const bob = await client().join(invite, { name: 'Bob', password: 'Grüße, Amélie'.normalize('NFD') });
    const message = nextEvent(alice, 'message');
    await bob.send('same keys');
    expect((await message).text).toBe('same keys');
  });

  it('makes password-only rooms whose invite has no secret', async () => {
    const invite = (await client().createRoom({ password: 'correct horse', passwordOnly: true })).link;
    const link = parseInviteLink(invite);
    expect(link.passwordOnly).toBe(true);
    expect(invite.includes('#')).toBe(false);
    const alice = await client().join(invite, { name: 'Alice', password: 'correct horse' });
    expect(alice.state).toBe('joined');
    expect(await failure(() => client().join(invite, { name: 'Mallory', password: 'wrong horse' }))).toMatchObject({
      code: 'PROOF_INVALID',
    });
  });

  it('refuses a secret-less invite to a room without a password', async () => {
    const invite = (await client().createRoom()).link;
    expect(await failure(() => client().join(invite.split('#')[0], { name: 'x' }))).toMatchObject({ code: 'INVALID_LINK' });
  });
});

describe('files', () => {
  it('shares a Blob, announces it, and downloads it byte for byte from the event and from its link', async () => {
    const { alice, bob } = await pair();
    const data = binaryFixture(2 * 1024 * 1024 + 5);
    const announced = nextEvent(bob, 'file');
    const progress: number[] = [];
    const shared = await alice.shareFile(new Blob([data]), {
      name: 'data.bin',
      type: 'application/octet-stream',
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(progress.at(-1)).toBe(data.length);
    const file: RoomFile = await announced;
    expect(file).toMatchObject({
      id: shared.id,
      name: 'data.bin',
      type: 'application/octet-stream',
      size: data.length,
      encryptedSize: encryptedSize(data.length),
    });
    expect(file.from).toMatchObject({ name: 'Alice' });
    expect(file.link).toBe(shared.link);
    expect(file.link.startsWith(`${server.url}/f/${file.id}#`)).toBe(true);

    const viaEvent = await client().downloadFile(file);
    expect(viaEvent).toMatchObject({ size: data.length, name: 'data.bin' });
    expect(sha256(await readAll(viaEvent.stream))).toBe(sha256(data));

    const stranger = client(undefined); // no baseUrl: the link names the server
    const downloaded: number[] = [];
    const viaLink = await stranger.downloadFile(file.link, { onProgress: (p) => downloaded.push(p.loaded) });
    expect(sha256(await readAll(viaLink.stream))).toBe(sha256(data));
    expect(downloaded.at(-1)).toBe(data.length);
  });

  it('shares a file with its own expiry (expiresIn) and download limit', async () => {
    const { alice, bob } = await pair();
    const announced = nextEvent(bob, 'file');
    const before = Date.now();
    const shared = await alice.shareFile(new Blob(['short-lived']), { name: 'short.txt', expiresIn: 120, maxDownloads: 1 });
    expect(shared.expiresAt).toBeGreaterThanOrEqual(before + 119_000);
    expect(shared.expiresAt).toBeLessThanOrEqual(Date.now() + 121_000);
    const received = await announced;
    expect(received.expiresAt).toBe(shared.expiresAt);
    const once = await client().downloadFile(received);
    expect(Buffer.from(await readAll(once.stream)).toString()).toBe('short-lived');
    expect(await failure(() => client().downloadFile(received))).toMatchObject({ code: 'FILE_NOT_FOUND' });
    // Longer than the server keeps files: refused by the server.
    expect(await failure(() => alice.shareFile(new Blob(['x']), { name: 'x.txt', expiresIn: 10 ** 9 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('shares a Node file stream and saves a download to a path', async () => {
    const { alice, bob } = await pair();
    const source = path.join(tmp, 'report 2024.pdf');
    const data = binaryFixture(300_000);
    fs.writeFileSync(source, data);
    const announced = nextEvent(bob, 'file');
    await alice.shareFile(fs.createReadStream(source));
    const file = await announced;
    expect(file).toMatchObject({ name: 'report 2024.pdf', size: 300_000 });
    const target = path.join(tmp, 'saved.pdf');
    const saved = await client().saveFile(file, target);
    expect(saved).toMatchObject({ path: target, size: 300_000, name: 'report 2024.pdf' });
    expect(sha256(fs.readFileSync(target))).toBe(sha256(data));
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('leaves no file behind when a download with the wrong key is refused', async () => {
    const { alice } = await pair();
    const shared = await alice.shareFile(new Blob([binaryFixture(200_000)]), { name: 'x.bin' });
    const target = path.join(tmp, 'wrong-key.bin');
    // The wrong key makes the wrong download proof: the server refuses before sending anything.
    const error = await failure(() => client().saveFile({ fileId: shared.id, key: new Uint8Array(32) }, target));
    expect(error).toMatchObject({ code: 'PROOF_INVALID', status: 403 });
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('takes a Web stream with its size, and refuses one without', async () => {
    const { alice, bob } = await pair();
    const announced = nextEvent(bob, 'file');
    const source = lazySource(100_000);
    await alice.shareFile(source.stream, { name: 'stream.bin', size: 100_000 });
    expect((await announced).size).toBe(100_000);
    expect(await failure(() => alice.shareFile(lazySource(10).stream, { name: 'x' }))).toMatchObject({ code: 'INVALID_SOURCE' });
    expect(await failure(() => alice.shareFile(new Blob(['x'])))).toMatchObject({ code: 'INVALID_INPUT' }); // no name
    expect(await failure(() => alice.shareFile(new Blob(['x']), { name: '../etc/passwd' }))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses a file over the upload limit before reading or sending any of it', async () => {
    const { alice } = await pair();
    const limit = (await client().getConfig()).max_upload_bytes;
    expect(limit).toBe(UPLOAD_LIMIT);
    // The largest plaintext whose ciphertext fits, and one byte more.
    let fits = limit - 16 * (Math.floor(limit / 65_536) + 1);
    while (encryptedSize(fits + 1) <= limit) fits++;
    expect(encryptedSize(fits)).toBeLessThanOrEqual(limit);
    expect(encryptedSize(fits + 1)).toBeGreaterThan(limit);

    const tooBig = lazySource(fits + 1);
    const error = await failure(() => alice.shareFile(tooBig.stream, { name: 'big.bin', size: fits + 1 }));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error).not.toBeInstanceOf(SealroomServerError); // refused by the client, not by the server
    expect(tooBig.pulled()).toBe(0);

    const justFits = lazySource(fits);
    const shared = await alice.shareFile(justFits.stream, { name: 'fits.bin', size: fits });
    expect(shared.encryptedSize).toBeLessThanOrEqual(limit);
  });

  it('says UPLOADS_DISABLED before encrypting when the server takes no uploads', async () => {
    const noUploads = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '0' } });
    try {
      const c = new SealroomClient({ baseUrl: noUploads.url, realtime: FAST_REALTIME });
      const room = await c.join((await c.createRoom()).link, { name: 'Alice' });
      const source = lazySource(10);
      expect(await failure(() => room.shareFile(source.stream, { name: 'x', size: 10 }))).toMatchObject({ code: 'UPLOADS_DISABLED' });
      expect(source.pulled()).toBe(0);
      await c.close();
    } finally {
      await noUploads.close();
    }
  });

  it('aborts a file share when its signal fires', async () => {
    const { alice } = await pair();
    const controller = new AbortController();
    const source = lazySource(6 * 1024 * 1024);
    const error = await failure(() =>
      alice.shareFile(source.stream, {
        name: 'x.bin',
        size: 6 * 1024 * 1024,
        signal: controller.signal,
        onProgress: (p) => p.loaded > 1024 * 1024 && controller.abort(),
      }),
    );
    expect(error.code).toBe('ABORTED');
  });

  it('reports FILE_NOT_FOUND for a link to a file that is gone', async () => {
    const { alice } = await pair();
    const shared = await alice.shareFile(new Blob(['once']), { name: 'once.txt', maxDownloads: 1 });
    expect(new TextDecoder().decode(await readAll((await client().downloadFile(shared.link)).stream))).toBe('once');
    expect(await failure(() => client().downloadFile(shared.link))).toMatchObject({ code: 'FILE_NOT_FOUND', status: 404 });
  });
});

describe('hostile members', () => {
  it('drops a profile and a message that do not authenticate, reports them, and carries on', async () => {
    const { invite, alice } = await pair();
    // Mallory has the invite (so a valid join proof) but sends ciphertext that is not sealed with the room key.
    const link = parseInviteLink(invite);
    const keys = await deriveRoomKeys({ roomId: link.roomId, secret: link.secret });
    const socket = connect(server.url);
    await connected(socket);
    const dropped = record(alice, 'dropped');
    const messages = record(alice, 'message');
    const joined = await rawRequest(socket, 'room:join', {
      protocol: PROTOCOL_VERSION,
      room_id: link.roomId,
      member_id: 'mallory-01',
      proof: await makeProof(keys.auth, 'join', link.roomId),
      profile: sealed(),
    });
    expect(joined.ok).toBe(true);
    await rawRequest(socket, 'message:send', { room_id: link.roomId, id: 'forged-message-1', ...sealed() });
    await until(() => dropped.length === 2, 'the dropped profile and message');
    expect(dropped[0]).toEqual({ roomId: link.roomId, kind: 'profile', memberId: 'mallory-01', id: 'mallory-01', reason: 'undecryptable' });
    // Without a verified profile there is no key to check the message with: it is not even opened.
    expect(dropped[1]).toEqual({
      roomId: link.roomId,
      kind: 'message',
      memberId: 'mallory-01',
      id: 'forged-message-1',
      reason: 'unknown_sender',
    });
    const mallory = alice.members.find((m) => m.id === 'mallory-01');
    expect(mallory?.name).toBeNull(); // its profile did not open
    expect(mallory?.identityKey).toBeNull();
    const bob = alice.members.find((m) => m.name === 'Bob');
    expect(bob).toBeDefined();
    socket.disconnect();
    expect(messages).toEqual([]);
  });
});
