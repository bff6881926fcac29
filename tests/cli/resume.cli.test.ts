/**
 * `sealroom send` resumes an interrupted upload: cut off by the network (a TCP proxy that stops passing bytes half
 * way), the same command run again goes on from where the server stopped, says so, and the file arrives whole.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type TestServer } from '../support/server';
import { startCuttingProxy, type CuttingProxy } from '../support/cutting-proxy';
import { runCli, TEST_CONFIG_DIR } from './cli-process';

jest.setTimeout(120_000);

let server: TestServer;
let proxy: CuttingProxy;
let dir: string;

beforeAll(async () => {
  server = await startServer({ env: { UPLOAD_SIZE_LIMIT: '64' } });
  proxy = await startCuttingProxy({ host: '127.0.0.1', port: server.port });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cli-resume-'));
});

afterAll(async () => {
  await proxy.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('send run again after a cut resumes where the server stopped ("resuming at N %") and the file arrives whole', async () => {
  const created = await runCli(['create', '--server', server.url]);
  const invite = created.stdout.trim().replace(server.url, proxy.url);
  const bytes = randomBytes(16 * 1024 * 1024);
  const file = path.join(dir, 'big.bin');
  fs.writeFileSync(file, bytes);

  const cut = proxy.cutAfter(8 * 1024 * 1024);
  const first = await runCli(['send', invite, file]);
  await cut;
  expect(first.code).not.toBe(0);
  expect(first.stdout).toBe('');
  // The resume state (upload URL and file key) is in the config directory, for this device only.
  const state = path.join(TEST_CONFIG_DIR, 'resume.json');
  expect(Object.keys(JSON.parse(fs.readFileSync(state, 'utf8')) as object)).toHaveLength(1);
  expect(fs.statSync(state).mode & 0o077).toBe(0);

  proxy.restore();
  const again = await runCli(['send', invite, file]);
  expect(again.code).toBe(0);
  const resumedAt = /resuming at (\d+) %/.exec(again.stderr);
  expect(resumedAt).not.toBeNull();
  expect(Number(resumedAt![1])).toBeGreaterThanOrEqual(40);
  expect(JSON.parse(fs.readFileSync(state, 'utf8'))).toEqual({});

  const out = path.join(dir, 'out.bin');
  const got = await runCli(['get', again.stdout.trim().replace(proxy.url, server.url), '-o', out]);
  expect(got.code).toBe(0);
  expect(fs.readFileSync(out).equals(bytes)).toBe(true);
});
