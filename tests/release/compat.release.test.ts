/**
 * The compatibility guard (scripts/compat-check.mjs): the committed contracts are compatible with the latest
 * released baseline, and on copies of the repository it catches breaking changes (a removed operation, a
 * narrowed type, a removed field, a removed realtime message) unless the version left the baseline's
 * compatibility line, while compatible additions pass.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'compat-check.mjs');
const BASELINE = '0.1.0';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form spec edits
interface Outcome {
  code: number;
  output: string;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-compat-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function runGuard(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** A copy of what the guard reads, from the released baseline, with edits applied. */
function copyWith(name: string, edit: { version?: string; openapi?: (doc: Json) => void; asyncapi?: (doc: Json) => void }): string {
  const root = path.join(work, name);
  const released = path.join(root, 'spec', 'released', BASELINE);
  fs.mkdirSync(released, { recursive: true });
  for (const file of ['openapi.json', 'asyncapi.yaml'])
    fs.copyFileSync(path.join(ROOT, 'spec', 'released', BASELINE, file), path.join(released, file));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'copy', version: edit.version ?? BASELINE }));
  const openapi = JSON.parse(fs.readFileSync(path.join(released, 'openapi.json'), 'utf8')) as Json;
  edit.openapi?.(openapi);
  fs.writeFileSync(path.join(root, 'spec', 'openapi.json'), JSON.stringify(openapi, null, 2));
  const asyncapi = YAML.parse(fs.readFileSync(path.join(released, 'asyncapi.yaml'), 'utf8')) as Json;
  edit.asyncapi?.(asyncapi);
  fs.writeFileSync(path.join(root, 'asyncapi.yaml'), YAML.stringify(asyncapi));
  return root;
}

const removeOperation = (doc: Json) => delete doc.paths['/room_exists'];
const narrowIterations = (doc: Json) => (doc.components.schemas.PasswordKdf.properties.iterations.maximum = 10_000_000);
const narrowRoomId = (doc: Json) => (doc.components.schemas.CreateRoomRequest.properties.room_id.pattern = '^[A-Za-z0-9]{6,36}$');
const removeResponseField = (doc: Json) => {
  const health = doc.components.schemas.HealthResponse;
  delete health.properties.uptime_s;
  health.required = health.required.filter((name: string) => name !== 'uptime_s');
};
const removeRoomClosed = (doc: Json) => {
  delete doc.channels.root.messages.roomClosed;
  delete doc.operations.roomClosed;
  delete doc.components.messages.RoomClosed;
};
const narrowCiphertext = (doc: Json) => (doc.components.schemas.MessageSendPayload.properties.ct = { type: 'string', maxLength: 16 });
const typeOfSeq = (doc: Json) => (doc.components.schemas.Seq = { type: 'string' });

describe('the compatibility guard', () => {
  it('passes on the committed contracts against the latest released baseline', async () => {
    const result = await runGuard([]);
    // Either nothing broke, or the version already left the baseline's line (a release in the making).
    expect(result.output).toMatch(/compared with the released \d+\.\d+\.\d+: 0 breaking|Allowed: \S+ starts a new compatibility line/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('passes on an unchanged copy', async () => {
    const result = await runGuard(['--root', copyWith('unchanged', {})]);
    expect(result.output).toContain(`Contracts of ${BASELINE} compared with the released ${BASELINE}: 0 breaking, 0 compatible`);
    expect(result.code).toBe(0);
  }, 60_000);

  it.each([
    ['a removed REST operation', { openapi: removeOperation }, /path\.remove at paths\.\/room_exists/],
    [
      'a narrowed request type (lower maximum)',
      { openapi: narrowIterations },
      /POST \/create_room request body.*iterations: maximum 100000000 -> 10000000/,
    ],
    ['a narrowed pattern', { openapi: narrowRoomId }, /POST \/create_room request body.*room_id: pattern changed/],
    ['a removed response field', { openapi: removeResponseField }, /GET \/health response 200 .*field uptime_s removed/],
    ['a removed realtime message', { asyncapi: removeRoomClosed }, /asyncapi remove \/channels\/root\/messages\/roomClosed/],
    ['a narrowed event payload', { asyncapi: narrowCiphertext }, /message:send \(client sends\)\.ct: maxLength \d+ -> 16/],
    [
      'a changed type in events the server sends',
      { asyncapi: typeOfSeq },
      /message:new \(client receives\)\.seq: type widened to "string"/,
    ],
  ])(
    'fails on %s',
    async (name, edit, reported) => {
      const result = await runGuard(['--root', copyWith(name.replaceAll(' ', '-'), edit)]);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(reported);
      expect(result.output).toContain('Breaking changes need a new major version (for 0.x a new minor)');
    },
    60_000,
  );

  it('fails on a breaking change within the same compatibility line (0.1.0 -> 0.1.5)', async () => {
    const result = await runGuard([
      '--root',
      copyWith('patch-bump', { version: '0.1.5', openapi: removeOperation, asyncapi: removeRoomClosed }),
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('still on the line 0.1 of 0.1.0');
  }, 60_000);

  it('allows breaking changes once the version leaves the line (0.1.0 -> 0.2.0: for 0.x the minor counts as the major)', async () => {
    const result = await runGuard([
      '--root',
      copyWith('minor-bump', { version: '0.2.0', openapi: removeOperation, asyncapi: removeRoomClosed }),
    ]);
    expect(result.output).toMatch(/BREAKING: openapi path\.remove/);
    expect(result.output).toContain('Allowed: 0.2.0 starts a new compatibility line (0.2, was 0.1)');
    expect(result.code).toBe(0);
  }, 60_000);

  it('passes on compatible additions: an operation, optional and response fields, an error code, a realtime event', async () => {
    const root = copyWith('additions', {
      openapi: (doc) => {
        doc.paths['/version'] = {
          get: {
            operationId: 'GetVersion',
            responses: { '200': { description: 'The version', content: { 'application/json': { schema: { type: 'string' } } } } },
          },
        };
        doc.components.schemas.CreateRoomRequest.properties.label = { type: 'string', maxLength: 64 };
        doc.components.schemas.HealthResponse.properties.node = { type: 'string' };
        doc.components.schemas.ErrorCode.enum.push('NEW_CODE');
      },
      asyncapi: (doc) => {
        doc.components.messages.RoomRenamed = {
          name: 'room:renamed',
          title: 'room:renamed',
          payload: { type: 'object', required: ['room_id'], properties: { room_id: { type: 'string' } } },
        };
        doc.channels.root.messages.roomRenamed = { $ref: '#/components/messages/RoomRenamed' };
        doc.operations.roomRenamed = {
          action: 'send',
          channel: { $ref: '#/channels/root' },
          messages: [{ $ref: '#/channels/root/messages/roomRenamed' }],
        };
        doc.components.schemas.MessageNewPayload.properties.edited = { type: 'boolean' };
        doc.components.schemas.ErrorCode.enum.push('NEW_CODE');
      },
    });
    const result = await runGuard(['--root', root]);
    expect(result.output).toContain('0 breaking');
    expect(result.output).toMatch(/compatible: openapi path\.add/);
    expect(result.output).toMatch(/compatible: asyncapi add \/channels\/root\/messages\/roomRenamed/);
    expect(result.output).toMatch(/compatible: .*label added/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('saves a baseline once, and refuses to change a released one', async () => {
    const root = copyWith('baseline', { version: '0.1.1' });
    expect((await runGuard(['--root', root, '--release', '0.1.1'])).code).toBe(1);
    expect((await runGuard(['--root', root, '--baseline'])).code).toBe(0);
    expect((await runGuard(['--root', root, '--release', '0.1.1'])).code).toBe(0);
    expect(fs.readFileSync(path.join(root, 'spec', 'released', '0.1.1', 'openapi.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(root, 'spec', 'openapi.json'), 'utf8'),
    );
    fs.writeFileSync(path.join(root, 'asyncapi.yaml'), `${fs.readFileSync(path.join(root, 'asyncapi.yaml'), 'utf8')}\n# changed\n`);
    const again = await runGuard(['--root', root, '--baseline']);
    expect(again.code).toBe(1);
    expect(again.output).toContain('spec/released/0.1.1/ exists with other contents');
  }, 60_000);
});
