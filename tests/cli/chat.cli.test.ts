/**
 * `sealroom chat` with its stdin and stdout as pipes, against an SDK client in the same room: messages both
 * ways, members coming and going, and `/file` sharing a file the SDK client downloads byte for byte.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SealroomClient, type RoomFile, type RoomMember, type RoomMessage } from '@sealroom/sdk/node';
import { startServer, type TestServer } from '../support/server';
import { LiveCli, spawnCli } from './cli-process';

jest.setTimeout(90_000);

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cli-chat-'));
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The next event the predicate accepts, or a timeout error. */
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

it('chat exchanges messages and files with an SDK client, and /quit leaves', async () => {
  const alice = new SealroomClient({ baseUrl: server.url });
  const cli = { current: undefined as LiveCli | undefined };
  try {
    const { link: invite } = await alice.createRoom();
    const room = await alice.join(invite, { name: 'alice' });
    const bobJoined = next<{ type: string; member: RoomMember }>(
      (l) => room.on('member', l),
      (e) => e.type === 'joined' && e.member.name === 'bob',
      'bob to join',
    );

    const bob = new LiveCli(spawnCli(['chat', invite, '--name', 'bob']));
    cli.current = bob;
    await bob.waitForOutput(/^\* joined \S+ as bob; here: .*alice/m);
    await bobJoined;

    // SDK -> CLI
    await room.send('hello from the SDK');
    await bob.waitForOutput(/^\[\d\d:\d\d\] alice: hello from the SDK$/m);

    // CLI -> SDK, in order
    const received: RoomMessage[] = [];
    room.on('message', (m) => received.push(m));
    bob.write('hello from the CLI');
    bob.write('and a second line, ünïcode ✓');
    const deadline = Date.now() + 20_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(received.map((m) => [m.from.name, m.text])).toEqual([
      ['bob', 'hello from the CLI'],
      ['bob', 'and a second line, ünïcode ✓'],
    ]);

    // /file: shared into the room, downloaded and decrypted by the SDK client.
    const bytes = randomBytes(3 * 65536 + 123);
    const file = path.join(dir, 'report.bin');
    fs.writeFileSync(file, bytes);
    const announced = next<RoomFile>(
      (l) => room.on('file', l),
      (f) => f.name === 'report.bin',
      'the shared file',
    );
    bob.write(`/file ${file}`);
    const shared = await announced;
    expect(shared).toMatchObject({ size: bytes.length, from: { name: 'bob' } });
    const saved = path.join(dir, 'report.copy');
    await alice.saveFile(shared, saved);
    expect(fs.readFileSync(saved).equals(bytes)).toBe(true);
    // The CLI shows its own share with the file link.
    await bob.waitForOutput(new RegExp(`^\\* bob shared report\\.bin .*: ${server.url}/f/${shared.id}#`, 'm'));

    // An unknown command is refused on stderr; the chat carries on.
    bob.write('/nope');
    const deadline2 = Date.now() + 10_000;
    while (!bob.stderr.includes('unknown command /nope') && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 50));
    expect(bob.stderr).toMatch(/^sealroom: unknown command \/nope/m);

    // Leaving is shown to the one who stays.
    await room.leave();
    await bob.waitForOutput(/^\* alice left$/m);

    bob.write('/quit');
    expect(await bob.exited).toBe(0);
  } finally {
    cli.current?.kill();
    await alice.close();
  }
});

it('chat reads piped input to its end, then leaves with exit 0', async () => {
  const alice = new SealroomClient({ baseUrl: server.url });
  try {
    const { link: invite } = await alice.createRoom();
    const room = await alice.join(invite, { name: 'alice' });
    const got = next<RoomMessage>(
      (l) => room.on('message', l),
      (m) => m.text === 'piped line',
      'the piped message',
    );
    const left = next<{ type: string; member: RoomMember }>(
      (l) => room.on('member', l),
      (e) => e.type === 'left' && e.member.name === 'carol',
      'carol to leave',
    );
    const carol = new LiveCli(spawnCli(['chat', invite, '--name', 'carol']));
    carol.child.stdin!.end('piped line\n');
    expect((await got).from.name).toBe('carol');
    await left;
    expect(await carol.exited).toBe(0);
  } finally {
    await alice.close();
  }
});

it('chat in a password room without a terminal needs SEALROOM_PASSWORD', async () => {
  const alice = new SealroomClient({ baseUrl: server.url });
  try {
    const { link: invite } = await alice.createRoom({ password: 'hunter2' });
    const missing = new LiveCli(spawnCli(['chat', invite, '--name', 'dave']));
    missing.child.stdin!.end();
    expect(await missing.exited).toBe(4);
    expect(missing.stderr.trim()).toBe('sealroom: this room has a password: pass --password, or set SEALROOM_PASSWORD');

    const room = await alice.join(invite, { name: 'alice', password: 'hunter2' });
    const got = next<RoomMessage>(
      (l) => room.on('message', l),
      (m) => m.text === 'with the password',
      'the message',
    );
    const dave = new LiveCli(spawnCli(['chat', invite, '--name', 'dave'], { env: { SEALROOM_PASSWORD: 'hunter2' } }));
    dave.child.stdin!.end('with the password\n');
    expect((await got).from.name).toBe('dave');
    expect(await dave.exited).toBe(0);
  } finally {
    await alice.close();
  }
});

it('chat ends with exit 3 when the room is deleted', async () => {
  const alice = new SealroomClient({ baseUrl: server.url });
  try {
    const { link: invite } = await alice.createRoom();
    const room = await alice.join(invite, { name: 'alice' });
    const erin = new LiveCli(spawnCli(['chat', invite, '--name', 'erin']));
    await erin.waitForOutput(/^\* joined /m);
    await room.deleteRoom();
    await erin.waitForOutput(/^\* the room was closed \(deleted\)$/m);
    expect(await erin.exited).toBe(3);
    expect(erin.stderr.trim()).toMatch(/^sealroom: the room \S+ is closed$/);
  } finally {
    await alice.close();
  }
});
