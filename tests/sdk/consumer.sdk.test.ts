/**
 * The SDK as its users get it: `npm pack`, install the tarball into a fresh project (offline, from the npm
 * cache: socket.io-client must resolve on its own), type-check a program that uses it with `tsc --strict`
 * (against Node's types only, and with the DOM library), and run it against a real server: two clients chat,
 * a 20 MB file round-trips byte for byte, an over-limit file is refused before upload. The README's example
 * runs as written too.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../support/server';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const SDK = path.join(ROOT, 'sdk');
const CONTRACTS = path.join(ROOT, 'contracts');
const FIXTURE = path.join(__dirname, 'consumer');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The environment without npm's per-run settings (a parent `npm test` would otherwise leak its workspace). */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

let work: string;
let project: string;
let server: TestServer;

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The first ```js block of the SDK README. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(SDK, 'README.md'), 'utf8');
  const match = /```js\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('no js example in sdk/README.md');
  return match[1];
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-consumer-'));
  project = path.join(work, 'project');
  fs.mkdirSync(project);
  // The SDK depends on @sealroom/contracts, published beside it: pack both (contracts first: the SDK builds on it).
  const tarballs: string[] = [];
  for (const pkg of [CONTRACTS, SDK]) {
    const packed = JSON.parse(await npm(['pack', '--json', '--pack-destination', work], pkg)) as Array<{ filename: string }>;
    tarballs.push(path.join(work, packed[0].filename));
  }
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'sealroom-consumer', private: true, type: 'module' }));
  const install = ['install', '--no-audit', '--no-fund', ...tarballs, '@types/node@20'];
  // Offline from the npm cache; the registry only if the cache lacks something.
  await npm([...install, '--offline'], project).catch(() => npm([...install, '--prefer-offline'], project));
  for (const file of ['consumer.ts', 'tsconfig.json', 'tsconfig.dom.json'])
    fs.copyFileSync(path.join(FIXTURE, file), path.join(project, file));
  fs.writeFileSync(path.join(project, 'readme-example.mjs'), readmeExample());
  server = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '25' } });
}, 300_000);

afterAll(async () => {
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed SDK', () => {
  it('installs on its own, with its dependencies resolved from the project', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', '@sealroom', 'sdk', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(installed.dependencies)).toEqual(['@sealroom/contracts', 'socket.io-client', 'tus-js-client']);
    expect(fs.readdirSync(path.join(project, 'node_modules', '@sealroom', 'contracts')).sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist',
      'package.json',
    ]);
    expect(fs.existsSync(path.join(project, 'node_modules', 'socket.io-client', 'package.json'))).toBe(true);
    const shipped = fs.readdirSync(path.join(project, 'node_modules', '@sealroom', 'sdk')).sort();
    expect(shipped).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'require.cjs', 'test-vectors.json']);
  });

  it('type-checks a program using both entries with tsc --strict, with and without the DOM library', async () => {
    await expect(run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project })).resolves.toBeDefined();
    await expect(run(process.execPath, [TSC, '-p', 'tsconfig.dom.json'], { cwd: project })).resolves.toBeDefined();
    expect(fs.existsSync(path.join(project, 'out', 'consumer.js'))).toBe(true);
  }, 120_000);

  it('chats, round-trips 20 MB byte for byte, and refuses an over-limit file before uploading', async () => {
    const { stdout } = await run(process.execPath, [path.join('out', 'consumer.js')], {
      cwd: project,
      env: { ...cleanEnv, SEALROOM_URL: server.url, WORK_DIR: work },
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      chat: string[];
      file: { name: string; size: number; encryptedSize: number; expectedEncryptedSize: number; sharedId: boolean; roundTrip: boolean };
      overLimit: {
        refusal: { code: string; isSealroomError: boolean } | null;
        pulled: number;
        uploadRequests: number;
        totalUploads: number;
      };
    };
    expect(result.chat).toEqual(['Alice: Hello, Bob!', 'Bob: Hello, Alice!']);
    expect(result.file).toEqual({
      name: 'twenty.bin',
      size: 20 * 1024 * 1024,
      encryptedSize: result.file.expectedEncryptedSize,
      expectedEncryptedSize: 20 * 1024 * 1024 + 16 * 321,
      sharedId: true,
      roundTrip: true,
    });
    expect(result.overLimit).toEqual({
      refusal: { code: 'FILE_TOO_LARGE', isSealroomError: true },
      pulled: 0,
      uploadRequests: 0,
      totalUploads: 1,
    });
  }, 120_000);

  it('answers require() with what to do instead (the package is ESM), and loads with import() from CommonJS', async () => {
    fs.writeFileSync(path.join(project, 'require.cjs'), "require('@sealroom/sdk');\n");
    const required = await run(process.execPath, ['require.cjs'], { cwd: project }).then(
      () => null,
      (error: { stderr: string }) => error.stderr,
    );
    expect(required).toContain('@sealroom/sdk is an ES module');
    expect(required).toContain('ERR_REQUIRE_ESM');
    fs.writeFileSync(
      path.join(project, 'import.cjs'),
      "import('@sealroom/sdk/node').then((sdk) => console.log(typeof sdk.SealroomClient));\n",
    );
    const { stdout } = await run(process.execPath, ['import.cjs'], { cwd: project });
    expect(stdout.trim()).toBe('function');
  });

  it('runs the README example as written', async () => {
    const { stdout } = await run(process.execPath, ['readme-example.mjs'], {
      cwd: project,
      env: { ...cleanEnv, SEALROOM_URL: server.url },
    });
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['Alice: Hello, Bob!', 'top secret']);
  }, 60_000);
});
