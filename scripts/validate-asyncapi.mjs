#!/usr/bin/env node
// Validates asyncapi.yaml (or the file given) with the official parser; exits 1 on any error-level diagnostic.
import fs from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const file = path.resolve(process.argv[2] ?? path.join(root, 'asyncapi.yaml'));
const { document, diagnostics } = await new Parser().parse(fs.readFileSync(file, 'utf8'), { source: file });

const severities = ['error', 'warning', 'info', 'hint'];
for (const d of diagnostics) {
  if (d.severity > 1) continue; // errors and warnings only
  console.error(`${severities[d.severity]}: ${d.message} (${d.code}) at ${d.path.join('.') || '/'}`);
}
const errors = diagnostics.filter((d) => d.severity === 0);
if (!document || errors.length > 0) {
  console.error(`${path.relative(root, file)}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(
  `${path.relative(root, file)} is a valid AsyncAPI ${document.version()} document (${document.allMessages().length} messages, ${document.allOperations().length} operations).`,
);
