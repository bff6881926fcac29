/**
 * Issue 17 in the CLI: errors that say what was tried and in sizes people read, a too-large `send` refused
 * before it joins the room, `create --help` showing its default once, `send --expires/--max-downloads`,
 * and `/get` inside `chat` for a file announced there.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SealroomClient, type MemberEvent, type RoomFile } from '@sealroom/sdk/node';
import { freePort, startServer, type TestServer } from '../support/server';
import { LiveCli, runCli, spawnCli } from './cli-process';

jest.setTimeout(120_000);

let server: TestServer;
let dir: string;
const clients: SealroomClient[] = [];
const sdk = () => {
  const client = new SealroomClient({ baseUrl: server.url });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  // 1 MiB uploads at most; files kept 10 minutes.
  server = await startServer({ env: { UPLOAD_SIZE_LIMIT: '1', FILE_AGE_LIMIT: '10' } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cli-sharing-'));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('create without --server names the server it could not reach', async () => {
  const port = await freePort();
  const result = await runCli(['create'], { env: { PORT: String(port), SEALROOM_SERVER: '' } });
  expect(result.code).toBe(6);
  expect(result.stderr).toContain(`http://localhost:${port}`);
  expect(result.stderr).toMatch(/\(NETWORK_ERROR\)$/m);
});

it('create --help shows the default server once', async () => {
  const help = (await runCli(['create', '--help'])).stdout;
  // The option's description, over its wrapped lines, up to the next option.
  const option = help.slice(help.indexOf('--server'), help.indexOf('-h, --help'));
  expect(option.match(/default/g)).toHaveLength(1);
});

it('send refuses a too-large file before joining the room, in readable sizes', async () => {
  const big = path.join(dir, 'big.bin');
  fs.writeFileSync(big, randomBytes(1024 * 1024 + 1));
  const owner = sdk();
  const { link: invite } = await owner.createRoom();
  const room = await owner.join(invite, { name: 'watcher' });
  const seen: MemberEvent[] = [];
  room.on('member', (e) => seen.push(e));
  const result = await runCli(['send', invite, big]);
  expect(result.code).toBe(5);
  expect(result.stderr.trim()).toBe(
    'sealroom: big.bin is 1.0 MiB (1.0 MiB encrypted); this server takes files up to 1.0 MiB encrypted (FILE_TOO_LARGE)',
  );
  expect(result.stderr).not.toMatch(/\d{6,}/);
  await new Promise((r) => setTimeout(r, 500));
  expect(seen).toEqual([]); // nobody came and went
});

it('send --expires and --max-downloads set the file lifetime and limit; --expires over the server limit is refused', async () => {
  const file = path.join(dir, 'note.txt');
  fs.writeFileSync(file, 'burn after reading');
  const owner = sdk();
  const { link: invite } = await owner.createRoom();
  const room = await owner.join(invite, { name: 'watcher' });
  const announced = new Promise<RoomFile>((resolve) => room.on('file', resolve));
  const before = Date.now();
  const result = await runCli(['send', invite, file, '--expires', '90s', '--max-downloads', '1']);
  expect(result.code).toBe(0);
  const shared = await announced;
  expect(shared.expiresAt).toBeGreaterThanOrEqual(before + 89_000);
  expect(shared.expiresAt).toBeLessThanOrEqual(Date.now() + 91_000);
  const out = path.join(dir, 'once.txt');
  expect((await runCli(['get', result.stdout.trim(), '-o', out])).code).toBe(0);
  expect(fs.readFileSync(out, 'utf8')).toBe('burn after reading');
  expect((await runCli(['get', result.stdout.trim(), '-o', path.join(dir, 'twice.txt')])).code).toBe(3); // burnt

  const tooLong = await runCli(['send', invite, file, '--expires', '1d']);
  expect(tooLong.code).toBe(2);
  expect(tooLong.stderr).toContain('longer than this server keeps files (10 min)');
  expect((await runCli(['send', invite, file, '--expires', 'soon'])).code).toBe(2);
});

it('/get inside chat saves a file announced there under its name', async () => {
  const owner = sdk();
  const { link: invite } = await owner.createRoom();
  const room = await owner.join(invite, { name: 'alice' });
  const cwd = fs.mkdtempSync(path.join(dir, 'chat-'));
  const bob = new LiveCli(spawnCli(['chat', invite, '--name', 'bob'], { cwd }));
  try {
    await bob.waitForOutput(/^\* joined /m);
    const bytes = randomBytes(5000);
    await room.shareFile(new Blob([bytes]), { name: 'report.pdf', type: 'application/pdf' });
    await bob.waitForOutput(/^\* alice shared report\.pdf \(.*\/get 1\): /m);
    bob.write('/get');
    await bob.waitForOutput(/^\* saved report\.pdf to .*report\.pdf$/m);
    expect(fs.readFileSync(path.join(cwd, 'report.pdf')).equals(bytes)).toBe(true);
    bob.write('/get 1');
    await bob.waitForOutput(/^\* saved report\.pdf to .*report \(1\)\.pdf$/m); // never replaces a file
    // /file of a file over the limit: refused in readable sizes, the chat goes on.
    const big = path.join(dir, 'chat-big.bin');
    fs.writeFileSync(big, randomBytes(1024 * 1024 + 1));
    bob.write(`/file ${big}`);
    await eventuallyIn(() => bob.stderr.includes('chat-big.bin is 1.0 MiB'), 'the too-large refusal');
    expect(bob.stderr).not.toMatch(/\d{6,}/);
    bob.write('/quit');
    expect(await bob.exited).toBe(0);
  } finally {
    bob.kill();
  }
});

async function eventuallyIn(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
