#!/usr/bin/env node
// One version for the server, its contracts and every package. `node scripts/version.mjs 1.2.0` moves the
// sources of the version: package.json and each workspace's (contracts, sdk, web, cli, with their dependencies
// on one another), package-lock.json (its root and workspace entries) and asyncapi.yaml (info.version), and
// opens the CHANGELOG section; then `npm run generate` moves what is derived from them: spec/openapi.json (tsoa
// takes info.version from package.json, tsoa.json sets none), the SDK's generated REST client (VERSION, from the
// spec) and the contracts' event types (ASYNCAPI_VERSION). The server reports package.json's version in /health
// and /config (src/version.ts). `node scripts/version.mjs --check [1.2.0]` fails when any of them disagree.
// `--root <dir>` works on another copy of the repository; `--no-generate` leaves the derived files alone
// (tests use both; a real bump must regenerate).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  return args.splice(i, name === '--root' ? 2 : 1).at(-1);
};
const root = path.resolve(flag('--root') ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const generate = flag('--no-generate') === undefined;
const file = (rel) => path.join(root, rel);
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const SDK_REST = 'sdk/src/generated/rest/SealroomApi.ts';
const EVENTS = 'contracts/src/generated/realtime-events.ts';
const WORKSPACES = ['contracts', 'sdk', 'web', 'cli'];
const ASYNCAPI_VERSION = /^(info:\n(?:[ \t]+.*\n)*?[ \t]+version:[ \t]*)['"]?([^'"\n]+)['"]?/m;

function readVersions() {
  const json = (rel) => JSON.parse(fs.readFileSync(file(rel), 'utf8'));
  const found = (rel, pattern) => pattern.exec(fs.readFileSync(file(rel), 'utf8'))?.[1] ?? '(not found)';
  const asyncapi = ASYNCAPI_VERSION.exec(fs.readFileSync(file('asyncapi.yaml'), 'utf8'));
  const lock = json('package-lock.json');
  const versions = { 'package.json': json('package.json').version };
  for (const ws of WORKSPACES) {
    const pkg = json(`${ws}/package.json`);
    versions[`${ws}/package.json`] = pkg.version;
    for (const [name, range] of Object.entries(pkg.dependencies ?? {}))
      if (name.startsWith('@sealroom/')) versions[`${ws}/package.json (${name})`] = range;
  }
  versions['package-lock.json'] = lock.version;
  versions['package-lock.json (root package)'] = lock.packages?.['']?.version;
  for (const ws of WORKSPACES) versions[`package-lock.json (${ws})`] = lock.packages?.[ws]?.version;
  return {
    ...versions,
    'asyncapi.yaml': asyncapi ? asyncapi[2] : '(no info.version)',
    'spec/openapi.json': json('spec/openapi.json').info.version,
    [SDK_REST]: found(SDK_REST, /VERSION: config\?\.VERSION \?\? '([^']+)'/),
    [EVENTS]: found(EVENTS, /export const ASYNCAPI_VERSION = "([^"]+)"/),
  };
}

function check(expected) {
  const versions = readVersions();
  const want = expected ?? versions['package.json'];
  const wrong = Object.entries(versions).filter(([, v]) => v !== want);
  if (wrong.length > 0) {
    console.error(`Versions disagree (expected ${want}):`);
    for (const [where, v] of Object.entries(versions)) console.error(`  ${where}: ${v}`);
    process.exit(1);
  }
  console.log(`All versions are ${want}.`);
}

function bump(version) {
  if (!SEMVER.test(version)) throw new Error(`not a semantic version: ${version}`);
  // The workspaces depend on one another by exact version, so those ranges move with it.
  const setVersion = (pkg) => {
    pkg.version = version;
    for (const name of Object.keys(pkg.dependencies ?? {})) if (name.startsWith('@sealroom/')) pkg.dependencies[name] = version;
  };
  for (const rel of ['package.json', ...WORKSPACES.map((ws) => `${ws}/package.json`)]) {
    const pkg = JSON.parse(fs.readFileSync(file(rel), 'utf8'));
    setVersion(pkg);
    fs.writeFileSync(file(rel), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  // The lockfile records the workspace versions; edited directly (npm install would want the registry).
  const lock = JSON.parse(fs.readFileSync(file('package-lock.json'), 'utf8'));
  lock.version = version;
  for (const key of ['', ...WORKSPACES]) if (lock.packages?.[key]) setVersion(lock.packages[key]);
  fs.writeFileSync(file('package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  const yaml = fs.readFileSync(file('asyncapi.yaml'), 'utf8');
  if (!ASYNCAPI_VERSION.test(yaml)) throw new Error('asyncapi.yaml has no info.version');
  fs.writeFileSync(file('asyncapi.yaml'), yaml.replace(ASYNCAPI_VERSION, `$1'${version}'`));
  const changelog = fs.readFileSync(file('CHANGELOG.md'), 'utf8');
  const today = new Date().toISOString().slice(0, 10);
  fs.writeFileSync(file('CHANGELOG.md'), changelog.replace('## [Unreleased]', `## [Unreleased]\n\n## [${version}] - ${today}`));
  if (!generate) return;
  execSync('npm run generate', { cwd: root, stdio: 'inherit' });
  check(version);
}

const [arg, value] = args;
if (arg === '--check') check(value);
else if (arg && !arg.startsWith('-')) bump(arg);
else {
  console.error('usage: node scripts/version.mjs <new version> | --check [version]  [--root <dir>] [--no-generate]');
  process.exit(2);
}
