#!/usr/bin/env node
// Generates the SDK's REST client (sdk/src/generated/rest/) from spec/openapi.json with
// openapi-typescript-codegen, using the request file kept in the repo (sdk/codegen/request.ts) instead of the
// stock fetch client. Run from the root as `npm run generate:sdk`; running it twice changes nothing.
//
// Before generating, two things in tsoa's spec output are read the way OpenAPI 3.0 means them (the committed
// spec is not changed; both steps are no-ops once the spec says it itself):
//   - a response body of `application/octet-stream` is raw bytes: its schema gets `format: binary` (tsoa writes
//     `format: byte`, which is base64 text), so the generated getFile returns a Blob, not a string;
//   - `servers` becomes a relative `/`: the client is always given the server's URL at run time, and tsoa's
//     entry renders as "https://[object Object]/".
// After generating: every file gets a DO-NOT-EDIT header, relative imports get the `.js` extension that the
// SDK's NodeNext/ESM build needs, and core/MultipartFieldOrder.ts records each multipart operation's field order
// from the spec (the server needs `room_id`, `proof`, `size` before `file`; the request file follows it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAPI from 'openapi-typescript-codegen';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const specPath = path.join(root, 'spec', 'openapi.json');
const requestFile = path.join('sdk', 'codegen', 'request.ts');
const outRel = path.join('sdk', 'src', 'generated', 'rest');
const outDir = path.join(root, outRel);
const codegenVersion = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules', 'openapi-typescript-codegen', 'package.json'), 'utf8'),
).version;

const HEADER = `// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen ${codegenVersion} (npm run generate:sdk).`;
const REQUEST_HEADER = '// DO NOT EDIT. Copied from sdk/codegen/request.ts by npm run generate:sdk: edit that file instead.';
const STOCK_HEADER = '/* generated using openapi-typescript-codegen -- do not edit */\n';

/** The spec as OpenAPI 3.0 reads it (see the top of this file). */
function normalizeSpec(spec) {
  const copy = structuredClone(spec);
  copy.servers = [{ url: '/' }];
  for (const operations of Object.values(copy.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values(operation.responses ?? {})) {
        const schema = response.content?.['application/octet-stream']?.schema;
        if (schema?.type === 'string') schema.format = 'binary';
      }
    }
  }
  return copy;
}

/** `{"POST /upload_file": ["room_id", "proof", "size", "file", "max_downloads"]}` from the spec. */
function multipartFieldOrder(spec) {
  const order = {};
  for (const [url, operations] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const schema = operation.requestBody?.content?.['multipart/form-data']?.schema;
      if (schema?.properties) order[`${method.toUpperCase()} ${url}`] = Object.keys(schema.properties);
    }
  }
  return order;
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** Adds `.js` to relative import and export specifiers that have no extension. */
function withJsExtensions(source) {
  return source.replace(/(\bfrom\s+')(\.{1,2}\/[^']+?)(')/g, (match, before, specifier, after) =>
    /\.[cm]?js$/.test(specifier) ? match : `${before}${specifier}.js${after}`,
  );
}

const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
process.chdir(root); // the generator insists on an output folder below the working directory
fs.rmSync(outDir, { recursive: true, force: true });
await OpenAPI.generate({
  input: normalizeSpec(spec),
  output: outRel,
  httpClient: 'fetch',
  clientName: 'SealroomApi',
  useOptions: true,
  useUnionTypes: true,
  indent: '2',
  request: requestFile,
});

const order = multipartFieldOrder(spec);
fs.writeFileSync(
  path.join(outDir, 'core', 'MultipartFieldOrder.ts'),
  [
    '/** Each multipart operation\'s form fields in the order of its schema in spec/openapi.json ("METHOD /path"). */',
    'export const MULTIPART_FIELD_ORDER: Readonly<Record<string, readonly string[]>> = {',
    ...Object.entries(order).map(([operation, fields]) => `  ${JSON.stringify(operation)}: ${JSON.stringify(fields).replace(/,/g, ', ')},`),
    '};',
    '',
  ].join('\n'),
);

const files = walk(outDir)
  .filter((file) => file.endsWith('.ts'))
  .sort();
for (const file of files) {
  const isRequest = path.relative(outDir, file) === path.join('core', 'request.ts');
  let source = fs.readFileSync(file, 'utf8');
  if (source.startsWith(STOCK_HEADER)) source = source.slice(STOCK_HEADER.length);
  source = `${isRequest ? REQUEST_HEADER : HEADER}\n${withJsExtensions(source)}`;
  fs.writeFileSync(file, source);
}
console.log(`wrote ${files.length} files to ${outRel}`);
