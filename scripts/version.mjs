#!/usr/bin/env node
// One version for the API and the SDK. `node scripts/version.mjs 1.2.0` moves package.json, sdk/package.json,
// asyncapi.yaml (info.version) and, through `npm run generate`, spec/openapi.json (tsoa reads package.json);
// it also opens the CHANGELOG section. `node scripts/version.mjs --check [1.2.0]` fails when they disagree.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const file = (rel) => path.join(root, rel);
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const ASYNCAPI_VERSION = /^(info:\n(?:[ \t]+.*\n)*?[ \t]+version:[ \t]*)['"]?([^'"\n]+)['"]?/m;

function readVersions() {
  const json = (rel) => JSON.parse(fs.readFileSync(file(rel), 'utf8'));
  const asyncapi = ASYNCAPI_VERSION.exec(fs.readFileSync(file('asyncapi.yaml'), 'utf8'));
  return {
    'package.json': json('package.json').version,
    'sdk/package.json': json('sdk/package.json').version,
    'spec/openapi.json': json('spec/openapi.json').info.version,
    'asyncapi.yaml': asyncapi ? asyncapi[2] : '(no info.version)',
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
  for (const rel of ['package.json', 'sdk/package.json']) {
    const pkg = JSON.parse(fs.readFileSync(file(rel), 'utf8'));
    pkg.version = version;
    fs.writeFileSync(file(rel), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  const yaml = fs.readFileSync(file('asyncapi.yaml'), 'utf8');
  if (!ASYNCAPI_VERSION.test(yaml)) throw new Error('asyncapi.yaml has no info.version');
  fs.writeFileSync(file('asyncapi.yaml'), yaml.replace(ASYNCAPI_VERSION, `$1'${version}'`));
  const changelog = fs.readFileSync(file('CHANGELOG.md'), 'utf8');
  const today = new Date().toISOString().slice(0, 10);
  fs.writeFileSync(file('CHANGELOG.md'), changelog.replace('## [Unreleased]', `## [Unreleased]\n\n## [${version}] - ${today}`));
  execSync('npm install --package-lock-only --ignore-scripts --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  execSync('npm run generate', { cwd: root, stdio: 'inherit' });
  check(version);
}

const [arg, value] = process.argv.slice(2);
if (arg === '--check') check(value);
else if (arg && !arg.startsWith('-')) bump(arg);
else {
  console.error('usage: node scripts/version.mjs <new version> | --check [version]');
  process.exit(2);
}
