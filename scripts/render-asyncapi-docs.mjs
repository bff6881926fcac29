#!/usr/bin/env node
// Renders asyncapi.yaml to HTML (dist/asyncapi/) with @asyncapi/generator and @asyncapi/html-template, both
// installed locally and given by path (an uninstalled template makes the generator try to fetch it and hang).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Generator from '@asyncapi/generator';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const template = path.dirname(require.resolve('@asyncapi/html-template/package.json'));
const outDir = path.join(root, 'dist', 'asyncapi');

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const generator = new Generator(template, outDir, {
  forceWrite: true,
  install: false,
  templateParams: { singleFile: 'false', outFilename: 'index.html', sidebarOrganization: 'byTags' },
});
await generator.generateFromFile(path.join(root, 'asyncapi.yaml'));
console.log(`rendered ${path.relative(root, outDir)}/index.html`);
