/**
 * What the browser tests need built, built here when missing or older than its sources, so that `npm test`
 * (and `npx jest tests/e2e` alone) needs no `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ASYNCAPI_DOCS_DIST, ASYNCAPI_PATH, ROOT, WEB_DIST } from '../../src/paths';

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

function ensureBuilt(output: string, sources: string[], build: () => void): void {
  const built = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
  if (built > Math.max(...sources.map(newestMtime))) return;
  build();
}

/** The web client (web/ into web/dist), which bundles the SDK and the contracts from their sources. */
export function ensureWebBuild(): void {
  const sources = ['web', 'sdk/src', 'contracts/src'].map((dir) => path.join(ROOT, dir));
  ensureBuilt(path.join(WEB_DIST, 'index.html'), sources, () => {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: path.join(ROOT, 'web'),
      stdio: 'inherit',
    });
  });
}

/** The AsyncAPI document rendered to HTML (dist/asyncapi), as `/asyncapi` serves it. */
export function ensureAsyncapiDocs(): void {
  ensureBuilt(path.join(ASYNCAPI_DOCS_DIST, 'index.html'), [ASYNCAPI_PATH], () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'render-asyncapi-docs.mjs')], { cwd: ROOT, stdio: 'inherit' });
  });
}
