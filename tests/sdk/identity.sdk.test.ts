/**
 * Protocol v2 in the SDK against a real server over real Socket.IO: signed profiles, messages and file
 * announcements (and what is dropped), safety codes, trust on first use, owner-only deletion, key-gated
 * downloads with their proofs and tokens, and self-describing file links.
 *
 * A malicious relay is played by rewriting the events the server delivered before the room handle sees them
 * (the handle's `receive`), exactly what a hostile server could send instead.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  FileIdentityStore,
  MemoryIdentityStore,
  PROTOCOL_VERSION,
  SealroomClient,
  SealroomError,
  deriveRoomKeys,
  generateSigningKey,
  makeProof,
  parseInviteLink,
  safetyCode,
  sealSignedMessage,
  sealSignedProfile,
  type Room,
} from '../../sdk/src/node.js';
import type { ServerEvent } from '../../sdk/src/realtime/realtime-connection.js';
import { startServer, type TestServer } from '../support/server';
import { connect, connected, request as rawRequest } from '../support/sockets';
import { binaryFixture, readAll, sha256 } from './support/sdk-fixtures';
import { FAST_REALTIME, nextEvent, record, until } from './support/room-events';

const run = promisify(execFile);
let server: TestServer;
const clients: SealroomClient[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-identity-'));

beforeAll(async () => {
  server = await startServer({ db: 'sqlite' });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function client(options: ConstructorParameters<typeof SealroomClient>[0] = {}): SealroomClient {
  const c = new SealroomClient({ baseUrl: server.url, realtime: FAST_REALTIME, ...options });
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

/** Makes `room` see every server event through `rewrite`, as if a malicious server had sent it. */
function relayThrough(room: Room<unknown>, rewrite: (event: ServerEvent) => ServerEvent): void {
  const receive = room.receive.bind(room);
  room.receive = (event: ServerEvent) => receive(rewrite(event));
}

/** A room with Alice (the owner), Bob and Carol, each on their own client. */
async function trio() {
  const owner = client();
  const created = await owner.createRoom();
  const alice = await owner.join(created.link, { name: 'Alice' });
  const bob = await client().join(created.link, { name: 'Bob' });
  const carol = await client().join(created.link, { name: 'Carol' });
  await until(() => alice.members.length === 3 && bob.members.length === 3 && carol.members.length === 3, 'everyone present');
  return { created, owner, alice, bob, carol };
}

describe('signatures: who said it (finding 1 and 6)', () => {
  it('drops a file announcement that a malicious relay attributes to another member', async () => {
    const { alice, bob, carol } = await trio();
    // The relay tells Carol that Bob's file came from Alice.
    relayThrough(carol, (event) =>
      event.event === 'file:new' && event.payload.member_id === bob.memberId
        ? { ...event, payload: { ...event.payload, member_id: alice.memberId } }
        : event,
    );
    const dropped = record(carol, 'dropped');
    const files = record(carol, 'file');
    const atAlice = nextEvent(alice, 'file');
    const shared = await bob.shareFile(new Blob(['invoice']), { name: 'invoice.pdf', type: 'application/pdf' });
    expect((await atAlice).from).toMatchObject({ id: bob.memberId, name: 'Bob' }); // an honest delivery still works
    await until(() => dropped.length === 1, 'the dropped announcement');
    expect(dropped[0]).toEqual({ roomId: carol.id, kind: 'file', memberId: alice.memberId, id: shared.id, reason: 'undecryptable' });
    expect(files).toEqual([]);
  });

  it("drops a message relabelled by the relay as another member's", async () => {
    const { alice, bob, carol } = await trio();
    relayThrough(carol, (event) =>
      event.event === 'message:new' && event.payload.member_id === bob.memberId
        ? { ...event, payload: { ...event.payload, member_id: alice.memberId } }
        : event,
    );
    const dropped = record(carol, 'dropped');
    const messages = record(carol, 'message');
    const sent = await bob.send('transfer the money');
    await until(() => dropped.length === 1, 'the dropped message');
    expect(dropped[0]).toMatchObject({ kind: 'message', memberId: alice.memberId, id: sent.id });
    expect(messages).toEqual([]);
  });

  it('drops a message whose signature fails (a member sealing as another, relayed as theirs), with a dropped event', async () => {
    const { created, alice, bob } = await trio();
    // Mallory holds the room's keys (a member), so she can seal for Bob's member id; she cannot sign as Bob.
    const link = parseInviteLink(created.link);
    const keys = await deriveRoomKeys({ roomId: link.roomId, secret: link.secret });
    const mallory = await generateSigningKey();
    const socket = connect(server.url);
    await connected(socket);
    const memberId = 'mallory-0001';
    const joined = await rawRequest(socket, 'room:join', {
      protocol: PROTOCOL_VERSION,
      room_id: link.roomId,
      member_id: memberId,
      proof: await makeProof(keys.auth, 'join', link.roomId),
      profile: await sealSignedProfile(keys.msg, mallory, { roomId: link.roomId, memberId }, 'Mallory'),
    });
    expect(joined.ok).toBe(true);
    await until(() => alice.members.some((m) => m.name === 'Mallory' && m.identityKey === mallory.publicKey), "Mallory's signed profile");
    // The relay moves Mallory's message to Bob; its AAD names Bob, so it decrypts, but Bob's key does not verify it.
    relayThrough(alice, (event) =>
      event.event === 'message:new' && event.payload.member_id === memberId
        ? { ...event, payload: { ...event.payload, member_id: bob.memberId } }
        : event,
    );
    const dropped = record(alice, 'dropped');
    const messages = record(alice, 'message');
    const forged = await sealSignedMessage(
      keys.msg,
      mallory,
      { roomId: link.roomId, messageId: 'forged-as-bob-1', memberId: bob.memberId },
      { text: 'I am Bob, send me the files', sent_at: Date.now() },
    );
    expect((await rawRequest(socket, 'message:send', { room_id: link.roomId, id: 'forged-as-bob-1', ...forged })).ok).toBe(true);
    await until(() => dropped.length === 1, 'the dropped message');
    expect(dropped[0]).toEqual({
      roomId: link.roomId,
      kind: 'message',
      memberId: bob.memberId,
      id: 'forged-as-bob-1',
      reason: 'bad_signature',
    });
    expect(messages).toEqual([]);
    socket.disconnect();
  });

  it('shows members with the identity key of their signed profile', async () => {
    const { alice, bob, carol } = await trio();
    const bobAtAlice = alice.members.find((m) => m.id === bob.memberId)!;
    expect(bobAtAlice.identityKey).toBe(bob.identityKey);
    expect(carol.members.find((m) => m.id === alice.memberId)!.identityKey).toBe(alice.identityKey);
    expect(bobAtAlice).toMatchObject({ verified: false, keyChanged: false, sameName: false });
  });
});

describe('safety codes and trust on first use', () => {
  it('gives two real clients the same safety code, and verify marks the member verified', async () => {
    const { alice, bob } = await trio();
    const bobAtAlice = alice.members.find((m) => m.id === bob.memberId)!;
    const aliceAtBob = bob.members.find((m) => m.id === alice.memberId)!;
    const atAlice = await alice.safetyCode(bobAtAlice);
    const atBob = await bob.safetyCode(aliceAtBob);
    expect(atAlice).toMatch(/^\d{5}( \d{5}){5}$/);
    expect(atAlice).toBe(atBob);
    expect(atAlice).toBe(await safetyCode(alice.id, alice.identityKey, bob.identityKey));
    await alice.verify(bobAtAlice);
    expect(bobAtAlice.verified).toBe(true);
  });

  it('warns when a remembered name comes back with another key, and keeps a verified mark for the same key', async () => {
    const aliceClient = client();
    const created = await aliceClient.createRoom();
    const alice = await aliceClient.join(created.link, { name: 'Alice' });
    // Bob's device keeps its identity in a store: he rejoins with the same key.
    const bobStore = new MemoryIdentityStore();
    const bob1 = await client({ identityStore: bobStore }).join(created.link, { name: 'Bob' });
    await until(() => alice.members.length === 2, 'Bob');
    await alice.verify(alice.members.find((m) => m.id === bob1.memberId)!);
    await bob1.leave();
    await until(() => alice.members.length === 1, 'Bob gone');

    const bob2 = await client({ identityStore: bobStore }).join(created.link, { name: 'Bob' });
    expect(bob2.memberId).not.toBe(bob1.memberId);
    await until(() => alice.members.length === 2, 'Bob back');
    expect(alice.members.find((m) => m.id === bob2.memberId)).toMatchObject({ verified: true, keyChanged: false });
    await bob2.leave();
    await until(() => alice.members.length === 1, 'Bob gone again');

    // Someone else, on another device, calls themselves Bob.
    const changed = nextEvent(alice, 'key_changed');
    const impostor = await client().join(created.link, { name: 'Bob' });
    const event = await changed;
    expect(event.member).toMatchObject({ id: impostor.memberId, name: 'Bob', keyChanged: true, verified: false });
    expect(event.previousKey).toBe(bob2.identityKey);
    expect(impostor.identityKey).not.toBe(bob2.identityKey);
  });

  it('reports a changed key among the members already present when joining, once listeners can hear it', async () => {
    const created = await client().createRoom();
    const carolStore = new MemoryIdentityStore();
    const bob = await client().join(created.link, { name: 'Bob' });
    const carol1 = await client({ identityStore: carolStore }).join(created.link, { name: 'Carol' });
    await until(() => carol1.members.length === 2, 'Bob at Carol');
    await carol1.leave();
    await bob.leave();
    const impostor = await client().join(created.link, { name: 'Bob' });
    // Carol comes back: "Bob" is already there, with another key than the one she remembers.
    const carol2 = await client({ identityStore: carolStore }).join(created.link, { name: 'Carol' });
    const changes = record(carol2, 'key_changed');
    await until(() => changes.length === 1, 'the key_changed event');
    expect(changes[0]).toMatchObject({ member: { id: impostor.memberId, keyChanged: true }, previousKey: bob.identityKey });
  });

  it('tags two present members with the same name', async () => {
    const created = await client().createRoom();
    const alice = await client().join(created.link, { name: 'Alice' });
    await client().join(created.link, { name: 'Bob' });
    await client().join(created.link, { name: 'Bob' });
    await until(() => alice.members.length === 3, 'both Bobs');
    const bobs = alice.members.filter((m) => m.name === 'Bob');
    expect(bobs.map((m) => m.sameName)).toEqual([true, true]);
    expect(alice.me.sameName).toBe(false);
  });

  it('keeps identities in a file store that two processes can share', async () => {
    const file = path.join(tmp, 'keys.json');
    const a = new FileIdentityStore(file);
    const b = new FileIdentityStore(file);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 20; i++) expect(await a.get(`k${i}`)).toBe(`v${i}`);
    // Two real processes writing 25 keys each into the same file at the same time: no write is lost.
    const writer = (name: string) =>
      run(
        process.execPath,
        [
          '--conditions=@sealroom/source',
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `import { FileIdentityStore } from '@sealroom/sdk/node';
           const store = new FileIdentityStore(${JSON.stringify(file)});
           await Promise.all(Array.from({ length: 25 }, (_, i) => store.set('${name}' + i, 'x')));`,
        ],
        { cwd: path.resolve(__dirname, '..', '..'), timeout: 60_000 },
      );
    await Promise.all([writer('p'), writer('q')]);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    for (let i = 0; i < 25; i++) expect([written[`p${i}`], written[`q${i}`]]).toEqual(['x', 'x']);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const created = await client({ identityStore: a }).createRoom();
    expect(await b.get(`owner:${created.roomId}`)).toBe(created.ownerCredential);
    const room = await client({ identityStore: b }).join(created.link, { name: 'Dana' });
    expect(await a.get(`identity:${created.roomId}`)).toBeDefined();
    expect(room.identityKey).toHaveLength(43);
  });
});

describe('owner control (finding 3)', () => {
  it('lets the owner delete the room; a member without the credential cannot', async () => {
    const { created, owner, bob, carol } = await trio();
    // Bob is a member: no owner credential, and a key of his own is not the owner's.
    expect(await failure(() => bob.deleteRoom())).toMatchObject({ code: 'OWNER_CREDENTIAL_REQUIRED' });
    const notOwner = (await generateSigningKey()).seed;
    expect(await failure(() => bob.deleteRoom(notOwner))).toMatchObject({ code: 'OWNER_SIGNATURE_INVALID', status: 403 });
    // A room proof (what every member can make) is not enough either.
    const link = parseInviteLink(created.link);
    const keys = await deriveRoomKeys({ roomId: link.roomId, secret: link.secret });
    const byProof = await request(server.url)
      .delete(`/rooms/${created.roomId}`)
      .set('X-Room-Proof', await makeProof(keys.auth, 'join', created.roomId));
    expect([400, 401, 403]).toContain(byProof.status);
    expect(bob.state).toBe('joined');

    const closed = nextEvent(carol, 'closed');
    await owner.deleteRoom(created.link, created.ownerCredential);
    expect(await closed).toEqual({ reason: 'deleted' });
  });
});

describe('key-gated downloads (finding 2) and self-describing file links', () => {
  it("reads a file link's info before downloading, downloads with a proof, and counts one download", async () => {
    const { alice } = await trio();
    const data = binaryFixture(150_000);
    const shared = await alice.shareFile(new Blob([data]), { name: 'plans.pdf', type: 'application/pdf', maxDownloads: 3 });
    const reader = client();
    const info = await reader.getFileInfo(shared.link);
    expect(info).toMatchObject({
      fileId: shared.id,
      name: 'plans.pdf',
      type: 'application/pdf',
      size: 150_000,
      encryptedSize: shared.encryptedSize,
      expiresAt: shared.expiresAt,
      maxDownloads: 3,
      downloadsLeft: 3,
    });
    expect((await reader.getFileInfo(shared.link)).downloadsLeft).toBe(3); // reading the info is not a download

    const download = await reader.downloadFile(shared.link);
    expect(sha256(await readAll(download.stream))).toBe(sha256(data));
    expect((await reader.getFileInfo(shared.link)).downloadsLeft).toBe(2);

    // The file id alone downloads nothing and burns nothing.
    const bare = await request(server.url).get(`/get_file?filename=${shared.id}`);
    expect(bare.status).toBe(401);
    expect(bare.body.error.code).toBe('DOWNLOAD_PROOF_REQUIRED');
    expect((await reader.getFileInfo(shared.link)).downloadsLeft).toBe(2);
  });

  it('continues a broken download with its token, and the transfer counts once', async () => {
    const { alice } = await trio();
    const data = binaryFixture(600_000);
    const shared = await alice.shareFile(new Blob([data]), { name: 'big.bin', maxDownloads: 2 });
    let broken = 0;
    const continuations: string[] = [];
    // A fetch whose first download response breaks off after 200 kB, as a dropped connection would.
    const flakyFetch = async (input: string, init: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      const headers = new Headers(init.headers);
      if (headers.has('x-download-token')) continuations.push(headers.get('range') ?? '');
      if (!input.includes('/get_file') || !headers.has('x-download-proof') || broken > 0 || response.body === null) return response;
      broken++;
      const reader = response.body.getReader();
      let passed = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          if (passed + value.byteLength > 200_000) {
            controller.enqueue(value.subarray(0, 200_000 - passed));
            await reader.cancel();
            controller.error(new TypeError('terminated'));
            return;
          }
          passed += value.byteLength;
          controller.enqueue(value);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const downloader = client({ fetch: flakyFetch });
    const download = await downloader.downloadFile(shared.link);
    expect(sha256(await readAll(download.stream))).toBe(sha256(data));
    expect(broken).toBe(1);
    expect(continuations).toEqual(['bytes=200000-']);
    expect((await downloader.getFileInfo(shared.link)).downloadsLeft).toBe(1);
  });

  it('uploads without file info when asked: the link then shows only what the server knows', async () => {
    const { alice } = await trio();
    const shared = await alice.shareFile(new Blob(['quiet']), { name: 'quiet.txt', fileInfo: false });
    const info = await client().getFileInfo(shared.link);
    expect(info.name).toBeUndefined();
    expect(info.size).toBe(5);
  });
});

describe('rejoining under a new member id', () => {
  it('re-seals and re-signs pending messages and file announcements for the new id', async () => {
    const { created, alice, bob } = await trio();
    const link = parseInviteLink(created.link);
    const keys = await deriveRoomKeys({ roomId: link.roomId, secret: link.secret });
    const oldId = alice.memberId;
    const squatter = connect(server.url);
    await connected(squatter);
    const proof = await makeProof(keys.auth, 'join', link.roomId);
    const atBob = record(bob, 'message');
    const filesAtBob = record(bob, 'file');
    const droppedAtBob = record(bob, 'dropped');
    const reconnected = nextEvent(alice, 'reconnect');

    // The server ends Alice's session and someone takes her member id before she is back.
    for (const socket of server.sealroom.io.sockets.sockets.values()) {
      if (socket.data.memberships?.[alice.id]?.memberId === oldId) socket.disconnect(true);
    }
    const squat = (async () => {
      for (let i = 0; i < 100; i++) {
        const ack = await rawRequest(squatter, 'room:join', {
          protocol: PROTOCOL_VERSION,
          room_id: link.roomId,
          member_id: oldId,
          proof,
          profile: await sealSignedProfile(keys.msg, await generateSigningKey(), { roomId: link.roomId, memberId: oldId }, 'Squatter'),
        });
        if (ack.ok) return;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error('could not take the member id');
    })();
    const message = alice.send('sent while away');
    const file = alice.shareFile(new Blob(['away file']), { name: 'away.txt' });
    await squat;
    await reconnected;
    const [sent, shared] = await Promise.all([message, file]);
    expect(alice.memberId).not.toBe(oldId);
    expect(sent.from.id).toBe(alice.memberId);
    await until(() => atBob.length === 1 && filesAtBob.length === 1, 'the message and the file from the new id');
    expect(atBob[0]).toMatchObject({
      text: 'sent while away',
      from: { id: alice.memberId, name: 'Alice', identityKey: alice.identityKey },
    });
    expect(filesAtBob[0]).toMatchObject({ id: shared.id, name: 'away.txt', from: { id: alice.memberId, name: 'Alice' } });
    expect(droppedAtBob).toEqual([]);
    squatter.disconnect();
  });
});
