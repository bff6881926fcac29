/**
 * `npm publish --dry-run` of @sealroom/sdk, on a copy of sdk/ (so that its `prepack` build cannot race the
 * consumer test's pack of the real folder; it builds against a copy of @sealroom/contracts built here for the
 * same reason), with files planted in the copy that must never ship: a .env, an
 * .npmrc with a token, a private key and a test. The registry is an unreachable address: the dry run needs no
 * network. The tarball must hold only the built ESM with its declarations, README, LICENSE, package.json and
 * the test vectors (shipped on purpose, for other implementations).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
/** The environment without npm's per-run settings (a parent `npm test` would otherwise leak its workspace). */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

interface PackedFile {
  path: string;
  size: number;
}
interface Packed {
  name: string;
  version: string;
  files: PackedFile[];
  entryCount: number;
}
interface SdkManifest {
  name: string;
  version: string;
  type: string;
  license: string;
  engines: { node: string };
  repository: { type: string; url: string; directory: string };
  publishConfig: { access: string; provenance: boolean };
  exports: Record<string, string | Record<string, string>>;
}

const PLANTED = {
  '.env': 'SECRET=1\n',
  '.npmrc': '//registry.npmjs.org/:_authToken=npm_planted\n',
  'signing.pem': '-----BEGIN PRIVATE KEY-----\n',
  'tests/planted.test.ts': 'test("x", () => {});\n',
};
const ALLOWED = [
  /^dist\/.+\.js$/,
  /^dist\/.+\.d\.ts$/,
  /^require\.cjs$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^package\.json$/,
  /^test-vectors\.json$/,
];

let work: string;
let copy: string;
let packed: Packed;
let publishOutput: string;
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'sdk', 'package.json'), 'utf8')) as SdkManifest;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-publish-'));
  copy = path.join(work, 'sdk');
  fs.cpSync(path.join(ROOT, 'sdk'), copy, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$|\.tgz$/.test(src) });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules')); // tsc and @types for the build
  const contracts = path.join(work, 'contracts');
  fs.cpSync(path.join(ROOT, 'contracts'), contracts, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  await run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', contracts], { cwd: work });
  fs.mkdirSync(path.join(copy, 'node_modules', '@sealroom'), { recursive: true });
  fs.symlinkSync(contracts, path.join(copy, 'node_modules', '@sealroom', 'contracts'));
  for (const [rel, content] of Object.entries(PLANTED)) {
    fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
    fs.writeFileSync(path.join(copy, rel), content);
  }
  const { stdout, stderr } = await run('npm', ['publish', '--dry-run', '--json', '--registry', 'http://127.0.0.1:9/'], {
    cwd: copy,
    env: cleanEnv,
    maxBuffer: 16 * 1024 * 1024,
  });
  publishOutput = stderr;
  // npm prints the prepack build's output before the JSON report.
  const report = JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1)) as Packed | Record<string, Packed>;
  packed = 'files' in report ? (report as Packed) : (Object.values(report)[0] as Packed);
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm publish --dry-run of @sealroom/sdk', () => {
  it('succeeds offline, as @sealroom/sdk at the shared version, public, after building in prepack', () => {
    const rootVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect([packed.name, packed.version]).toEqual(['@sealroom/sdk', rootVersion]);
    expect(publishOutput).toContain('public access (dry-run)');
    expect(packed.entryCount).toBe(packed.files.length);
    expect(packed.files.length).toBeGreaterThan(10);
  });

  it('ships only built ESM, declarations, the require() explanation, README, LICENSE, package.json and the test vectors', () => {
    const outside = packed.files.map((f) => f.path).filter((p) => !ALLOWED.some((pattern) => pattern.test(p)));
    expect(outside).toEqual([]);
    for (const required of ['README.md', 'LICENSE', 'package.json', 'test-vectors.json'])
      expect(packed.files.map((f) => f.path)).toContain(required);
  });

  it('ships every export target, a declaration beside each module, and ESM only', () => {
    const paths = new Set(packed.files.map((f) => f.path));
    // `@sealroom/source` points at the sources, for this repository's own tools (which set that condition);
    // no consumer does, and the sources are not shipped.
    const targets = Object.values(manifest.exports).flatMap((t) =>
      typeof t === 'string'
        ? [t]
        : Object.entries(t)
            .filter(([condition]) => condition !== '@sealroom/source')
            .map(([, target]) => target),
    );
    for (const target of targets) expect(paths).toContain(target.replace(/^\.\//, ''));
    for (const js of [...paths].filter((p) => p.endsWith('.js'))) {
      expect(paths).toContain(js.replace(/\.js$/, '.d.ts'));
      expect(fs.readFileSync(path.join(copy, js), 'utf8')).not.toMatch(/\brequire\(|module\.exports|exports\.\w+ =/);
    }
    expect(manifest.type).toBe('module');
  });

  it('ships no tests, no sources, nothing of other packages and no secrets, though the folder holds some', () => {
    for (const planted of Object.keys(PLANTED)) expect(fs.existsSync(path.join(copy, planted))).toBe(true);
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => /(^|\/)(tests?|__tests__)\/|\.test\.|\.spec\./.test(p))).toEqual([]);
    expect(
      paths.filter((p) => /^(src|codegen|scripts)\/|(^|\/)node_modules\//.test(p) || (p.endsWith('.ts') && !p.endsWith('.d.ts'))),
    ).toEqual([]);
    expect(paths.filter((p) => /(^|\/)\.env|(^|\/)\.npmrc$|\.(pem|key|p12|tgz)$|id_(rsa|ed25519)/.test(p))).toEqual([]);
    for (const file of paths) {
      expect(fs.readFileSync(path.join(copy, file), 'utf8')).not.toMatch(
        /-----BEGIN [A-Z ]*PRIVATE KEY-----|_authToken|npm_[A-Za-z0-9]{20,}/,
      );
    }
  });

  it('carries the metadata npm provenance needs', () => {
    expect(manifest.repository).toEqual({
      type: 'git',
      url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/),
      directory: 'sdk',
    });
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines.node).toMatch(/^>=20/);
    expect(manifest.publishConfig).toEqual({ access: 'public', provenance: true });
  });
});
