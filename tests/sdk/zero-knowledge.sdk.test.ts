/**
 * Zero knowledge, checked: after a full session through the SDK (rooms with and without a password, two
 * members, messages, a shared and downloaded file), the server's database (every table) and its data
 * folder (blobs, the SQLite file and its journals) contain no plaintext, no room secret, no K, msg or meta
 * key, no password or PBKDF2 output, no file key or key derived from it, in raw, hex or base64 forms.
 * The server does hold each room's `auth` key (by design: it checks proofs with it); the test finds it,
 * which shows the search can find what is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  SealroomClient,
  deriveFileKeyMaterial,
  derivePasswordKey,
  deriveRoomKeyMaterial,
  parseInviteLink,
  type Room,
  type RoomFile,
} from '../../sdk/src/node.js';
import { DATABASES, startServer, type TestServer } from '../support/server';
import { binaryFixture, readAll } from './support/sdk-fixtures';
import { FAST_REALTIME, nextEvent } from './support/room-events';

/** A value the server must never see, with a label for failure messages. */
interface Secret {
  label: string;
  bytes: Uint8Array;
}

/** Every form a byte string could take in storage: raw, hex (both cases), base64 and base64url at any alignment. */
function needles(bytes: Uint8Array): Buffer[] {
  const raw = Buffer.from(bytes);
  const forms = [raw, Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('hex').toUpperCase())];
  for (let shift = 0; shift < 3; shift++) {
    // Inside a longer encoded string the value starts at one of three alignments; keep the characters that
    // depend only on the value's own bytes.
    const shifted = Buffer.concat([Buffer.alloc(shift), raw]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = shifted.toString(encoding).replace(/=+$/, '');
      const start = shift === 0 ? 0 : 4;
      const end = text.length - 4;
      if (end - start >= 16) forms.push(Buffer.from(text.slice(start, end)));
    }
  }
  return forms;
}

/** Every row of every table, as text (binary columns in raw, hex and base64 forms). */
async function databaseDump(server: TestServer): Promise<Buffer> {
  const db = server.sealroom.db;
  const sqlite = db.options.type === 'sqlite';
  const tables: Array<{ name: string }> = await db.query(
    sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table'" : "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['rooms', 'stored_files']));
  const parts: Buffer[] = [];
  for (const { name } of tables) {
    const rows: Array<Record<string, unknown>> = await db.query(`SELECT * FROM "${name}"`);
    if (name === 'rooms') expect(rows.length).toBeGreaterThanOrEqual(3);
    if (name === 'stored_files') expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        parts.push(Buffer.from(`${name}.${column}=`));
        if (Buffer.isBuffer(value)) parts.push(value, Buffer.from(value.toString('hex')), Buffer.from(value.toString('base64')));
        else parts.push(Buffer.from(value instanceof Date ? value.toISOString() : String(value)));
        parts.push(Buffer.from('\n'));
      }
    }
  }
  return Buffer.concat(parts);
}

/** The bytes of every file under `dir` (blobs, temporary files, the SQLite database and its journals). */
function folderDump(dir: string): Array<{ file: string; bytes: Buffer }> {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file: path.relative(dir, file), bytes: fs.readFileSync(file) };
    });
}

describe.each(DATABASES)('zero knowledge on %s', (db) => {
  let server: TestServer;
  const clients: SealroomClient[] = [];
  const secrets: Secret[] = [];
  const authKeys: Uint8Array[] = [];
  const text = (label: string, value: string) => secrets.push({ label, bytes: Buffer.from(value, 'utf8') });

  const client = () => {
    const c = new SealroomClient({ baseUrl: server.url, realtime: FAST_REALTIME });
    clients.push(c);
    return c;
  };

  /** Records everything secret about a room the clients used. */
  async function recordRoom(label: string, invite: string, password?: string): Promise<void> {
    const link = parseInviteLink(invite);
    const info = await client().rest.call((api) => api.rooms.roomExists({ roomId: link.roomId }));
    const roomPassword = password !== undefined && info.password ? { ...info.password, password } : null;
    const material = await deriveRoomKeyMaterial({ roomId: link.roomId, secret: link.secret, password: roomPassword });
    if (link.secret) secrets.push({ label: `${label} secret`, bytes: link.secret });
    secrets.push(
      { label: `${label} K`, bytes: material.k },
      { label: `${label} msg`, bytes: material.msg },
      { label: `${label} meta`, bytes: material.meta },
    );
    authKeys.push(material.auth);
    if (roomPassword) {
      secrets.push({ label: `${label} pw`, bytes: await derivePasswordKey(roomPassword.password, roomPassword) });
      text(`${label} password`, password!);
    }
  }

  async function recordFile(label: string, file: RoomFile, content: Uint8Array): Promise<void> {
    // dk is the one file key the server is given (to check download proofs); fm seals the file info it keeps.
    const { ck, nb, fm } = await deriveFileKeyMaterial(file.key);
    secrets.push(
      { label: `${label} key`, bytes: file.key },
      { label: `${label} ck`, bytes: ck },
      { label: `${label} nonce base`, bytes: nb },
      { label: `${label} fm`, bytes: fm },
    );
    text(`${label} name`, file.name);
    for (const offset of [0, 1000, content.length - 64])
      secrets.push({ label: `${label} content @${offset}`, bytes: content.slice(offset, offset + 48) });
  }

  async function converse(alice: Room<unknown>, bob: Room<unknown>, lines: string[]): Promise<void> {
    for (const line of lines) {
      const heard = nextEvent(bob, 'message', (m) => m.text === line);
      await alice.send(line);
      await heard;
      text('message', line);
    }
  }

  beforeAll(async () => {
    server = await startServer({ db, env: { MESSAGE_BACKLOG: '20' } });

    // A room with a secret: two members, messages, a file shared, downloaded by the other.
    const owner = client();
    const created = await owner.createRoom();
    const invite = created.link;
    const alice = await owner.join(invite, { name: 'Alice Zeroknowledge' });
    const bobClient = client();
    const bob = await bobClient.join(invite, { name: 'Bob Zeroknowledge' });
    // The owner credential and the identity keys' seeds stay with the clients (the public keys do not matter).
    secrets.push({ label: 'owner credential', bytes: Buffer.from(created.ownerCredential, 'base64url') });
    for (const [who, c] of [
      ['alice', owner],
      ['bob', bobClient],
    ] as const) {
      const seed = await c.identityStore.get(`identity:${created.roomId}`);
      secrets.push({ label: `${who} identity seed`, bytes: Buffer.from(seed!, 'base64url') });
    }
    text('name', 'Alice Zeroknowledge');
    text('name', 'Bob Zeroknowledge');
    await recordRoom('room', invite);
    await converse(alice, bob, ['the launch code is tangerine-42', 'meet at the old mill at dawn']);
    const content = binaryFixture(300_000);
    const announced = nextEvent(bob, 'file');
    await alice.shareFile(new Blob([content]), { name: 'quarterly-secrets.xlsx', type: 'application/vnd.ms-excel' });
    const file = await announced;
    expect(Buffer.compare(Buffer.from(await readAll((await client().downloadFile(file)).stream)), Buffer.from(content))).toBe(0);
    await recordFile('file', file, content);

    // A room with a secret and a password, and a password-only room.
    for (const [label, options] of [
      ['password room', { password: 'zk-Passwort-Grüße-1' }],
      ['password-only room', { password: 'zk-only-password-2', passwordOnly: true }],
    ] as const) {
      const pwInvite = (await client().createRoom(options)).link;
      const carol = await client().join(pwInvite, { name: 'Carol Zeroknowledge', password: options.password });
      const dave = await client().join(pwInvite, { name: 'Dave Zeroknowledge', password: options.password });
      text('name', 'Carol Zeroknowledge');
      await recordRoom(label, pwInvite, options.password);
      await converse(carol, dave, [`${label}: the vault opens at nine`]);
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  it('recorded what it looks for', () => {
    const labels = secrets.map((s) => s.label);
    for (const expected of [
      'room secret',
      'room K',
      'room msg',
      'room meta',
      'file key',
      'file ck',
      'file fm',
      'owner credential',
      'alice identity seed',
      'bob identity seed',
      'password room pw',
      'password room password',
      'password-only room pw',
    ])
      expect(labels).toContain(expected);
    expect(secrets.every((s) => s.bytes.length >= 12)).toBe(true);
  });

  it('finds the auth keys it should find, so the search works', async () => {
    const haystacks = [await databaseDump(server), ...folderDump(server.dataDir).map((f) => f.bytes)];
    for (const auth of authKeys) {
      expect(needles(auth).some((needle) => haystacks.some((h) => h.includes(needle)))).toBe(true);
    }
  });

  it('keeps no secret, key or plaintext in the database', async () => {
    const dump = await databaseDump(server);
    const found = secrets.filter((s) => needles(s.bytes).some((needle) => dump.includes(needle))).map((s) => s.label);
    expect(found).toEqual([]);
  });

  it('keeps no secret, key or plaintext in the data folder', () => {
    const files = folderDump(server.dataDir);
    expect(files.some((f) => f.file.startsWith('files'))).toBe(true); // the uploaded blob is there
    const found = files.flatMap((f) =>
      secrets.filter((s) => needles(s.bytes).some((n) => f.bytes.includes(n))).map((s) => `${s.label} in ${f.file}`),
    );
    expect(found).toEqual([]);
  });

  it('stores the file as ciphertext of the expected size only', () => {
    const blobs = folderDump(server.dataDir).filter((f) => f.file.startsWith('files'));
    expect(blobs.map((b) => b.bytes.length)).toContain(300_000 + 16 * 5);
  });
});
