import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import spec from '../../spec/openapi.json';
import { createRoom, downloadProof, ownerKeyPair, randomAuthKey, type TestRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { multipart, send, uploadForm, type Part, type RawResponse } from '../support/multipart';

/**
 * Property-based fuzzing of the REST API from its own contract: requests built from spec/openapi.json —
 * valid, near-valid and hostile — must never get a 5xx, must get a response the spec documents (status,
 * media type, body schema), and must leave the server responsive. FUZZ_RUNS raises the count (default 150
 * per operation); FUZZ_SEED replays a run. The seed is printed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
// Each property is one test; its time bound grows with FUZZ_RUNS (`npm run fuzz:long` runs 5,000).
jest.setTimeout(30_000 + RUNS * 50);

type Op = { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> };
const ops = new Map<string, Op>();
for (const methods of Object.values(spec.paths as Record<string, Record<string, Op>>))
  for (const op of Object.values(methods)) ops.set(op.operationId, op);

const hostileStrings = fc.constantFrom(
  '',
  '..',
  '../../etc/passwd',
  '%2e%2e%2f',
  'a'.repeat(10_000),
  '\u0000abcdef',
  'zimmer-\u00fc\u00df-12',
  '\u202eexe.txt',
  '<script>alert(1)</script>',
  "'; DROP TABLE rooms; --",
  '${jndi:ldap://x}',
  'null',
  '-1',
  '1e309',
  '🙂🙂🙂🙂🙂🙂',
);
/** Strings around the id and proof patterns: some valid, some one character off, some hostile. */
const idLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{6,36}$/),
  fc.stringMatching(/^[A-Za-z0-9_\-./%]{0,40}$/),
  hostileStrings,
  fc.string({ maxLength: 50 }),
);
const proofLike = (room: TestRoom) =>
  fc.oneof(
    fc.constant(room.proof('upload')),
    fc.constant(room.ownerSignature()),
    fc.stringMatching(/^\d{1,12}\.[A-Za-z0-9_-]{43}$/),
    fc.stringMatching(/^\d{1,12}\.[A-Za-z0-9_-]{86}$/),
    fc.stringMatching(/^\d{0,14}\.?[A-Za-z0-9_+/=-]{0,50}$/),
    hostileStrings,
  );
const jsonValue = fc.jsonValue({ maxDepth: 3 });

describe(`REST fuzzing from spec/openapi.json (seed ${SEED}, ${RUNS} runs per operation)`, () => {
  const api = new OpenAPIBackend({ definition: spec as unknown as Document, quick: false });
  let server: TestServer;
  let room: TestRoom;
  let fileId: string;
  let requests = 0;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    console.log(`REST fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED})`);
    process.on('unhandledRejection', onUnhandled);
    await api.init();
    server = await startServer({ env: { UPLOAD_SIZE_LIMIT: '0.1', FOLDER_SIZE_LIMIT: String(0.5 / 1024) } });
    room = await createRoom(server.url);
    const form = uploadForm(room.roomId, room.proof('upload'), Buffer.alloc(1000, 7));
    fileId = (
      await send(server.url, { method: 'POST', path: '/upload_file', headers: { 'content-type': form.contentType }, body: form.body })
    ).json().file_id;
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);

    console.log(`REST fuzz: ${requests} requests sent`);
    await server.close();
  });

  afterEach(async () => {
    expect(unhandled).toEqual([]);
    expect((await send(server.url, { method: 'GET', path: '/health' })).status).toBe(200);
  });

  /** The response must be one the spec documents, never a 5xx. */
  function conforms(operationId: string, res: RawResponse): void {
    requests++;
    expect(res.status).toBeLessThan(500);
    const documented = ops.get(operationId)?.responses[String(res.status)];
    expect({ operationId, status: res.status, documented: Boolean(documented) }).toEqual({
      operationId,
      status: res.status,
      documented: true,
    });
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    if (type === 'application/json' && res.body.length > 0) {
      const { errors } = api.validateResponse(res.json(), operationId, res.status);
      expect({ operationId, status: res.status, errors: errors ?? null }).toEqual({ operationId, status: res.status, errors: null });
    }
  }

  const property = (arb: fc.Arbitrary<unknown>, run: (value: never) => Promise<void>) =>
    fc.assert(fc.asyncProperty(arb, run as (v: unknown) => Promise<void>), { numRuns: RUNS, seed: SEED, endOnFailure: true });

  it('CreateRoom: random JSON bodies', async () => {
    const body = fc.oneof(
      fc.record(
        {
          protocol: fc.option(fc.constantFrom('sealroom/v2', 'sealroom/v2', 'sealroom/v1'), { nil: undefined }),
          room_id: fc.option(idLike, { nil: undefined }),
          auth: fc.oneof(fc.constant(randomAuthKey()), idLike),
          owner_key: fc.oneof(fc.constant(ownerKeyPair().ownerKey), fc.constant(randomAuthKey()), idLike),
          password: fc.option(fc.record({ salt: idLike, iterations: fc.oneof(fc.integer(), fc.double()) }), { nil: undefined }),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.string({ maxLength: 12 }), jsonValue),
      jsonValue,
    );
    await property(body, async (value: unknown) => {
      const res = await send(server.url, {
        method: 'POST',
        path: '/create_room',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(value) ?? 'null'),
      });
      conforms('CreateRoom', res);
    });
  });

  it('CreateRoom: bytes that are not JSON, with a JSON content type', async () => {
    await property(fc.uint8Array({ maxLength: 300 }), async (bytes: Uint8Array) => {
      const res = await send(server.url, {
        method: 'POST',
        path: '/create_room',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(bytes),
      });
      conforms('CreateRoom', res);
    });
  });

  it('RoomExists, FileInfo and GetFile/HeadFile: random ids, ranges, proofs and tokens', async () => {
    const arb = fc.record({
      id: fc.oneof(idLike, fc.constant(room.roomId), fc.constant(fileId)),
      credential: fc.option(
        fc.oneof(
          fc.constant<[string, string]>(['x-download-proof', downloadProof(fileId)]),
          fc.stringMatching(/^\d{1,12}\.[A-Za-z0-9_-]{43}$/).map((v): [string, string] => ['x-download-proof', v]),
          fc.stringMatching(/^[A-Za-z0-9_-]{20,24}$/).map((v): [string, string] => ['x-download-token', v]),
        ),
        { nil: undefined },
      ),
      range: fc.option(
        fc.oneof(
          fc.stringMatching(/^bytes=\d{0,6}-\d{0,6}(,\d{0,4}-\d{0,4})?$/),
          // eslint-disable-next-line no-control-regex -- a NUL cannot go into a header, so such strings are left out
          hostileStrings.filter((s) => !/[\r\n\u0000]/.test(s) && /^[\x20-\x7e]*$/.test(s)),
        ),
        { nil: undefined },
      ),
    });
    await property(arb, async ({ id, range, credential }: { id: string; range?: string; credential?: [string, string] }) => {
      const q = encodeURIComponent(id);
      conforms('RoomExists', await send(server.url, { method: 'GET', path: `/room_exists?room_id=${q}` }));
      const headers = { ...(range !== undefined && { range }), ...(credential && { [credential[0]]: credential[1] }) };
      conforms('FileInfo', await send(server.url, { method: 'GET', path: `/file_info?filename=${q}`, headers }));
      conforms('GetFile', await send(server.url, { method: 'GET', path: `/get_file?filename=${q}`, headers }));
      conforms('HeadFile', await send(server.url, { method: 'HEAD', path: `/get_file?filename=${q}`, headers }));
    });
  });

  it('DeleteRoom: random ids and proofs', async () => {
    const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s);
    await property(
      fc.record({ id: idLike, proof: proofLike(room).filter(headerSafe) }),
      async ({ id, proof }: { id: string; proof: string }) => {
        // Never the real room with its real proof: the room must survive the run.
        const path = `/rooms/${encodeURIComponent(id === room.roomId ? `${id}x` : id)}`;
        conforms('DeleteRoom', await send(server.url, { method: 'DELETE', path, headers: { 'x-owner-signature': proof } }));
      },
    );
  });

  it('UploadFile: forms with shuffled, missing, repeated and hostile parts', async () => {
    const part: fc.Arbitrary<Part> = fc.oneof(
      fc.record({
        name: fc.constantFrom('protocol', 'room_id', 'proof', 'size', 'download_key', 'file_info', 'max_downloads', 'other'),
        value: fc.oneof(
          idLike,
          fc.constant('sealroom/v2'),
          fc.constant(room.roomId),
          fc.constant(room.proof('upload')),
          fc.constant(randomBytes(32).toString('base64url')),
          fc.constant(JSON.stringify({ iv: 'A'.repeat(16), ct: 'B'.repeat(40) })),
          fc.integer({ min: -5, max: 200_000 }).map(String),
        ),
      }),
      fc.record({
        name: fc.constantFrom('file', 'data'),
        filename: fc.constantFrom('x', 'a.bin', '../../x'),
        data: fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
      }),
    );
    const valid = (data: Buffer): Part[] => [
      { name: 'protocol', value: 'sealroom/v2' },
      { name: 'room_id', value: room.roomId },
      { name: 'proof', value: room.proof('upload') },
      { name: 'size', value: String(data.length) },
      { name: 'download_key', value: randomBytes(32).toString('base64url') },
      { name: 'file', filename: 'x', data },
    ];
    const forms = fc.oneof(
      fc.array(part, { maxLength: 7 }),
      fc.uint8Array({ maxLength: 2000 }).chain((b) => fc.shuffledSubarray(valid(Buffer.from(b)), { minLength: 1 })),
    );
    await property(forms, async (parts: Part[]) => {
      const form = multipart(parts);
      conforms(
        'UploadFile',
        await send(server.url, { method: 'POST', path: '/upload_file', headers: { 'content-type': form.contentType }, body: form.body }),
      );
    });
    // Whatever was refused left nothing behind: only complete uploads hold quota.
    const rows: Array<{ status: string }> = await server.sealroom.db.query('SELECT status FROM stored_files');
    expect(rows.filter((r) => r.status !== 'ready')).toEqual([]);
  });
});
