/**
 * One version for the server, its contracts and the SDK: every place that carries it agrees (read here
 * independently, and through `scripts/version.mjs --check`), the running server reports it, and the bump
 * script moves the sources together (on a copy of the files, never the real ones).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { startServer, type TestServer } from '../support/server';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'version.mjs');
const SDK_REST = 'sdk/src/generated/rest/SealroomApi.ts';
const EVENTS = 'contracts/src/generated/realtime-events.ts';
const WORKSPACES = ['contracts', 'sdk', 'web', 'cli'];
const MANIFESTS = WORKSPACES.map((ws) => `${ws}/package.json`);
const COPIED = ['package.json', ...MANIFESTS, 'package-lock.json', 'asyncapi.yaml', 'CHANGELOG.md', 'spec/openapi.json', SDK_REST, EVENTS];

interface Outcome {
  code: number;
  output: string;
}
const read = (root: string, rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
interface Manifest {
  version: string;
  dependencies?: Record<string, string>;
}
const json = (root: string, rel: string) =>
  JSON.parse(read(root, rel)) as Manifest & { info: { version: string }; packages: Record<string, Manifest> };
/** Every package's version and its dependencies on the others, in the manifests and in the lockfile. */
function packageVersions(root: string): string[] {
  const lock = json(root, 'package-lock.json');
  const manifests = [
    json(root, 'package.json'),
    ...MANIFESTS.map((rel) => json(root, rel)),
    lock,
    ...['', ...WORKSPACES].map((key) => lock.packages[key]),
  ];
  return manifests.flatMap((m) => [
    m.version,
    ...Object.entries(m.dependencies ?? {})
      .filter(([name]) => name.startsWith('@sealroom/'))
      .map(([, range]) => range),
  ]);
}

function versionScript(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

const version = json(ROOT, 'package.json').version;

describe('the version', () => {
  it('is one semantic version everywhere it is written', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const packages = packageVersions(ROOT);
    // root, 4 workspaces (sdk, web and cli with a dependency each), the lockfile, its 5 entries (the same 3 dependencies)
    expect(packages).toHaveLength(17);
    expect(new Set(packages)).toEqual(new Set([version]));
    expect({
      openapi: json(ROOT, 'spec/openapi.json').info.version,
      asyncapi: (YAML.parse(read(ROOT, 'asyncapi.yaml')) as { info: { version: string } }).info.version,
      sdkRestClient: /VERSION: config\?\.VERSION \?\? '([^']+)'/.exec(read(ROOT, SDK_REST))?.[1],
      events: /export const ASYNCAPI_VERSION = "([^"]+)"/.exec(read(ROOT, EVENTS))?.[1],
    }).toEqual({ openapi: version, asyncapi: version, sdkRestClient: version, events: version });
  });

  it('comes from package.json for the OpenAPI spec (tsoa.json sets none, so tsoa reads package.json)', () => {
    const tsoa = JSON.parse(read(ROOT, 'tsoa.json')) as { spec: { version?: string } };
    expect(tsoa.spec.version).toBeUndefined();
  });

  it('passes scripts/version.mjs --check, with and without the expected version, and fails on another', async () => {
    await expect(versionScript(['--check'])).resolves.toEqual({ code: 0, output: `All versions are ${version}.\n` });
    await expect(versionScript(['--check', version])).resolves.toEqual({ code: 0, output: `All versions are ${version}.\n` });
    const wrong = await versionScript(['--check', '99.0.0']);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain(`Versions disagree (expected 99.0.0)`);
    expect(wrong.output).toContain(`spec/openapi.json: ${version}`);
  });

  it('has a CHANGELOG section or the Unreleased one', () => {
    expect(read(ROOT, 'CHANGELOG.md')).toMatch(new RegExp(`## \\[(Unreleased|${version.replaceAll('.', '\\.')})\\]`));
  });
});

describe('the running server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db: 'sqlite' });
  });
  afterAll(() => server?.close());

  it('reports the version in /health and /config', async () => {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { version: string };
    const config = (await (await fetch(`${server.url}/config`)).json()) as { version: string };
    expect([health.version, config.version]).toEqual([version, version]);
  });
});

describe('scripts/version.mjs <new version>, on a copy', () => {
  let copy: string;
  beforeEach(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-version-'));
    for (const rel of COPIED) {
      fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, rel), path.join(copy, rel));
    }
  });
  afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('moves every package.json, the dependencies between them, the lockfile and asyncapi.yaml together, and opens the CHANGELOG section', async () => {
    const next = '7.8.9';
    const bumped = await versionScript([next, '--root', copy, '--no-generate']);
    expect(bumped.code).toBe(0);
    expect(new Set(packageVersions(copy))).toEqual(new Set([next]));
    expect(packageVersions(copy)).toHaveLength(packageVersions(ROOT).length);

    // asyncapi.yaml: info.version moved, nothing else changed.
    const before = YAML.parse(read(ROOT, 'asyncapi.yaml')) as { info: { version: string } };
    before.info.version = next;
    expect(YAML.parse(read(copy, 'asyncapi.yaml'))).toEqual(before);

    const changelog = read(copy, 'CHANGELOG.md');
    expect(changelog).toMatch(new RegExp(`## \\[Unreleased\\]\\n\\n## \\[7\\.8\\.9\\] - \\d{4}-\\d{2}-\\d{2}\\n`));
    expect(changelog.replace(/\n\n## \[7\.8\.9\] - \d{4}-\d{2}-\d{2}/, '')).toBe(read(ROOT, 'CHANGELOG.md'));

    // The derived files are regenerated by `npm run generate` (skipped here): until then --check names them.
    const check = await versionScript(['--check', '--root', copy]);
    expect(check.code).toBe(1);
    for (const derived of ['spec/openapi.json', SDK_REST, EVENTS]) expect(check.output).toContain(`${derived}: ${version}`);
    expect(check.output).toContain(`sdk/package.json: ${next}`);
    // The real files were not touched.
    expect(json(ROOT, 'package.json').version).toBe(version);
  });

  it('refuses a version that is not semantic, changing nothing', async () => {
    const refused = await versionScript(['1.2', '--root', copy, '--no-generate']);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('not a semantic version: 1.2');
    for (const rel of COPIED) expect(read(copy, rel)).toBe(read(ROOT, rel));
  });
});
