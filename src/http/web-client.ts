import fs from 'node:fs/promises';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { WEB_DIST } from '../paths';

/** The pages of the web client: one HTML shell, which routes in the browser. */
export const WEB_CLIENT_PAGES = ['/', '/r/:room_id', '/f/:file_id'];

/**
 * The web client (built by Vite from src/web into dist/web): its page at `/`, `/r/<room_id>` and
 * `/f/<file_id>` (the keys stay in the fragment, which never reaches the server), and its hashed assets.
 * The build uses relative asset URLs, so the assets are answered under each page's folder (`/assets`,
 * `/r/assets`, `/f/assets`); that keeps the client working behind a proxy that adds a path prefix.
 * The page runs under the site-wide CSP of security.ts unchanged: no inline script or style, same origin only.
 */
export function mountWebClient(app: Express, dist = WEB_DIST, publicUrl = ''): void {
  const indexPath = path.join(dist, 'index.html');
  const page: RequestHandler = async (_req, res, next) => {
    let html: string;
    try {
      html = await fs.readFile(indexPath, 'utf8'); // small, and read fresh so a rebuild is served at once
    } catch {
      return next(new AppError('NOT_FOUND', 'The web client is not built on this server: run `npm run build`'));
    }
    // The shell must be revalidated (it names the current assets); the hashed assets never change.
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  };
  app.get(WEB_CLIENT_PAGES, page);
  const assets = express.static(path.join(dist, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: true });
  app.use(['/assets', '/r/assets', '/f/assets'], assets);

  // Installing the app (web/public): the manifest and its icon, and the service worker, at the root so that its
  // scope covers every page; the client links them from there. Revalidated on every visit, so updates take effect.
  for (const [file, type] of WEB_APP_FILES) {
    app.get(`/${file}`, (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-cache');
      res
        .type(type)
        .sendFile(path.join(dist, file), (err) => err && next(new AppError('NOT_FOUND', `No ${file} in this build of the web client`)));
    });
  }

  // Any other path a browser opens gets the web client's own "not found" page (with a 404), not raw JSON.
  // API clients (anything that does not prefer HTML) still get the JSON error from the not-found handler.
  const prefix = publicUrl === '' ? '' : new URL(publicUrl).pathname.replace(/\/+$/, '');
  app.use(async (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.accepts(['json', 'html']) !== 'html') return next();
    let html: string;
    try {
      html = await fs.readFile(indexPath, 'utf8');
    } catch {
      return next();
    }
    // The page is not at one of its usual places: absolute asset URLs, and a marker the client reads to show "not found".
    html = html.replace('<head>', '<head>\n    <meta name="sealroom-page" content="not-found" />').replaceAll('="./', `="${prefix}/`);
    res.status(404).setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  });
}

/** Files of the installable web app, served next to each page. */
const WEB_APP_FILES: Array<[string, string]> = [
  ['manifest.webmanifest', 'application/manifest+json'],
  ['sw.js', 'text/javascript'],
  ['icon.svg', 'image/svg+xml'],
];
