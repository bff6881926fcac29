#!/usr/bin/env node
// Generates @sealroom/contracts (contracts/src/generated/) from the two contracts:
//   - realtime-events.ts from asyncapi.yaml, with @asyncapi/generator and the template kept in
//     contracts/codegen/socketio-types (given by path and never installed: the generator does not reach for
//     the network);
//   - error-codes.ts from the `ErrorCode` schema of spec/openapi.json (which tsoa writes from src/errors.ts).
// Run from the root as `npm run generate:contracts`, after `generate:rest`; running it twice changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Generator from '@asyncapi/generator';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const template = path.join(root, 'contracts', 'codegen', 'socketio-types');
const outDir = path.join(root, 'contracts', 'src', 'generated');

fs.mkdirSync(outDir, { recursive: true });
const generator = new Generator(template, outDir, { forceWrite: true, install: false, output: 'fs' });
await generator.generateFromFile(path.join(root, 'asyncapi.yaml'));
fs.rmSync(path.join(template, '__transpiled'), { recursive: true, force: true });

const spec = JSON.parse(fs.readFileSync(path.join(root, 'spec', 'openapi.json'), 'utf8'));
const schema = spec.components?.schemas?.ErrorCode;
if (!Array.isArray(schema?.enum)) throw new Error('spec/openapi.json has no components.schemas.ErrorCode enum');
const comment = (text) =>
  `/**\n${text
    .trim()
    .split('\n')
    .map((line) => ` * ${line}`.trimEnd())
    .join('\n')}\n */\n`;
fs.writeFileSync(
  path.join(outDir, 'error-codes.ts'),
  `// DO NOT EDIT. Generated from the ErrorCode schema of spec/openapi.json (npm run generate:contracts).
// The server defines the codes (src/errors.ts); the SDK, the web client and the CLI read them from here.

${comment(schema.description ?? 'Stable error codes.')}export const ERROR_CODES = [
${schema.enum.map((code) => `  ${JSON.stringify(code)},`).join('\n')}
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Whether a value is one of the server's error codes. */
export const isErrorCode = (value: unknown): value is ErrorCode => (ERROR_CODES as readonly unknown[]).includes(value);
`,
);
for (const name of ['realtime-events.ts', 'error-codes.ts']) console.log(`wrote ${path.relative(root, path.join(outDir, name))}`);
