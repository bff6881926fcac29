/**
 * Protocol v2 in the CLI, against the real server and SDK clients: `/verify` in `sealroom chat` shows the same
 * safety code as the SDK computes and marks the member verified (kept in the config directory, per room); a
 * remembered name back with a new key, and two people of one name, are warned about, escaped like all room text;
 * `sealroom delete` works with the owner credential `sealroom create` kept, and is refused without it; `sealroom get`
 * saves under the file's real name and refuses an unsafe one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SealroomClient, generateSigningKey, type RoomMember, type SigningKey } from '@sealroom/sdk/node';
import { startServer, type TestServer } from '../support/server';
import { LiveCli, TEST_CONFIG_DIR, runCli, spawnCli } from './cli-process';

jest.setTimeout(90_000);

let server: TestServer;
let dir: string;
const clients: SealroomClient[] = [];
const live: LiveCli[] = [];

beforeAll(async () => {
  server = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cli-trust-'));
});

afterEach(() => {
  for (const cli of live.splice(0)) cli.kill();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sdk = () => {
  const client = new SealroomClient({ baseUrl: server.url });
  clients.push(client);
  return client;
};

function next<T>(subscribe: (listener: (value: T) => void) => void, accept: (value: T) => boolean, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20_000);
    subscribe((value) => {
      if (accept(value)) {
        clearTimeout(timer);
        resolve(value);
      }
    });
  });
}

function roomFile(configDir: string, roomId: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(configDir, 'rooms', `${roomId}.json`), 'utf8')) as Record<string, string>;
}

it('/verify shows the safety code the SDK computes, marks the member verified on "y", and keeps it per room', async () => {
  const alice = sdk();
  const { link: invite, roomId } = await alice.createRoom();
  const room = await alice.join(invite, { name: 'alice' });
  const carlJoined = next<{ type: string; member: RoomMember }>(
    (l) => room.on('member', l),
    (e) => e.member.name === 'carl',
    'carl',
  );

  const carl = new LiveCli(spawnCli(['chat', invite, '--name', 'carl']));
  live.push(carl);
  await carl.waitForOutput(/^\* joined \S+ as carl; here: .*alice/m);
  const { member } = await carlJoined;

  carl.write('/verify nobody');
  carl.write('/verify alice');
  const [, code] = await carl.waitForOutput(/^\* safety code with alice: ([\d ]+)$/m);
  expect(code).toMatch(/^\d{5}( \d{5}){5}$/);
  expect(await room.safetyCode(member)).toBe(code); // both sides of the pair see the same code
  expect(carl.stderr).toContain('nobody called nobody is here');
  await carl.waitForOutput(/mark alice as verified\? \[y\/N\]$/m);
  carl.write('y');
  await carl.waitForOutput(/^\* alice is verified/m);
  carl.write('/members');
  await carl.waitForOutput(/^\* here: carl \(you\), alice \(verified\)$/m);
  carl.write('/quit');
  expect(await carl.exited).toBe(0);

  // Kept in the config directory, one file per room: carl's identity key and the verified record for alice.
  const kept = roomFile(TEST_CONFIG_DIR, roomId);
  expect(kept[`identity:${roomId}`]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(JSON.parse(kept[`trust:${roomId}:alice`]!)).toEqual({ identity_key: room.identityKey, verified: true });
  expect(fs.statSync(path.join(TEST_CONFIG_DIR, 'rooms', `${roomId}.json`)).mode & 0o777).toBe(0o600);

  // Back with the same identity: still verified, and no warning.
  const again = new LiveCli(spawnCli(['chat', invite, '--name', 'carl']));
  live.push(again);
  await again.waitForOutput(/^\* joined /m);
  again.write('/members');
  await again.waitForOutput(/^\* here: carl \(you\), alice \(verified\)$/m);
  expect(again.stdout).not.toContain('warning');
  again.write('/quit');
  expect(await again.exited).toBe(0);
  await room.leave();

  // "alice" is now someone with another key: carl, joining, is warned once, and she is no longer verified.
  const other = await sdk().join(invite, { name: 'alice' });
  const third = new LiveCli(spawnCli(['chat', invite, '--name', 'carl']));
  live.push(third);
  await third.waitForOutput(/^! warning: alice's identity key changed/m);
  third.write('/members');
  await third.waitForOutput(/^\* here: carl \(you\), alice \(key changed\)$/m);
  expect(third.stdout.match(/identity key changed/g)).toHaveLength(1);
  third.write('/quit');
  expect(await third.exited).toBe(0);
  await other.leave();
});

it('warns when a remembered name comes back with another key and when two people share a name, escaping what they send', async () => {
  const alice = sdk();
  const { link: invite } = await alice.createRoom();
  const original = await alice.join(invite, { name: 'alice' });

  const carl = new LiveCli(spawnCli(['chat', invite, '--name', 'carl']));
  live.push(carl);
  await carl.waitForOutput(/^\* joined \S+ as carl; here: .*alice/m);

  // Another identity key under the name "alice" (a new client: a new key), while the first alice is still here.
  const impostor = await sdk().join(invite, { name: 'alice' });
  await carl.waitForOutput(
    /^! warning: alice's identity key changed since this config last saw that name: it may be someone else\. Compare safety codes: \/verify alice$/m,
  );
  await carl.waitForOutput(/^! warning: more than one person here is called alice/m);
  carl.write('/verify alice');
  await carl.waitForOutput(/^! 2 people here are called alice: \/verify <id> with one of \S+, \S+$/m);

  // Terminal control sequences in messages are shown, not obeyed (the SDK refuses them in names).
  const mallory = await sdk().join(invite, { name: 'mallory' });
  await carl.waitForOutput(/^\* mallory joined$/m);
  await mallory.send('title\u001b]0;pwned\u0007 \u202eevil');
  await carl.waitForOutput(/^\[\d\d:\d\d\] mallory: title\\x1b\]0;pwned\\x07 \\u202eevil$/m);
  expect(carl.stdout).not.toContain('\u001b');

  // Signed with a key other than its profile's: dropped, with a notice instead of the text.
  (mallory as unknown as { identity: SigningKey }).identity = await generateSigningKey();
  await mallory.send('forged words');
  await carl.waitForOutput(
    /^! dropped a message claiming to be from mallory: its signature does not verify: forged or altered on the way$/m,
  );
  expect(carl.stdout).not.toContain('forged words');

  carl.write('/quit');
  expect(await carl.exited).toBe(0);
  await Promise.all([original.leave(), impostor.leave(), mallory.leave()]);
});

it('sealroom delete deletes a room with the owner credential create kept, and is refused without it', async () => {
  const ownerDir = fs.mkdtempSync(path.join(dir, 'owner-'));
  const otherDir = fs.mkdtempSync(path.join(dir, 'other-'));
  const created = await runCli(['create', '--server', server.url], { env: { SEALROOM_CONFIG_DIR: ownerDir } });
  expect(created.code).toBe(0);
  const invite = created.stdout.trim();
  const roomId = new URL(invite).pathname.split('/').pop()!;
  expect(created.stderr).toBe(''); // the link alone (where the credential is kept is said on a terminal only)
  expect(roomFile(ownerDir, roomId)[`owner:${roomId}`]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(invite).not.toContain(roomFile(ownerDir, roomId)[`owner:${roomId}`]); // not in the link

  const member = await sdk().join(invite, { name: 'member' });
  const closed = next<{ reason: string }>(
    (l) => member.on('closed', l),
    () => true,
    'the room to close',
  );

  const refused = await runCli(['delete', invite], { env: { SEALROOM_CONFIG_DIR: otherDir } });
  expect(refused.code).toBe(4);
  expect(refused.stderr).toMatch(/^sealroom: no owner credential for room \S+ in .*: only the room's creator can delete it/);
  expect((await fetch(`${server.url}/room_exists?room_id=${roomId}`)).status).toBe(200);

  const deleted = await runCli(['delete', invite], { env: { SEALROOM_CONFIG_DIR: ownerDir } });
  expect([deleted.code, deleted.stdout.trim()]).toEqual([0, `deleted room ${roomId}`]);
  expect((await closed).reason).toBe('deleted');
  expect((await fetch(`${server.url}/room_exists?room_id=${roomId}`)).status).toBe(404);
});

it("sealroom get saves under the file's real name (never over another file) and refuses an unsafe one", async () => {
  const owner = sdk();
  const { link: invite } = await owner.createRoom();
  const room = await owner.join(invite, { name: 'sender' });
  const content = Buffer.from('the real thing\n');
  const shared = await room.shareFile(new Blob([content]), { name: 'notes 1.txt' });
  const into = fs.mkdtempSync(path.join(dir, 'get-'));

  const first = await runCli(['get', shared.link], { cwd: into });
  expect([first.code, first.stdout.trim()]).toEqual([0, path.join(into, 'notes 1.txt')]);
  expect(fs.readFileSync(path.join(into, 'notes 1.txt'))).toEqual(content);
  const second = await runCli(['get', shared.link, '-o', into]);
  expect([second.code, second.stdout.trim()]).toEqual([0, path.join(into, 'notes 1 (1).txt')]);

  const hidden = await room.shareFile(new Blob(['export PATH=/evil\n']), { name: '.bashrc' });
  const refused = await runCli(['get', hidden.link], { cwd: into });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(
    /^sealroom: the file's name "\.bashrc" is not safe to save under \(it starts with a dot \(a hidden file\)\); choose a path with -o$/m,
  );
  expect(fs.existsSync(path.join(into, '.bashrc'))).toBe(false);
  const chosen = await runCli(['get', hidden.link, '-o', path.join(into, 'bashrc.txt')]);
  expect(chosen.code).toBe(0);

  // Gone (download limit used): said before anything is written.
  const once = await room.shareFile(new Blob(['once']), { name: 'once.txt', maxDownloads: 1 });
  expect((await runCli(['get', once.link], { cwd: into })).code).toBe(0);
  const gone = await runCli(['get', once.link], { cwd: into });
  expect(gone.code).toBe(3);
  expect(fs.readdirSync(into).sort()).toEqual(['bashrc.txt', 'notes 1 (1).txt', 'notes 1.txt', 'once.txt']);
  await room.leave();
});
