import { randomBytes } from 'node:crypto';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import spec from '../../spec/openapi.json';
import { createRoom, randomAuthKey, type TestRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { multipart, send, upload, type RawResponse } from '../support/multipart';

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> };
const operations = new Map<string, { method: string; path: string; op: Operation }>();
for (const [path, methods] of Object.entries(spec.paths as Record<string, Record<string, Operation>>)) {
  for (const [method, op] of Object.entries(methods)) operations.set(op.operationId, { method, path, op });
}

/**
 * Every REST operation, called through the real server in its success and failure cases; each response must be
 * documented in spec/openapi.json (status and media type) and its JSON body must match the documented schema.
 */
describe('REST contract: responses match spec/openapi.json', () => {
  const api = new OpenAPIBackend({ definition: spec as unknown as Document, strict: true, quick: false });
  const exercised = new Map<string, Set<number>>();
  let server: TestServer;
  let room: TestRoom;
  let fileId: string;

  beforeAll(async () => {
    await api.init();
    server = await startServer({ env: { UPLOAD_SIZE_LIMIT: '1', FOLDER_SIZE_LIMIT: String(1 / 1024) } });
    room = await createRoom(server.url, { password: { salt: randomBytes(16).toString('base64url'), iterations: 600_000 } });
    fileId = (await upload(server.url, room.roomId, room.proof('upload'), randomBytes(2048))).json().file_id;
  });
  afterAll(() => server.close());

  function check(operationId: string, res: RawResponse, expectedStatus: number): void {
    expect({ operationId, status: res.status }).toEqual({ operationId, status: expectedStatus });
    const entry = operations.get(operationId);
    if (!entry) throw new Error(`${operationId} is not in the spec`);
    const documented = entry.op.responses[String(res.status)];
    if (!documented) throw new Error(`${operationId} answered ${res.status}, which the spec does not document`);
    const mediaTypes = Object.keys(documented.content ?? {});
    if (entry.method !== 'head' && res.body.length > 0) {
      const contentType = String(res.headers['content-type']).split(';')[0];
      expect(mediaTypes).toContain(contentType);
      if (contentType === 'application/json') {
        const result = api.validateResponse(res.json(), operationId, res.status);
        expect({ operationId, status: res.status, errors: result.errors ?? null }).toEqual({
          operationId,
          status: res.status,
          errors: null,
        });
      }
    }
    if (!exercised.has(operationId)) exercised.set(operationId, new Set());
    exercised.get(operationId)?.add(res.status);
  }

  const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(server.url, {
      method,
      path,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    });

  it('Health', async () => {
    check('Health', await json('GET', '/health'), 200);
  });

  it('Config', async () => {
    check('Config', await json('GET', '/config'), 200);
  });

  it('CreateRoom', async () => {
    check('CreateRoom', await json('POST', '/create_room', { auth: randomAuthKey() }), 201);
    check(
      'CreateRoom',
      await json('POST', '/create_room', {
        room_id: 'contract-room',
        auth: randomAuthKey(),
        password: { salt: randomBytes(16).toString('base64url'), iterations: 700_000 },
      }),
      201,
    );
    check('CreateRoom', await json('POST', '/create_room', { room_id: 'contract-room', auth: randomAuthKey() }), 409);
    check('CreateRoom', await json('POST', '/create_room', { room_id: 'x', auth: randomAuthKey() }), 400);
    check('CreateRoom', await json('POST', '/create_room', { auth: randomAuthKey(), pad: 'x'.repeat(20_000) }), 413);
  });

  it('RoomExists', async () => {
    check('RoomExists', await json('GET', `/room_exists?room_id=${room.roomId}`), 200);
    check('RoomExists', await json('GET', '/room_exists?room_id=unknown-room'), 404);
    check('RoomExists', await json('GET', '/room_exists?room_id=..'), 400);
  });

  it('UploadFile', async () => {
    check('UploadFile', await upload(server.url, room.roomId, room.proof('upload'), randomBytes(100)), 201);
    check('UploadFile', await upload(server.url, room.roomId, room.proof('join'), randomBytes(100)), 403);
    check('UploadFile', await upload(server.url, 'unknown-room', room.proof('upload'), randomBytes(100)), 404);
    const oversized = multipart([
      { name: 'room_id', value: room.roomId },
      { name: 'proof', value: room.proof('upload') },
      { name: 'size', value: String(2 * 1024 * 1024) },
      { name: 'file', filename: 'a', data: randomBytes(10) },
    ]);
    check(
      'UploadFile',
      await send(server.url, {
        method: 'POST',
        path: '/upload_file',
        headers: { 'content-type': oversized.contentType },
        body: oversized.body,
      }),
      413,
    );
    const noFile = multipart([{ name: 'room_id', value: room.roomId }]);
    check(
      'UploadFile',
      await send(server.url, { method: 'POST', path: '/upload_file', headers: { 'content-type': noFile.contentType }, body: noFile.body }),
      400,
    );
    check('UploadFile', await json('POST', '/upload_file', { room_id: room.roomId }), 415);
    // The quota is 1 MiB: two 600 kB files do not both fit.
    check('UploadFile', await upload(server.url, room.roomId, room.proof('upload'), randomBytes(600_000)), 201);
    check('UploadFile', await upload(server.url, room.roomId, room.proof('upload'), randomBytes(600_000)), 507);
  });

  it('HeadFile', async () => {
    check('HeadFile', await send(server.url, { method: 'HEAD', path: `/get_file?filename=${fileId}` }), 200);
    check(
      'HeadFile',
      await send(server.url, { method: 'HEAD', path: `/get_file?filename=${fileId}`, headers: { range: 'bytes=0-9' } }),
      206,
    );
    check('HeadFile', await send(server.url, { method: 'HEAD', path: '/get_file?filename=unknown-file' }), 404);
    check('HeadFile', await send(server.url, { method: 'HEAD', path: '/get_file?filename=a/b' }), 400);
    check(
      'HeadFile',
      await send(server.url, { method: 'HEAD', path: `/get_file?filename=${fileId}`, headers: { range: 'bytes=99999-' } }),
      416,
    );
  });

  it('GetFile', async () => {
    check('GetFile', await send(server.url, { method: 'GET', path: `/get_file?filename=${fileId}` }), 200);
    check('GetFile', await send(server.url, { method: 'GET', path: `/get_file?filename=${fileId}`, headers: { range: 'bytes=10-' } }), 206);
    check(
      'GetFile',
      await send(server.url, { method: 'GET', path: `/get_file?filename=${fileId}`, headers: { range: 'bytes=99999-' } }),
      416,
    );
    check('GetFile', await send(server.url, { method: 'GET', path: '/get_file?filename=unknown-file' }), 404);
    check('GetFile', await send(server.url, { method: 'GET', path: '/get_file?filename=..%2Fx' }), 400);
  });

  it('DeleteRoom', async () => {
    const doomed = await createRoom(server.url);
    check('DeleteRoom', await json('DELETE', `/rooms/${doomed.roomId}`, undefined, { 'x-room-proof': doomed.proof('upload') }), 403);
    check('DeleteRoom', await json('DELETE', `/rooms/${doomed.roomId}`), 400);
    check('DeleteRoom', await json('DELETE', `/rooms/${doomed.roomId}`, undefined, { 'x-room-proof': doomed.proof('delete') }), 204);
    check('DeleteRoom', await json('DELETE', `/rooms/${doomed.roomId}`, undefined, { 'x-room-proof': doomed.proof('delete') }), 404);
  });

  it('exercised every operation in the spec', () => {
    expect([...exercised.keys()].sort()).toEqual([...operations.keys()].sort());
  });
});

describe('REST contract: the spec itself', () => {
  it('documents every operation with a summary, a description, and an error response for each failure', () => {
    for (const [operationId, { op }] of operations) {
      const o = op as Operation & { summary?: string; description?: string };
      expect({ operationId, summary: Boolean(o.summary), description: Boolean(o.description) }).toEqual({
        operationId,
        summary: true,
        description: true,
      });
    }
  });

  it('describes the error body with the full list of stable codes', () => {
    const codes = (spec.components.schemas as Record<string, { enum?: string[] }>).ErrorCode.enum ?? [];
    expect(codes).toEqual(
      expect.arrayContaining(['VALIDATION_FAILED', 'ROOM_NOT_FOUND', 'PROOF_INVALID', 'STORAGE_FULL', 'FILE_TOO_LARGE', 'RATE_LIMITED']),
    );
  });
});
