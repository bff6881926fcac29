/**
 * `sealroom create`, `send` and `get` through a real server (temporary SQLite), as separate processes the
 * way a script would chain them: stdout carries only the result, so it can be captured.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type TestServer } from '../support/server';
import { runCli } from './cli-process';

jest.setTimeout(90_000);

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cli-'));
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeRandomFile(name: string, size: number): { file: string; bytes: Buffer } {
  const bytes = randomBytes(size);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

it('create, send and get round-trip a multi-record file byte for byte', async () => {
  const created = await runCli(['create', '--server', server.url]);
  expect(created).toMatchObject({ code: 0, stderr: '' });
  const invite = created.stdout.trim();
  expect(invite).toMatch(new RegExp(`^${server.url}/r/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));

  // 1 MiB and 4,097 bytes: 17 records, the last one partial.
  const { file, bytes } = writeRandomFile('input.bin', 1024 * 1024 + 4097);
  const sent = await runCli(['send', invite, file]);
  expect(sent).toMatchObject({ code: 0, stderr: '' });
  const link = sent.stdout.trim();
  expect(link).toMatch(new RegExp(`^${server.url}/f/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{43}$`));

  const out = path.join(dir, 'output.bin');
  const got = await runCli(['get', link, '-o', out]);
  expect(got).toMatchObject({ code: 0, stderr: '' });
  expect(got.stdout.trim()).toBe(out);
  expect(fs.readFileSync(out).equals(bytes)).toBe(true);
  // Nothing else (no temporary file) left beside it.
  expect(fs.readdirSync(dir).sort()).toEqual(['input.bin', 'output.bin']);

  // -o naming a directory writes the file under its real name inside it (from the sealed file info).
  const into = fs.mkdtempSync(path.join(dir, 'into-'));
  const again = await runCli(['get', link, '-o', into]);
  expect(again).toMatchObject({ code: 0, stdout: `${path.join(into, 'input.bin')}\n` });
  expect(fs.readFileSync(path.join(into, 'input.bin')).equals(bytes)).toBe(true);
  fs.rmSync(into, { recursive: true });
});

it('get -o - writes the plaintext to stdout', async () => {
  const invite = (await runCli(['create', '--server', server.url])).stdout.trim();
  const text = 'line one\nline two, with ünïcode\n'.repeat(5000);
  const file = path.join(dir, 'text.txt');
  fs.writeFileSync(file, text);
  const link = (await runCli(['send', invite, file])).stdout.trim();
  const got = await runCli(['get', link, '-o', '-']);
  expect(got.code).toBe(0);
  expect(got.stdout).toBe(text);
  fs.rmSync(file);
});

it('a password room: create reads the password from stdin, send from SEALROOM_PASSWORD', async () => {
  const created = await runCli(['create', '--password', '--id', 'cli-password-room', '--server', server.url], { input: 'correct horse\n' });
  expect(created.code).toBe(0);
  const invite = created.stdout.trim();
  expect(invite.startsWith(`${server.url}/r/cli-password-room#`)).toBe(true);

  const { file, bytes } = writeRandomFile('secret.bin', 70_001);
  const sent = await runCli(['send', invite, file], { env: { SEALROOM_PASSWORD: 'correct horse' } });
  expect(sent).toMatchObject({ code: 0, stderr: '' });
  const out = path.join(dir, 'secret.out');
  const got = await runCli(['get', sent.stdout.trim(), '-o', out]);
  expect(got.code).toBe(0);
  expect(fs.readFileSync(out).equals(bytes)).toBe(true);
  fs.rmSync(file);
  fs.rmSync(out);
});
