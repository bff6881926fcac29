/**
 * The examples users copy from the documentation run as written, against a real server:
 *   - README.md's SDK example (`hello.mjs`), with the SDK of this checkout (sdk/README.md's is run by
 *     tests/sdk/consumer.sdk.test.ts against the packed SDK, as an installed package);
 *   - the `keys.cjs` script of the OpenAPI description (Swagger UI's "Trying the API by hand"): its output
 *     creates a room, uploads to it, opens it with the SDK through the invite link it prints (so its key
 *     derivation is the SDK's), gives fresh proofs for that room, and deletes it.
 * Each example targets http://localhost:5000 or reads SEALROOM_URL / its argument; the test points it at the
 * test server that way, changing nothing in the code.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SealroomClient } from '@sealroom/sdk/node';
import { startServer, type TestServer } from '../support/server';
import { multipart, send } from '../support/multipart';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
/** Inside the checkout, so that `@sealroom/sdk` resolves to this workspace's package. */
const WORK = path.join(ROOT, 'test-output', 'doc-examples');

/** The code blocks of one language in a Markdown text, in order. */
function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

let server: TestServer;
beforeAll(async () => {
  fs.mkdirSync(WORK, { recursive: true });
  server = await startServer({ db: 'sqlite' });
});
afterAll(() => server?.close());

describe("README.md's SDK example", () => {
  it('runs as written and ends, printing what Bob heard', async () => {
    const [example] = codeBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), 'js');
    expect(example).toContain("from '@sealroom/sdk'");
    const file = path.join(WORK, 'hello.mjs');
    fs.writeFileSync(file, example);
    // The SDK from its sources (the `@sealroom/source` export condition, TypeScript through tsx), so that no
    // build is needed; `npm start` builds it for a person who runs the example.
    const { stdout } = await run(process.execPath, ['--conditions=@sealroom/source', '--import', 'tsx', file], {
      cwd: ROOT,
      env: { ...process.env, SEALROOM_URL: server.url },
      timeout: 60_000,
    });
    expect(stdout).toBe('Alice said: Hello, Bob\n');
  }, 90_000);
});

describe("the OpenAPI description's keys.cjs", () => {
  const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'spec', 'openapi.json'), 'utf8')) as { info: { description: string } };
  const [script] = codeBlocks(spec.info.description, 'js');
  const keys = async (...args: string[]) => {
    const file = path.join(WORK, 'keys.cjs');
    fs.writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file, ...args]);
    return JSON.parse(stdout) as {
      create_room_body: { protocol: string; room_id: string; auth: string; owner_key: string };
      invite_link: string;
      owner_secret: string;
      upload_proof: string;
      download_key: string;
      download_proof?: string;
      owner_signature: string;
    };
  };

  it('gives what a person needs to create a room, upload, and delete, and the room it makes is a real one', async () => {
    expect(script).toContain("require('node:crypto')");
    const made = await keys(server.url);
    expect(made.invite_link.startsWith(`${server.url}/r/${made.create_room_body.room_id}#`)).toBe(true);

    const created = await fetch(`${server.url}/create_room`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(made.create_room_body),
    });
    expect(created.status).toBe(201);

    const bytes = Buffer.from('any bytes: the server cannot tell them from ciphertext');
    const form = multipart([
      { name: 'protocol', value: 'sealroom/v2' },
      { name: 'room_id', value: made.create_room_body.room_id },
      { name: 'proof', value: made.upload_proof },
      { name: 'size', value: String(bytes.length) },
      { name: 'download_key', value: made.download_key },
      { name: 'file', filename: 'file', data: bytes },
    ]);
    const uploaded = await send(server.url, {
      method: 'POST',
      path: '/upload_file',
      headers: { 'content-type': form.contentType },
      body: form.body,
    });
    expect(uploaded.status).toBe(201);
    const fileId = uploaded.json<{ file_id: string }>().file_id;
    const forFile = await keys(made.invite_link, made.owner_secret, fileId);
    const download = await fetch(`${server.url}/get_file?filename=${fileId}`, {
      headers: { 'x-download-proof': forFile.download_proof ?? '' },
    });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    // The invite link opens the room with the SDK: the script derives the keys exactly as clients do.
    const client = new SealroomClient();
    try {
      const room = await client.join(made.invite_link, { name: 'Tester' });
      expect(room.id).toBe(made.create_room_body.room_id);
    } finally {
      await client.close();
    }

    // Run again with the invite link: the same room, fresh proofs.
    const again = await keys(made.invite_link, made.owner_secret);
    expect(again.create_room_body).toEqual(made.create_room_body);
    // Without the owner's secret, a member who has the invite link cannot delete the room.
    const member = await keys(made.invite_link);
    const refused = await fetch(`${server.url}/rooms/${made.create_room_body.room_id}`, {
      method: 'DELETE',
      headers: { 'x-owner-signature': member.owner_signature },
    });
    expect(refused.status).toBe(403);
    const deleted = await fetch(`${server.url}/rooms/${made.create_room_body.room_id}`, {
      method: 'DELETE',
      headers: { 'x-owner-signature': again.owner_signature },
    });
    expect(deleted.status).toBe(204);
  });
});
