/**
 * Failures end with one line on stderr (no stack trace), nothing on stdout, and the documented exit code
 * (README "CLI"): 2 usage, 3 not found, 4 wrong or missing password, 5 too large, 6 unreachable, 7 integrity.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startServer, type TestServer } from '../support/server';
import { runCli, type CliResult } from './cli-process';

jest.setTimeout(120_000);

let server: TestServer;
let dir: string;
let file: string;

beforeAll(async () => {
  // A 1 MB upload limit, so that "too large" can be tried with a small file.
  server = await startServer({ env: { UPLOAD_SIZE_LIMIT: '1' } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cli-err-'));
  file = path.join(dir, 'small.bin');
  fs.writeFileSync(file, randomBytes(1000));
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The failure contract: the code, one clear line on stderr, stdout empty. */
function expectFailure(result: CliResult, code: number, message: RegExp): void {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code, stdout: '' });
  const lines = result.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('(run with --help'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const fakeKey = 'A'.repeat(43);

it('usage errors exit 2', async () => {
  expectFailure(await runCli(['send']), 2, /^error: missing required argument 'invite'/);
  expectFailure(await runCli(['frobnicate']), 2, /^error: unknown command 'frobnicate'/);
  expectFailure(await runCli(['get', 'http://x/f/abcdefgh', '--bogus']), 2, /^error: unknown option '--bogus'/);
  expectFailure(await runCli(['get', 'not a link']), 2, /^sealroom: .*\(INVALID_LINK\)$/);
  expectFailure(
    await runCli(['create', '--id', 'no', '--server', server.url]),
    2,
    /^sealroom: .*\((INVALID_ID|INVALID_INPUT|VALIDATION_FAILED)\)$/,
  );
  const invite = (await runCli(['create', '--server', server.url])).stdout.trim();
  expectFailure(await runCli(['send', invite, path.join(dir, 'missing.bin')]), 2, /^sealroom: cannot read .*missing\.bin: no such file$/);
  expectFailure(await runCli(['send', invite, file, '--max-downloads', '0']), 2, /--max-downloads/);
});

it('help and version exit 0 for every command', async () => {
  for (const command of [[], ['serve'], ['create'], ['chat'], ['send'], ['get']]) {
    const result = await runCli([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sealroom/);
  }
  const version = await runCli(['--version']);
  expect(version.code).toBe(0);
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
});

it('an unknown room, or a file that is not there, exits 3', async () => {
  expectFailure(await runCli(['send', `${server.url}/r/no-such-room#${fakeKey}`, file]), 3, /\(ROOM_NOT_FOUND\)$/);
  const out = path.join(dir, 'nothing.bin');
  expectFailure(await runCli(['get', `${server.url}/f/no-such-file#${fakeKey}`, '-o', out]), 3, /\(FILE_NOT_FOUND\)$/);
  expect(fs.existsSync(out)).toBe(false);
});

it('a wrong or missing password, or a wrong secret, exits 4', async () => {
  const invite = (await runCli(['create', '--password', '--server', server.url], { env: { SEALROOM_PASSWORD: 'right' } })).stdout.trim();
  expectFailure(await runCli(['send', invite, file], { env: { SEALROOM_PASSWORD: 'wrong' } }), 4, /wrong password.*\(PROOF_INVALID\)$/);
  // Not a terminal and no SEALROOM_PASSWORD: say how to give it rather than hang.
  expectFailure(await runCli(['send', invite, file]), 4, /this room has a password: pass --password, or set SEALROOM_PASSWORD/);
  const plain = (await runCli(['create', '--server', server.url])).stdout.trim();
  const forged = `${plain.split('#')[0]}#${fakeKey}`;
  expectFailure(await runCli(['send', forged, file]), 4, /\(PROOF_INVALID\)$/);
});

it('a file over the server limit exits 5 before anything is uploaded', async () => {
  const big = path.join(dir, 'big.bin');
  fs.writeFileSync(big, randomBytes(1024 * 1024 + 1));
  const invite = (await runCli(['create', '--server', server.url])).stdout.trim();
  expectFailure(await runCli(['send', invite, big]), 5, /\(FILE_TOO_LARGE\)$/);
  expect(fs.readdirSync(path.join(server.dataDir, 'files'))).toEqual([]);
});

it('a server that cannot be reached exits 6', async () => {
  const port = await freePort();
  expectFailure(await runCli(['create', '--server', `http://127.0.0.1:${port}`]), 6, /\(NETWORK_ERROR\)$/);
});

it('a file link with the wrong key is refused by the server (exit 4) and leaves no file behind', async () => {
  const invite = (await runCli(['create', '--server', server.url])).stdout.trim();
  const link = (await runCli(['send', invite, file])).stdout.trim();
  const wrong = `${link.split('#')[0]}#${fakeKey}`;
  const out = path.join(dir, 'tampered.bin');
  // The wrong key makes a download proof the server refuses: nothing is downloaded, and no download is counted.
  expectFailure(await runCli(['get', wrong, '-o', out]), 4, /\(PROOF_INVALID\)$/);
  expect(fs.readdirSync(dir).filter((name) => name.includes('tampered'))).toEqual([]);
});
