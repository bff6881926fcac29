import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const project = path.resolve(root, '../..');

/**
 * The web client: built from src/web into dist/web, which the server serves at `/`, `/r/<room_id>` and
 * `/f/<file_id>` (src/http/web-client.ts). `base: './'` makes every asset URL relative, so the same build
 * works at any of those paths and behind a proxy that serves Sealroom under a path prefix (the server
 * answers the assets under `/assets`, `/r/assets` and `/f/assets`). The page has no inline script or style
 * (the server's CSP forbids them), and nothing comes from another origin.
 */
export default defineConfig({
  root,
  base: './',
  publicDir: false,
  resolve: {
    // The SDK from its sources: one implementation of the crypto and the protocol, bundled with the app.
    alias: { '@sealroom/sdk': path.join(project, 'sdk/src/index.ts') },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(project, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // Emit every asset as a file: nothing inlined as a data: URL or a <style> block.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { port: 5173 },
});
