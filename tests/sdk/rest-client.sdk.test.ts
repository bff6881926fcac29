/**
 * The generated REST client (sdk/src/generated/rest with the request file sdk/codegen/request.ts) against a
 * real server: byte-exact multipart uploads and binary downloads from Node, the spec's field order, and
 * error responses mapped to typed errors with the server's code.
 */
import { base64urlEncode, deriveFileAccessKeys, encryptedSize, generateFileKey } from '../../sdk/src/crypto/index.js';
import { SealroomError, SealroomServerError } from '../../sdk/src/errors.js';
import { downloadDecrypted } from '../../sdk/src/files/file-download.js';
import { webFileSource, streamSource } from '../../sdk/src/files/file-source.js';
import { uploadEncrypted, type UploadTransport } from '../../sdk/src/files/file-upload.js';
import type { TransferTransport } from '../../sdk/src/files/transfer-transport.js';
import { nodeHttpTransport } from '../../sdk/src/node/node-http-transport.js';
import { SealroomApiError } from '../../sdk/src/generated/rest/core/request.js';
import { RestApi } from '../../sdk/src/rest/rest-api.js';
import { startServer, type TestServer } from '../support/server';
import { PROTOCOL_VERSION } from '../../sdk/src/protocol.js';
import { binaryFixture, createSdkRoom, lazySource, readAll, sdkFileKey, sha256 } from './support/sdk-fixtures';

let server: TestServer;
let rest: RestApi;

beforeAll(async () => {
  server = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '64', FOLDER_SIZE_LIMIT: '1' } });
  rest = new RestApi(server.url);
});
afterAll(() => server.close());

/** Runs `action` and returns the SealroomError it rejects with. */
async function failure(action: () => Promise<unknown>): Promise<SealroomError> {
  const error = await action().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SealroomError);
  return error as SealroomError;
}

describe('generated client, JSON operations', () => {
  it('creates, looks up and deletes a room (as its owner)', async () => {
    const room = await createSdkRoom(rest);
    const found = await rest.call((api) => api.rooms.roomExists({ roomId: room.roomId }));
    expect(found.room_id).toBe(room.roomId);
    expect(found.password).toBeUndefined();
    const signature = await room.ownerSignature();
    await rest.call((api) => api.rooms.deleteRoom({ roomId: room.roomId, xOwnerSignature: signature }));
    const gone = await failure(() => rest.call((api) => api.rooms.roomExists({ roomId: room.roomId })));
    expect(gone).toBeInstanceOf(SealroomServerError);
    expect(gone).toMatchObject({ code: 'ROOM_NOT_FOUND', status: 404 });
  });

  it('reads the server limits and health', async () => {
    const config = await rest.call((api) => api.server.config());
    expect(config.max_upload_bytes).toBe(64 * 1024 * 1024);
    expect(config.public_url).toBe(server.url);
    const health = await rest.call((api) => api.server.health());
    expect(health.status).toBe('ok');
  });

  it('maps a validation error with its details', async () => {
    const error = await failure(() =>
      rest.call((api) => api.rooms.createRoom({ requestBody: { protocol: PROTOCOL_VERSION, auth: 'too-short', owner_key: 'x' } })),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect((error as SealroomServerError).details?.length).toBeGreaterThan(0);
  });

  it("maps a delete signed by another key than the owner's to OWNER_SIGNATURE_INVALID", async () => {
    const room = await createSdkRoom(rest);
    const other = await createSdkRoom(rest);
    const signature = await other.ownerSignature(); // made with another room's owner key
    const error = await failure(() => rest.call((api) => api.rooms.deleteRoom({ roomId: room.roomId, xOwnerSignature: signature })));
    expect(error).toMatchObject({ code: 'OWNER_SIGNATURE_INVALID', status: 403 });
  });

  it('keeps the generated ApiError for direct users of the generated client', async () => {
    const error = await rest.api.rooms.roomExists({ roomId: 'no-such-room' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SealroomApiError);
    expect(error).toMatchObject({ code: 'ROOM_NOT_FOUND', status: 404, body: { error: { code: 'ROOM_NOT_FOUND' } } });
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const offline = new RestApi('http://127.0.0.1:9');
    expect(await failure(() => offline.call((api) => api.server.health()))).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('cancels a request when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await failure(() => rest.call((api) => api.server.health(), controller.signal))).toMatchObject({ code: 'ABORTED' });
  });
});

describe('generated client, binary upload and download', () => {
  it.each([0, 1, 255, 256, 65_536, 3 * 1024 * 1024 + 17])('round-trips %i bytes byte for byte', async (size) => {
    const room = await createSdkRoom(rest);
    const data = binaryFixture(size);
    const proof = await room.proof('upload');
    const key = await sdkFileKey();
    const uploaded = await rest.call((api) =>
      api.files.uploadFile({ formData: { ...key.fields, room_id: room.roomId, proof, size: String(size), file: new Blob([data]) } }),
    );
    expect(uploaded.size).toBe(size);
    const xDownloadProof = await key.downloadProof(uploaded.file_id);
    const blob = await rest.call((api) => api.files.getFile({ filename: uploaded.file_id, xDownloadProof }));
    expect(blob).toBeInstanceOf(Blob);
    const back = new Uint8Array(await blob.arrayBuffer());
    expect(back.length).toBe(size);
    expect(sha256(back)).toBe(sha256(data));
    expect(Buffer.compare(Buffer.from(back), Buffer.from(data))).toBe(0);
  });

  it('sends the fields in the spec order whatever order the caller lists them in', async () => {
    const room = await createSdkRoom(rest);
    const data = binaryFixture(1000);
    const proof = await room.proof('upload');
    const key = await sdkFileKey();
    // `file` first and `protocol` last: the server would refuse fields after the file (MALFORMED_UPLOAD).
    const uploaded = await rest.call((api) =>
      api.files.uploadFile({
        formData: {
          file: new Blob([data]),
          max_downloads: '2',
          size: '1000',
          proof,
          download_key: key.fields.download_key,
          room_id: room.roomId,
          protocol: key.fields.protocol,
        },
      }),
    );
    expect(uploaded.max_downloads).toBe(2);
  });

  it('describes a file with HEAD (with a download proof) without downloading it', async () => {
    const room = await createSdkRoom(rest);
    const proof = await room.proof('upload');
    const key = await sdkFileKey();
    const uploaded = await rest.call((api) =>
      api.files.uploadFile({ formData: { ...key.fields, room_id: room.roomId, proof, size: '5', file: new Blob(['hello']) } }),
    );
    const xDownloadProof = await key.downloadProof(uploaded.file_id);
    await expect(rest.call((api) => api.files.headFile({ filename: uploaded.file_id, xDownloadProof }))).resolves.toBeUndefined();
    const bare = await failure(() => rest.call((api) => api.files.headFile({ filename: uploaded.file_id })));
    expect(bare).toMatchObject({ status: 401 });
    const missingProof = await key.downloadProof('missing-file');
    const missing = await failure(() => rest.call((api) => api.files.headFile({ filename: 'missing-file', xDownloadProof: missingProof })));
    expect(missing).toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 404 }); // HEAD answers carry no body
  });

  it('maps upload refusals to the server codes', async () => {
    const room = await createSdkRoom(rest);
    const proof = await room.proof('upload');
    const key = await sdkFileKey();
    const upload = (fields: { size: string; file: Blob; proof?: string; room_id?: string }) =>
      failure(() => rest.call((api) => api.files.uploadFile({ formData: { ...key.fields, room_id: room.roomId, proof, ...fields } })));
    expect(await upload({ size: '4', file: new Blob(['12345']) })).toMatchObject({ code: 'SIZE_MISMATCH', status: 400 });
    expect(await upload({ size: String(65 * 1024 * 1024), file: new Blob(['x']) })).toMatchObject({ code: 'FILE_TOO_LARGE', status: 413 });
    expect(await upload({ size: '1', file: new Blob(['x']), proof: await room.proof('join') })).toMatchObject({
      code: 'PROOF_INVALID',
      status: 403,
    });
    expect(await upload({ size: '1', file: new Blob(['x']), room_id: 'no-such-room' })).toMatchObject({
      code: 'ROOM_NOT_FOUND',
      status: 404,
    });
    const xDownloadProof = await key.downloadProof('no-such-file');
    const download = await failure(() => rest.call((api) => api.files.getFile({ filename: 'no-such-file', xDownloadProof })));
    expect(download).toMatchObject({ code: 'FILE_NOT_FOUND', status: 404 });
  });
});

describe.each<[string, TransferTransport | undefined]>([
  ['fetch', undefined],
  ['node:http', nodeHttpTransport],
])('streaming encrypted transfers over %s', (_name, transport) => {
  /** Uploads with the download key of the request's file key (unless it names another). */
  const upload = async (request: Omit<Parameters<typeof uploadEncrypted>[1], 'downloadKey'> & { downloadKey?: string }) =>
    uploadEncrypted(rest, {
      ...request,
      downloadKey: request.downloadKey ?? base64urlEncode((await deriveFileAccessKeys(request.fileKey)).dkRaw),
      ...(transport ? { sender: transport } : {}),
    });
  const download = (request: Parameters<typeof downloadDecrypted>[1]) =>
    downloadDecrypted(rest, { ...request, ...(transport ? { sender: transport } : {}) });

  it.each<[UploadTransport, number]>([
    ['stream', 0],
    ['stream', 65_536],
    ['stream', 5 * 1024 * 1024 + 3],
    ['blob', 0],
    ['blob', 5 * 1024 * 1024 + 3],
  ])('uploads with the %s transport and downloads %i bytes byte for byte', async (transport, size) => {
    const room = await createSdkRoom(rest);
    const data = binaryFixture(size);
    const fileKey = generateFileKey();
    const progress: number[] = [];
    const uploaded = await upload({
      roomId: room.roomId,
      proof: await room.proof('upload'),
      source: webFileSource(new Blob([data])),
      fileKey,
      transport,
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(uploaded.size).toBe(encryptedSize(size));
    if (size > 0) expect(progress.at(-1)).toBe(size);

    const downloaded = await download({ fileId: uploaded.file_id, fileKey, expectedEncryptedSize: uploaded.size });
    expect(downloaded.size).toBe(size);
    expect(downloaded.expiresAt).toBe(uploaded.expires_at);
    const back = await readAll(downloaded.stream);
    expect(sha256(back)).toBe(sha256(data));
  });

  it('streams a source of unknown origin, checking its declared size', async () => {
    const room = await createSdkRoom(rest);
    const source = lazySource(1_000_000);
    const fileKey = generateFileKey();
    const uploaded = await upload({
      roomId: room.roomId,
      proof: await room.proof('upload'),
      source: streamSource(source.stream, 1_000_000),
      fileKey,
      transport: 'stream',
    });
    expect(uploaded.size).toBe(encryptedSize(1_000_000));

    const short = lazySource(1000);
    const error = await failure(async () =>
      upload({
        roomId: room.roomId,
        proof: await room.proof('upload'),
        source: streamSource(short.stream, 2000),
        fileKey,
        transport: 'stream',
      }),
    );
    expect(error.code).toBe('INVALID_SOURCE');
  });

  // The server drains the refused body before it answers (keeping the connection usable), so all of it is sent.
  it('gets the server refusal, not a broken pipe, when the server refuses a streamed body', async () => {
    const room = await createSdkRoom(rest);
    const big = lazySource(40 * 1024 * 1024);
    const error = await failure(async () =>
      upload({
        roomId: room.roomId,
        proof: await room.proof('join'),
        source: streamSource(big.stream, 40 * 1024 * 1024),
        fileKey: generateFileKey(),
        transport: 'stream',
      }),
    );
    expect(error).toMatchObject({ code: 'PROOF_INVALID', status: 403 });
  });

  it('aborts an upload in flight', async () => {
    const room = await createSdkRoom(rest);
    const controller = new AbortController();
    const big = lazySource(40 * 1024 * 1024);
    const error = await failure(async () =>
      upload({
        roomId: room.roomId,
        proof: await room.proof('upload'),
        source: streamSource(big.stream, 40 * 1024 * 1024),
        fileKey: generateFileKey(),
        transport: 'stream',
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loaded >= 1024 * 1024) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(big.pulled()).toBeLessThan(40 * 1024 * 1024);
  });

  it('aborts a download in flight', async () => {
    const room = await createSdkRoom(rest);
    const fileKey = generateFileKey();
    const uploaded = await upload({
      roomId: room.roomId,
      proof: await room.proof('upload'),
      source: streamSource(lazySource(24 * 1024 * 1024).stream, 24 * 1024 * 1024),
      fileKey,
      transport: 'stream',
    });
    const controller = new AbortController();
    const downloaded = await download({
      fileId: uploaded.file_id,
      fileKey,
      signal: controller.signal,
      onProgress: (p) => p.loaded >= 1024 * 1024 && controller.abort(),
    });
    const error = await failure(() => readAll(downloaded.stream));
    expect(error.code).toBe('ABORTED');
  });

  it('is refused by the server for a key whose download proof does not match (PROOF_INVALID)', async () => {
    const room = await createSdkRoom(rest);
    const uploaded = await upload({
      roomId: room.roomId,
      proof: await room.proof('upload'),
      source: webFileSource(new Blob([binaryFixture(1000)])),
      fileKey: generateFileKey(),
      transport: 'stream',
    });
    const error = await failure(() => download({ fileId: uploaded.file_id, fileKey: generateFileKey() }));
    expect(error).toMatchObject({ code: 'PROOF_INVALID', status: 403 });
  });

  it('fails a download whose content does not decrypt with the key with DECRYPT_FAILED', async () => {
    // A hostile uploader registers the download key of one key and encrypts with another.
    const room = await createSdkRoom(rest);
    const other = generateFileKey();
    const uploaded = await upload({
      roomId: room.roomId,
      proof: await room.proof('upload'),
      source: webFileSource(new Blob([binaryFixture(200_000)])),
      fileKey: generateFileKey(),
      downloadKey: base64urlEncode((await deriveFileAccessKeys(other)).dkRaw),
      transport: 'stream',
    });
    const downloaded = await download({ fileId: uploaded.file_id, fileKey: other });
    const error = await failure(() => readAll(downloaded.stream));
    expect(error.code).toBe('DECRYPT_FAILED');
  });

  it('refuses a download whose size differs from the announced one', async () => {
    const room = await createSdkRoom(rest);
    const fileKey = generateFileKey();
    const uploaded = await upload({
      roomId: room.roomId,
      proof: await room.proof('upload'),
      source: webFileSource(new Blob([binaryFixture(1000)])),
      fileKey,
      transport: 'stream',
    });
    const error = await failure(() => download({ fileId: uploaded.file_id, fileKey, expectedEncryptedSize: uploaded.size + 1 }));
    expect(error.code).toBe('UNEXPECTED_RESPONSE');
  });
});
