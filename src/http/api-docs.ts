import fs from 'node:fs';
import type { Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import { OPENAPI_PATH } from '../paths';

/** What swagger-ui-express puts inline in its page, moved to a stylesheet so that the strict CSP holds. */
const PAGE_CSS = `html { box-sizing: border-box; overflow-y: scroll; }
*, *:before, *:after { box-sizing: inherit; }
body { margin: 0; background: #fafafa; }
.sr-svg-sprite { position: absolute; width: 0; height: 0; }
`;

/**
 * The OpenAPI document at /openapi.json and Swagger UI at /docs, where every operation can be tried. The
 * page is swagger-ui-express's, minus its inline <style> and style attribute (moved to /docs/page.css): the
 * whole site runs under a CSP without 'unsafe-inline', and so does this page.
 */
export function mountApiDocs(app: Express): void {
  const spec = JSON.parse(fs.readFileSync(OPENAPI_PATH, 'utf8')) as Record<string, unknown>;
  // BaseLayout: Swagger UI without its top bar, whose logo is an SVG with an inline <style> that the CSP
  // (rightly) blocks; the bar's only other use, loading another spec by URL, is not wanted here.
  const options = {
    customSiteTitle: 'Sealroom API',
    swaggerOptions: {
      tryItOutEnabled: true,
      displayRequestDuration: true,
      layout: 'BaseLayout',
      requestInterceptor: orderMultipartFields,
    },
  };
  const page = swaggerUi
    .generateHTML(spec, options)
    .replace(/<style>[\s\S]*?<\/style>/g, '<link rel="stylesheet" type="text/css" href="./page.css">')
    .replace(/<svg ([^>]*?)style="[^"]*"/, '<svg $1class="sr-svg-sprite"');
  if (/<style|\sstyle="|<script>/.test(page)) throw new Error('Swagger UI page still has inline styles or scripts');

  app.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });
  // The page's asset links are relative, so it must be served at /docs/ (Express routes match both forms).
  app.get('/docs', (req, res) => {
    if (!req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, '/docs/');
    res.type('html').send(page);
  });
  app.get('/docs/page.css', (_req, res) => {
    res.type('css').send(PAGE_CSS);
  });
  app.use('/docs', swaggerUi.serveFiles(escapeReplacementPatterns(spec), options));
}

interface InterceptedRequest {
  url: string;
  method: string;
  body?: unknown;
}

type SpecPaths = Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>>;

/**
 * Swagger UI's request interceptor, run in the page (swagger-ui-express writes its source into
 * swagger-ui-init.js, so it uses nothing from this module and no dollar sign). Swagger UI keeps a form's values
 * in an Immutable.js map, whose order past 8 entries follows hashes: the upload form (9 fields) went out with
 * `room_id` after the file part, which the server refuses by design. This puts a multipart body's fields back in
 * the order of its operation's schema in the spec, the order the API asks for.
 */
function orderMultipartFields(req: InterceptedRequest): InterceptedRequest {
  const body = req.body;
  if (typeof FormData === 'undefined' || !(body instanceof FormData)) return req;
  const page = globalThis as unknown as { ui?: { specSelectors: { specJson(): { toJS(): { paths?: SpecPaths } } } } };
  const paths = page.ui ? page.ui.specSelectors.specJson().toJS().paths || {} : {};
  const pathname = new URL(req.url).pathname;
  let order: string[] = [];
  for (const path of Object.keys(paths)) {
    const operation = pathname.endsWith(path) ? paths[path][req.method.toLowerCase()] : undefined;
    const content = operation && operation.requestBody && operation.requestBody.content;
    const schema = content && content['multipart/form-data'] && content['multipart/form-data'].schema;
    if (schema && schema.properties) order = Object.keys(schema.properties);
  }
  if (order.length === 0) return req;
  const rank = (name: string) => (order.indexOf(name) < 0 ? order.length : order.indexOf(name));
  const entries: Array<[string, string | Blob]> = [];
  body.forEach((value, name) => entries.push([name, value]));
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  const ordered = new FormData();
  for (const entry of entries) ordered.append(entry[0], entry[1]);
  req.body = ordered;
  return req;
}

/**
 * swagger-ui-express writes the spec into swagger-ui-init.js with `template.replace(placeholder, json)`, so
 * `$'`, `$&`, `` $` `` in the spec are read as replacement patterns: the spec's example `Not match in
 * '^[A-Za-z0-9_-]{6,36}$'` pasted the rest of the template into a string and the page died with a syntax
 * error. Doubling every `$` (which `replace` turns back into one) makes the script carry the spec exactly.
 */
function escapeReplacementPatterns(spec: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(spec).replaceAll('$', '$$$$')) as Record<string, unknown>;
}
