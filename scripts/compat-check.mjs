#!/usr/bin/env node
// The compatibility guard. Released contracts are kept under spec/released/<version>/ (openapi.json and
// asyncapi.yaml as they were when <version> was tagged). This compares the committed spec/openapi.json and
// asyncapi.yaml with the latest baseline at or below the current version (package.json) and fails on a
// breaking change unless the version left the baseline's compatibility line.
//
// Compatibility line = npm's caret range, the semver convention for 0.x: 1.4.2 and 1.9.0 share the line "1";
// 0.1.0 and 0.1.7 share "0.1" (for 0.x the minor counts as the major); 0.0.3 is a line of its own. So a
// breaking change needs 2.0.0 after 1.x, 0.2.0 after 0.1.x.
//
//   node scripts/compat-check.mjs                    compare (npm run compat:check)
//   node scripts/compat-check.mjs --baseline         save the committed contracts as the current version's baseline
//   node scripts/compat-check.mjs --release <v>      fail unless spec/released/<v>/ holds exactly the committed contracts
//   --root <dir>                                     work on another copy of the repository (tests use it)
import fs from 'node:fs';
import path from 'node:path';
import { compareAsyncapi, compareOpenapi } from './compat-diff.mjs';

const CONTRACTS = [
  { name: 'openapi.json', committed: 'spec/openapi.json' },
  { name: 'asyncapi.yaml', committed: 'asyncapi.yaml' },
];
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/;

function parseVersion(version) {
  const match = SEMVER.exec(version);
  if (!match) throw new Error(`not a semantic version: ${version}`);
  return match.slice(1, 4).map(Number);
}

/** The caret range's fixed part: breaking changes must leave it. */
function compatibilityLine(version) {
  const [major, minor, patch] = parseVersion(version);
  return major > 0 ? `${major}` : minor > 0 ? `0.${minor}` : `0.0.${patch}`;
}

const compare = (a, b) => {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

function options(argv) {
  const parsed = { mode: 'check', root: path.resolve(path.dirname(new URL(import.meta.url).pathname), '..') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') parsed.root = path.resolve(argv[++i]);
    else if (argv[i] === '--baseline') parsed.mode = 'baseline';
    else if (argv[i] === '--release') Object.assign(parsed, { mode: 'release', version: argv[++i] });
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  return parsed;
}

const read = (root, rel) => fs.readFileSync(path.join(root, rel), 'utf8');
const currentVersion = (root) => JSON.parse(read(root, 'package.json')).version;
const releasedDir = (root) => path.join(root, 'spec', 'released');

function releasedVersions(root) {
  if (!fs.existsSync(releasedDir(root))) return [];
  return fs
    .readdirSync(releasedDir(root))
    .filter((name) => SEMVER.test(name))
    .sort(compare);
}

function saveBaseline(root) {
  const version = currentVersion(root);
  const dir = path.join(releasedDir(root), version);
  const existing = CONTRACTS.filter((c) => fs.existsSync(path.join(dir, c.name)));
  if (existing.length > 0) {
    const differs = existing.some((c) => read(root, c.committed) !== fs.readFileSync(path.join(dir, c.name), 'utf8'));
    // A released baseline is history: it never changes, or the guard would compare against a moving target.
    if (differs) throw new Error(`spec/released/${version}/ exists with other contents; bump the version first (scripts/version.mjs)`);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const c of CONTRACTS) fs.copyFileSync(path.join(root, c.committed), path.join(dir, c.name));
  console.log(`Saved the contracts of ${version} to spec/released/${version}/.`);
}

function checkRelease(root, version) {
  const dir = path.join(releasedDir(root), version);
  const problems = CONTRACTS.filter(
    (c) => !fs.existsSync(path.join(dir, c.name)) || fs.readFileSync(path.join(dir, c.name), 'utf8') !== read(root, c.committed),
  );
  if (problems.length > 0) {
    console.error(
      `spec/released/${version}/ must hold the committed ${problems.map((c) => c.name).join(' and ')} (run: npm run compat:baseline)`,
    );
    process.exit(1);
  }
  console.log(`spec/released/${version}/ holds the committed contracts.`);
}

async function check(root) {
  const version = currentVersion(root);
  const baseline = releasedVersions(root)
    .filter((v) => compare(v, version) <= 0)
    .at(-1);
  if (!baseline) throw new Error(`no released baseline at or below ${version} under spec/released/`);
  const dir = path.join(releasedDir(root), baseline);
  const openapi = await compareOpenapi(
    JSON.parse(fs.readFileSync(path.join(dir, 'openapi.json'), 'utf8')),
    JSON.parse(read(root, 'spec/openapi.json')),
  );
  const asyncapi = await compareAsyncapi(fs.readFileSync(path.join(dir, 'asyncapi.yaml'), 'utf8'), read(root, 'asyncapi.yaml'));
  const breaking = [...openapi.breaking, ...asyncapi.breaking];
  const nonBreaking = [...openapi.nonBreaking, ...asyncapi.nonBreaking];

  console.log(
    `Contracts of ${version} compared with the released ${baseline}: ${breaking.length} breaking, ${nonBreaking.length} compatible change(s).`,
  );
  for (const line of nonBreaking) console.log(`  compatible: ${line}`);
  if (breaking.length === 0) return;
  const lineMoved = compatibilityLine(version) !== compatibilityLine(baseline) && compare(version, baseline) > 0;
  for (const line of breaking) console[lineMoved ? 'log' : 'error'](`  BREAKING: ${line}`);
  if (lineMoved) {
    console.log(`Allowed: ${version} starts a new compatibility line (${compatibilityLine(version)}, was ${compatibilityLine(baseline)}).`);
    return;
  }
  console.error(
    `Breaking changes need a new major version (for 0.x a new minor): ${version} is still on the line ${compatibilityLine(baseline)} ` +
      `of ${baseline}. Make the change compatible, or bump with node scripts/version.mjs and note it in CHANGELOG.md.`,
  );
  process.exit(1);
}

const opts = options(process.argv.slice(2));
if (opts.mode === 'baseline') saveBaseline(opts.root);
else if (opts.mode === 'release') checkRelease(opts.root, opts.version);
else await check(opts.root);
