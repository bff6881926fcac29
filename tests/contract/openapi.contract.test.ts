import { randomBytes } from 'node:crypto';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import spec from '../../spec/openapi.json';
import { makeOwnerSignature } from '../../src/services/proof';
import { createRoom, downloadProof, ownerKeyPair, PROTOCOL, randomAuthKey, type TestRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { download, multipart, send, upload, V2_FIELDS, type RawResponse } from '../support/multipart';
import { uploadMetadata } from '../support/tus';

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> };
const operations = new Map<string, { method: string; path: string; op: Operation }>();
for (const [path, methods] of Object.entries(spec.paths as Record<string, Record<string, Operation>>)) {
  for (const [method, op] of Object.entries(methods)) operations.set(op.operationId, { method, path, op });
}

/**
 * Every REST operation, called through the real server in its success and failure cases; each response must be
 * documented in spec/openapi.json (status and media type) and its JSON body must match the documented schema.
 */
/** A signature by someone who is not the room's owner (a member with a key pair of its own). */
const notTheOwnersSignature = (room: TestRoom) => makeOwnerSignature(ownerKeyPair().privateKey, room.roomId, Date.now());

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
    const v2 = (extra: Record<string, unknown> = {}) => ({
      protocol: PROTOCOL,
      auth: randomAuthKey(),
      owner_key: ownerKeyPair().ownerKey,
      ...extra,
    });
    check('CreateRoom', await json('POST', '/create_room', v2()), 201);
    check(
      'CreateRoom',
      await json(
        'POST',
        '/create_room',
        v2({ room_id: 'contract-room', password: { salt: randomBytes(16).toString('base64url'), iterations: 700_000 } }),
      ),
      201,
    );
    check('CreateRoom', await json('POST', '/create_room', v2({ room_id: 'contract-room' })), 409);
    check('CreateRoom', await json('POST', '/create_room', v2({ room_id: 'x' })), 400);
    check('CreateRoom', await json('POST', '/create_room', { auth: randomAuthKey() }), 400); // v1: UNSUPPORTED_VERSION
    check('CreateRoom', await json('POST', '/create_room', v2({ pad: 'x'.repeat(20_000) })), 413);
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
      V2_FIELDS.protocol,
      { name: 'room_id', value: room.roomId },
      { name: 'proof', value: room.proof('upload') },
      { name: 'size', value: String(2 * 1024 * 1024) },
      V2_FIELDS.downloadKey,
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
    const noFile = multipart([V2_FIELDS.protocol, { name: 'room_id', value: room.roomId }]);
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
    const head = (id: string, headers: Record<string, string> = {}, proof?: string | null) =>
      download(server.url, id, headers, { method: 'HEAD', proof });
    check('HeadFile', await head(fileId), 200);
    check('HeadFile', await head(fileId, { range: 'bytes=0-9' }), 206);
    check('HeadFile', await head(fileId, {}, null), 401);
    check('HeadFile', await head(fileId, {}, downloadProof('another-file')), 403);
    check('HeadFile', await head('unknown-file'), 404);
    check('HeadFile', await head('a/b'), 400);
    check('HeadFile', await head(fileId, { range: 'bytes=99999-' }), 416);
  });

  it('GetFile', async () => {
    check('GetFile', await download(server.url, fileId), 200);
    const ranged = await download(server.url, fileId, { range: 'bytes=10-' });
    check('GetFile', ranged, 206);
    const token = ranged.headers['x-download-token'] as string;
    check('GetFile', await download(server.url, fileId, { 'x-download-token': token, range: 'bytes=0-9' }, { proof: null }), 206);
    check('GetFile', await download(server.url, fileId, { range: 'bytes=99999-' }), 416);
    check('GetFile', await download(server.url, fileId, {}, { proof: null }), 401);
    check('GetFile', await download(server.url, fileId, {}, { proof: downloadProof('another-file') }), 403);
    check('GetFile', await download(server.url, 'unknown-file'), 404);
    check('GetFile', await send(server.url, { method: 'GET', path: '/get_file?filename=..%2Fx' }), 400);
  });

  it('FileInfo', async () => {
    const info = (id: string, headers: Record<string, string>) =>
      send(server.url, { method: 'GET', path: `/file_info?filename=${id}`, headers });
    check('FileInfo', await info(fileId, { 'x-download-proof': downloadProof(fileId) }), 200);
    check('FileInfo', await info(fileId, {}), 401);
    check('FileInfo', await info(fileId, { 'x-download-proof': downloadProof('another-file') }), 403);
    check('FileInfo', await info('unknown-file', { 'x-download-proof': downloadProof('unknown-file') }), 404);
    check('FileInfo', await info('a..b%2F', {}), 400);
  });

  it('DeleteRoom', async () => {
    const doomed = await createRoom(server.url);
    const del = (headers: Record<string, string> = {}) => json('DELETE', `/rooms/${doomed.roomId}`, undefined, headers);
    check('DeleteRoom', await del({ 'x-owner-signature': notTheOwnersSignature(doomed) }), 403);
    check('DeleteRoom', await del({ 'x-room-proof': doomed.proof('upload') }), 400);
    check('DeleteRoom', await del(), 400);
    check('DeleteRoom', await del({ 'x-owner-signature': doomed.ownerSignature() }), 204);
    check('DeleteRoom', await del({ 'x-owner-signature': doomed.ownerSignature() }), 404);
  });

  it('CreateUpload, UploadOffset, AppendUpload, TerminateUpload (tus)', async () => {
    const tus = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) =>
      send(server.url, { method, path, headers: { 'tus-resumable': '1.0.0', ...headers }, body });
    const create = (length: number, metadata: string) =>
      tus('POST', '/uploads', { 'upload-length': String(length), 'upload-metadata': metadata });
    const created = await create(1000, uploadMetadata(room));
    check('CreateUpload', created, 201);
    check('CreateUpload', await create(1000, uploadMetadata(room, Date.now(), { proof: room.proof('join') })), 403);
    check('CreateUpload', await create(1000, uploadMetadata(room, Date.now(), { room_id: 'unknown-room' })), 404);
    check('CreateUpload', await create(2 * 1024 * 1024, uploadMetadata(room)), 413);
    check('CreateUpload', await create(1000, uploadMetadata(room, Date.now(), { download_key: undefined })), 400);
    check('CreateUpload', await create(1000, 'not metadata!'), 400);
    check('CreateUpload', await create(900_000, uploadMetadata(room)), 507);
    check('CreateUpload', await send(server.url, { method: 'POST', path: '/uploads', headers: { 'upload-length': '10' } }), 412);

    const path = `/uploads/${String(created.headers.location).split('/').pop()}`;
    const patch = (offset: number, body: Buffer, type = 'application/offset+octet-stream') =>
      tus('PATCH', path, { 'upload-offset': String(offset), 'content-type': type }, body);
    check('UploadOffset', await tus('HEAD', path), 200);
    check('UploadOffset', await tus('HEAD', '/uploads/unknown-upload'), 404);
    check('AppendUpload', await patch(0, randomBytes(400)), 204);
    check('AppendUpload', await patch(0, randomBytes(400)), 409);
    check('AppendUpload', await patch(400, randomBytes(600), 'application/octet-stream'), 415);
    check('AppendUpload', await patch(400, randomBytes(700)), 413);
    check('AppendUpload', await patch(400, randomBytes(600)), 200);
    check('AppendUpload', await patch(1000, randomBytes(1)), 404);

    const doomed = await create(500, uploadMetadata(room));
    const doomedPath = `/uploads/${String(doomed.headers.location).split('/').pop()}`;
    check('TerminateUpload', await tus('DELETE', doomedPath), 204);
    check('TerminateUpload', await tus('DELETE', doomedPath), 404);
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
