/**
 * SECURITY.md's claims table names, for each promise, the test that proves it: each named test must exist, under
 * that exact name, in the named file (a renamed or deleted test would leave a claim unproven).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe("SECURITY.md's claims table", () => {
  const markdown = fs.readFileSync(path.join(ROOT, 'SECURITY.md'), 'utf8');
  const section = markdown.slice(markdown.indexOf('## Claims and the tests that prove them'));
  const rows = [...section.matchAll(/^\| (.+?) \| `([^`]+)` › (.+?) \|$/gm)].map(([, claim, file, name]) => ({ claim, file, name }));

  it('has claims', () => {
    expect(rows.length).toBeGreaterThan(5);
  });

  it.each(rows.map((r) => [r.claim, r]))('%s: the named test exists', (_claim, { file, name }) => {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\s*\n\s*/g, ' ');
    const quoted = [`'${name.replace(/'/g, "\\'")}'`, `"${name}"`, `\`${name}\``];
    expect({ file, name, found: quoted.some((q) => source.includes(q)) }).toEqual({ file, name, found: true });
  });
});
