/**
 * scripts/container-check.mjs, the container check README's Docker section tells operators to run. There is no
 * container runtime on the machines that run this suite, so it runs against a stand-in engine
 * (tests/support/fake-container-engine.mjs) whose "container" is the server from this checkout's sources: what
 * is tested is the check itself (what it asks of the server, and that it fails when something is wrong). The
 * image is checked for real in CI (.ci/run) with a podman-based tool that needs no runtime.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureAsyncapiDocs, ensureWebBuild } from '../support/builds';
import { freePort } from '../support/server';

const ROOT = path.resolve(__dirname, '..', '..');
const ENGINE = path.join(ROOT, 'tests', 'support', 'fake-container-engine.mjs');

function check(env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return freePort().then(
    (port) =>
      new Promise((resolve) => {
        const state = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-engine-'));
        execFile(
          process.execPath,
          [path.join(ROOT, 'scripts', 'container-check.mjs'), '--engine', ENGINE, '--port', String(port)],
          { cwd: ROOT, env: { ...process.env, FAKE_ENGINE_STATE: state, ...env }, timeout: 120_000 },
          (error, stdout, stderr) => {
            fs.rmSync(state, { recursive: true, force: true });
            resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
          },
        );
      }),
  );
}

beforeAll(() => {
  ensureWebBuild();
  ensureAsyncapiDocs();
}, 180_000);

describe('npm run container:check', () => {
  it('passes a server that is healthy, serves the app and its docs, and stops cleanly on SIGTERM', async () => {
    const { code, output } = await check();
    expect(output).toMatch(/\/health: \{"status":"ok"/);
    for (const page of ['/', '/docs/', '/asyncapi/', '/openapi.json', '/asyncapi.yaml', '/PROTOCOL.md'])
      expect(output).toContain(`GET ${page}: 200`);
    expect(output).toContain("the image's HEALTHCHECK command: exit 0");
    expect(output).toContain('stopped with exit code 0');
    expect({ code, pass: output.includes('PASS:') }).toEqual({ code: 0, pass: true });
  }, 150_000);

  it('fails, naming the problem, when the HEALTHCHECK command fails', async () => {
    const { code, output } = await check({ FAKE_ENGINE_BREAK: 'healthcheck' });
    expect(code).toBe(1);
    expect(output).toContain('FAIL: the HEALTHCHECK command exited 1');
  }, 150_000);

  it('stops with one line, exit 2, when there is no container engine', async () => {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(ROOT, 'scripts', 'container-check.mjs'), '--engine', '/nonexistent/docker'],
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      ),
    );
    expect(code).toBe(2);
    expect(output.trim()).toBe('[container-check] needs a running Docker (or Podman): install one, or pass --engine');
  });
});
