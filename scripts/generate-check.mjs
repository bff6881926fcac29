#!/usr/bin/env node
// Fails when the committed generated files (spec, routes, SDK) are not what the sources generate.
// It regenerates in place and compares: a stale copy is left fresh on disk, ready to commit.
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const GENERATED = ['spec/openapi.json', 'src/generated', 'sdk/src/generated', 'contracts/src/generated'];

function snapshot() {
  const files = new Map();
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const name of fs.readdirSync(abs)) walk(path.join(rel, name));
    } else {
      files.set(rel, createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
    }
  };
  GENERATED.forEach(walk);
  return files;
}

const before = snapshot();
execSync('npm run --silent generate', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const after = snapshot();

const changed = [...new Set([...before.keys(), ...after.keys()])]
  .filter((f) => before.get(f) !== after.get(f))
  .map((f) => `${!before.has(f) ? 'added  ' : !after.has(f) ? 'removed' : 'changed'} ${f}`);

if (changed.length > 0) {
  console.error('Generated files were stale (now regenerated; review and commit them):');
  for (const line of changed) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`generate:check: ${after.size} generated files are up to date.`);
