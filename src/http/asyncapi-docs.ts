import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response } from 'express';
import { AppError } from '../errors';
import { ASYNCAPI_DOCS_DIST, ASYNCAPI_PATH, PROTOCOL_PATH } from '../paths';

/**
 * The realtime contract: the AsyncAPI document at /asyncapi.yaml and its HTML rendering (made at build time
 * by @asyncapi/generator into dist/asyncapi) at /asyncapi; and the wire format both contracts refer to,
 * PROTOCOL.md, at /PROTOCOL.md (as text: browsers show it as it is written).
 */
export function mountRealtimeDocs(app: Express): void {
  const document = fs.readFileSync(ASYNCAPI_PATH, 'utf8');
  const protocol = fs.readFileSync(PROTOCOL_PATH, 'utf8');
  app.get('/PROTOCOL.md', (_req, res) => {
    res.type('text/markdown; charset=utf-8').send(protocol);
  });
  app.get('/asyncapi.yaml', (_req, res) => {
    res.type('application/yaml').send(document);
  });
  app.get('/asyncapi', (req, res, next) => {
    // The page's asset links are relative, so it must be served with a trailing slash.
    if (!req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, '/asyncapi/');
    if (!fs.existsSync(path.join(ASYNCAPI_DOCS_DIST, 'index.html'))) {
      return next(new AppError('NOT_FOUND', 'The AsyncAPI docs are not built on this server: run `npm run build`'));
    }
    next();
  });
  app.use('/asyncapi', (_req, res, next) => {
    allowEvalInDocsPage(res);
    next();
  });
  app.use('/asyncapi', express.static(ASYNCAPI_DOCS_DIST, { index: 'index.html', fallthrough: true }));
}

/**
 * The one exception to the strict CSP, for /asyncapi/ only: `script-src` also allows `'unsafe-eval'`.
 * The page has no inline scripts or styles (the renderer writes them to files), but the AsyncAPI UI bundle
 * compiles JSON schemas with ajv (`new Function`) while it loads — even its "without parser" build — and
 * without eval it stops before it renders the schemas. Everything else stays as strict as on every other
 * page: scripts from this origin only, no inline script, nothing from other origins; the page shows only
 * asyncapi.yaml, never user data.
 */
function allowEvalInDocsPage(res: Response): void {
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string') return;
  res.setHeader('Content-Security-Policy', policy.replace(/(^|;)script-src 'self'(?=;|$)/, "$1script-src 'self' 'unsafe-eval'"));
}
