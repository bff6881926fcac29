#!/usr/bin/env node
// Generates the Socket.IO event types (sdk/src/generated/realtime/events.ts) from asyncapi.yaml with
// @asyncapi/generator and the template kept in templates/socketio-types. The template is given by path and
// nothing is installed: the generator never reaches for the network.
import fs from 'node:fs';
import path from 'node:path';
import Generator from '@asyncapi/generator';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const template = path.join(root, 'templates', 'socketio-types');
const outDir = path.join(root, 'sdk', 'src', 'generated', 'realtime');

fs.mkdirSync(outDir, { recursive: true });
const generator = new Generator(template, outDir, { forceWrite: true, install: false, output: 'fs' });
await generator.generateFromFile(path.join(root, 'asyncapi.yaml'));
fs.rmSync(path.join(template, '__transpiled'), { recursive: true, force: true });
console.log(`wrote ${path.relative(root, path.join(outDir, 'events.ts'))}`);
