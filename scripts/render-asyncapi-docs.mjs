#!/usr/bin/env node
// Renders asyncapi.yaml to HTML (dist/asyncapi/) with @asyncapi/generator and @asyncapi/html-template, both
// installed locally and given by path (an uninstalled template makes the generator try to fetch it and hang).
// Two things the template does not let us configure are then adjusted in its output, each checked so that a
// template update that changes the output fails here instead of silently:
//   - its stylesheet draws a backtick before and after every code span (Tailwind Typography's default): off;
//   - the page shows the document's example server (localhost:5000); it shows the address serving the page.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Generator from '@asyncapi/generator';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const template = path.dirname(require.resolve('@asyncapi/html-template/package.json'));
const outDir = path.join(root, 'dist', 'asyncapi');

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const generator = new Generator(template, outDir, {
  forceWrite: true,
  install: false,
  templateParams: { singleFile: 'false', outFilename: 'index.html', sidebarOrganization: 'byTags' },
});
await generator.generateFromFile(path.join(root, 'asyncapi.yaml'));

/** Applies `edit` to a generated file, failing when it changes nothing (the template's output moved on). */
function adjust(rel, edit) {
  const file = path.join(outDir, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`render-asyncapi-docs: ${rel} no longer looks as expected; update this script`);
  fs.writeFileSync(file, after);
}

adjust('css/asyncapi.min.css', (css) =>
  css.includes('.aui-root .prose code:after,.aui-root .prose code:before{content:"`"}')
    ? `${css}\n/* Sealroom: code spans without literal backticks around them */\n.aui-root .prose code:after,.aui-root .prose code:before{content:none}\n`
    : css,
);
adjust('js/app.js', (js) =>
  js.replace(
    /\n(\s*)const config = /,
    `
$1// Sealroom: the servers are where this page is served from (ws, or wss on https), not the document's example.
$1for (const server of Object.values(schema.servers ?? {})) {
$1  server.host = location.host;
$1  server.protocol = location.protocol === 'https:' ? 'wss' : 'ws';
$1}
$1const config = `,
  ),
);
console.log(`rendered ${path.relative(root, outDir)}/index.html`);
