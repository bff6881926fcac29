import fs from 'node:fs';
import path from 'node:path';

/** The project root (where package.json is), from src/ under ts-node/jest or dist/src/ when built. */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'spec'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the Sealroom project root above ${start}`);
  }
}

export const ROOT = findRoot(__dirname);
export const OPENAPI_PATH = path.join(ROOT, 'spec', 'openapi.json');
export const ASYNCAPI_PATH = path.join(ROOT, 'asyncapi.yaml');
/** The wire format, for implementers: served at /PROTOCOL.md. */
export const PROTOCOL_PATH = path.join(ROOT, 'PROTOCOL.md');
/** Built assets: the web client (its own package, web/) and the rendered AsyncAPI docs (`npm run build`). */
export const WEB_DIST = path.join(ROOT, 'web', 'dist');
export const ASYNCAPI_DOCS_DIST = path.join(ROOT, 'dist', 'asyncapi');
