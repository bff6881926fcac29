import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web client: built from web/ into web/dist, which the server serves at `/`, `/r/<room_id>` and
 * `/f/<file_id>` (src/http/web-client.ts). `base: './'` makes every asset URL relative, so the same build
 * works at any of those paths and behind a proxy that serves Sealroom under a path prefix (the server
 * answers the assets under `/assets`, `/r/assets` and `/f/assets`). The page has no inline script or style
 * (the server's CSP forbids them), and nothing comes from another origin.
 */
export default defineConfig({
  root,
  base: './',
  // web/public: the service worker, the web app manifest and its icon, copied as they are (not hashed).
  publicDir: 'public',
  resolve: {
    // @sealroom/sdk (and the contracts it imports) from their sources, through the `@sealroom/source` export
    // condition of their package.json: one implementation of the crypto and the protocol, bundled with the
    // app, and no need to build the SDK first.
    conditions: ['@sealroom/source', ...defaultClientConditions],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
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
