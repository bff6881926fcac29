#!/usr/bin/env node
// The project's own container check (`npm run container:check`), for a machine with Docker or Podman: builds
// the Dockerfile, runs the image, and checks what an operator relies on: /health answers 200, the web client,
// the API docs and the contracts are served, the image's HEALTHCHECK command passes, and `stop` (SIGTERM) ends
// the server cleanly (exit code 0). Exit status: 0 PASS, 1 FAIL, 2 no container engine or bad usage.
//
//   node scripts/container-check.mjs [--engine docker|podman] [--port 5000] [--tag sealroom:check]
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values: flags } = parseArgs({
  options: { engine: { type: 'string' }, port: { type: 'string', default: '5000' }, tag: { type: 'string', default: 'sealroom:check' } },
});
const say = (line) => console.log(`[container-check] ${line}`);
const works = (engine) => spawnSync(engine, ['info'], { stdio: 'ignore' }).status === 0;
const engine = flags.engine ?? ['docker', 'podman'].find(works);
if (!engine || !works(engine)) {
  console.error('[container-check] needs a running Docker (or Podman): install one, or pass --engine');
  process.exit(2);
}
const port = Number(flags.port);
const name = `sealroom-check-${randomBytes(4).toString('hex')}`;
const run = (args, options = {}) => (execFileSync(engine, args, { encoding: 'utf8', ...options }) ?? '').trim();
const problems = [];

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return await res.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`GET ${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

let started = false;
try {
  say(`${engine} build -t ${flags.tag} .`);
  run(['build', '-t', flags.tag, '.'], { cwd: root, stdio: 'inherit' });
  say(`${engine} run ${flags.tag} on 127.0.0.1:${port}`);
  run(['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:5000`, flags.tag]);
  started = true;
  const base = `http://127.0.0.1:${port}`;
  say(`/health: ${await waitForHealth(`${base}/health`, 60_000)}`);
  for (const page of ['/', '/docs/', '/asyncapi/', '/openapi.json', '/asyncapi.yaml', '/PROTOCOL.md']) {
    const status = (await fetch(`${base}${page}`)).status;
    say(`GET ${page}: ${status}`);
    if (status !== 200) problems.push(`GET ${page} answered ${status}`);
  }
  const healthcheck = spawnSync(engine, ['exec', name, 'node', 'dist/src/healthcheck.js'], { stdio: 'inherit' });
  say(`the image's HEALTHCHECK command: exit ${healthcheck.status}`);
  if (healthcheck.status !== 0) problems.push(`the HEALTHCHECK command exited ${healthcheck.status}`);
  run(['stop', '-t', '15', name]);
  const exitCode = run(['inspect', '-f', '{{.State.ExitCode}}', name]);
  say(`stopped with exit code ${exitCode}`);
  if (exitCode !== '0') problems.push(`the server exited ${exitCode} on SIGTERM (a graceful shutdown exits 0)`);
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  if (started) {
    if (problems.length > 0) spawnSync(engine, ['logs', '--tail', '50', name], { stdio: 'inherit' });
    spawnSync(engine, ['rm', '-f', name], { stdio: 'ignore' });
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`[container-check] FAIL: ${problem}`);
  process.exit(1);
}
say(`PASS: ${flags.tag} builds, starts, serves the app and its docs, passes its HEALTHCHECK and stops cleanly`);
