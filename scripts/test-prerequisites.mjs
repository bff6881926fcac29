#!/usr/bin/env node
// Runs before `npm test` (the `pretest` script): makes sure the two programs the suite drives are on this
// machine, installing what is missing the way the platform allows, or stops with one line saying what to run.
//   - a Chromium for the browser tests (playwright-core drives it): CHROMIUM_PATH, else /usr/bin/chromium,
//     else a browser playwright downloaded before; else Debian's `chromium` package when running as root with
//     apt-get, else playwright's own download (where the network allows it);
//   - `redis-server` for the cluster test that restarts a Redis of its own: else Debian's `redis-server`
//     package (as root with apt-get), installed without starting the packaged service.
// The test support code (tests/support/chromium.ts) finds the browser in the same order.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const say = (line) => console.log(`[test prerequisites] ${line}`);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

function fail(line) {
  console.error(`[test prerequisites] ${line}`);
  process.exit(1);
}

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const downloaded = require('playwright-core').chromium.executablePath();
  return downloaded && fs.existsSync(downloaded) ? downloaded : null;
}

let aptUpdated = false;
function aptInstall(pkg) {
  if (!aptUpdated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  aptUpdated = true;
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

function ensureChromium() {
  if (process.env.CHROMIUM_PATH && !chromiumPath()) fail(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
  if (chromiumPath()) return say(`Chromium: ${chromiumPath()}`);
  if (isRoot && hasApt) {
    say("Chromium for the browser tests: installing Debian's chromium package (apt-get install -y chromium)");
    aptInstall('chromium');
  } else {
    say("Chromium for the browser tests: trying playwright's download (npx playwright-core install chromium)");
    const cli = path.join(path.dirname(require.resolve('playwright-core/package.json')), 'cli.js');
    const download = spawnSync(process.execPath, [cli, 'install', 'chromium'], { encoding: 'utf8' });
    const reason = `${download.stderr ?? ''}`.split('\n').find((line) => /^Error/.test(line));
    if (download.status !== 0) say(`playwright's download failed${reason ? `: ${reason}` : ''}`);
  }
  if (!chromiumPath()) {
    fail(
      'no Chromium for the browser tests: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium binary), then npm test',
    );
  }
  say(`Chromium: ${chromiumPath()}`);
}

function ensureRedisServer() {
  const found = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (found()) return say('redis-server: on the PATH');
  if (!(isRoot && hasApt)) fail('no redis-server for the cluster tests: run `sudo apt-get install -y redis-server`, then npm test');
  say("redis-server for the Redis-restart cluster test: installing Debian's redis-server package (its service is not started)");
  // policy-rc.d keeps the package from starting its own server on port 6379, where the machine's Redis runs.
  const policy = '/usr/sbin/policy-rc.d';
  const madePolicy = !fs.existsSync(policy);
  if (madePolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    aptInstall('redis-server');
  } finally {
    if (madePolicy) fs.rmSync(policy, { force: true });
  }
  if (!found()) fail('redis-server did not install: run `sudo apt-get install -y redis-server`, then npm test');
}

ensureChromium();
ensureRedisServer();
