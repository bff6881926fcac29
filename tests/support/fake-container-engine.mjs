#!/usr/bin/env node
// A stand-in for `docker` in tests/release/container-check.release.test.ts, on machines without a container
// runtime: it answers the commands scripts/container-check.mjs uses, running the server from this checkout's
// sources as "the container" (so the check's logic meets a real server, not the image: CI checks the image
// itself with a podman-based tool). State lives in FAKE_ENGINE_STATE. FAKE_ENGINE_BREAK=healthcheck makes the
// HEALTHCHECK command fail, so that the test can show the check catches it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const state = process.env.FAKE_ENGINE_STATE;
const [command, ...args] = process.argv.slice(2);
const file = (name, ext) => path.join(state, `${name}.${ext}`);
const read = (name, ext) => fs.readFileSync(file(name, ext), 'utf8');
const sources = ['--conditions=@sealroom/source', '--import', 'tsx'];

switch (command) {
  case 'info':
  case 'build':
    break;
  case 'run': {
    const name = args[args.indexOf('--name') + 1];
    const port = args[args.indexOf('-p') + 1].split(':')[1];
    fs.writeFileSync(file(name, 'port'), port);
    const log = fs.openSync(file(name, 'log'), 'a');
    // A keeper process waits for the server and records its exit code, as an engine does for a container.
    const keeper = `
      const { spawn } = require('node:child_process');
      const fs = require('node:fs');
      const server = spawn(process.execPath, ${JSON.stringify([...sources, path.join(root, 'src', 'main.ts')])}, { stdio: 'inherit', cwd: ${JSON.stringify(root)} });
      fs.writeFileSync(${JSON.stringify(file(name, 'pid'))}, String(server.pid));
      server.on('exit', (code, signal) => fs.writeFileSync(${JSON.stringify(file(name, 'exit'))}, String(code ?? 128)));`;
    const env = { ...process.env, PORT: port, DATA_DIR: path.join(state, name), LOG_LEVEL: 'warn', SHUTDOWN_GRACE: '2' };
    spawn(process.execPath, ['-e', keeper], { detached: true, stdio: ['ignore', log, log], env }).unref();
    console.log(name);
    break;
  }
  case 'exec': {
    const [name] = args;
    if (process.env.FAKE_ENGINE_BREAK === 'healthcheck') process.exit(1);
    const result = spawnSync(process.execPath, [...sources, path.join(root, 'src', 'healthcheck.ts')], {
      env: { ...process.env, PORT: read(name, 'port') },
      stdio: 'inherit',
    });
    process.exit(result.status ?? 1);
    break;
  }
  case 'stop': {
    const name = args.at(-1);
    process.kill(Number(read(name, 'pid')), 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (!fs.existsSync(file(name, 'exit')) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
    break;
  }
  case 'inspect':
    console.log(fs.existsSync(file(args.at(-1), 'exit')) ? read(args.at(-1), 'exit') : '');
    break;
  case 'logs':
    process.stdout.write(read(args.at(-1), 'log'));
    break;
  case 'rm': {
    const name = args.at(-1);
    if (!fs.existsSync(file(name, 'exit'))) spawnSync('kill', ['-9', read(name, 'pid')]);
    break;
  }
  default:
    console.error(`fake engine: unknown command ${command}`);
    process.exit(2);
}
