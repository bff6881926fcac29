import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { createRoom, TEST_DOWNLOAD_KEY } from '../support/rooms';
import { DATABASES, dropPgDatabase, ManualClock, startServer, tempDataDir, type TestServer } from '../support/server';
import { download, upload } from '../support/multipart';
import { blobFolder, eventually, fileRows } from '../support/storage';
import { createUpload, deleteUpload, headUpload, patchUpload, uploadMetadata, uploadUrl } from '../support/tus';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const resumableFolder = (server: { dataDir: string }) => fs.readdirSync(path.join(server.dataDir, 'resumable')).sort();

/** Nothing stored and nothing reserved: no row, no blob, no resumable upload, the quota as it was. */
async function expectNothingStored(server: TestServer, usedBefore = 0): Promise<void> {
  expect(await fileRows(server)).toEqual([]);
  expect(blobFolder(server)).toEqual({ blobs: [], temps: [] });
  expect(resumableFolder(server)).toEqual([]);
  expect(await server.sealroom.services.files.usedBytes()).toBe(usedBefore);
}

describe.each(DATABASES)('resumable uploads over tus (%s)', (db) => {
  it('uploads in pieces, says where to resume, refuses a wrong offset and commits the file like a form upload', async () => {
    const server = await startServer({ db });
    try {
      const room = await createRoom(server.url);
      const data = randomBytes(300_000);
      const now = Date.now();
      const created = await createUpload(server.url, data.length, uploadMetadata(room, now, { max_downloads: '2' }));
      expect(created.status).toBe(201);
      expect(created.headers.get('tus-resumable')).toBe('1.0.0');
      expect(created.headers.get('upload-expires')).toBeTruthy();
      const url = uploadUrl(server.url, created);
      const id = url.split('/').pop() as string;
      // The declared length is reserved at once.
      expect(await fileRows(server)).toEqual([{ id, status: 'uploading', size: data.length }]);
      // Its description keeps the completion options, not the room proof or the download key (SECURITY.md).
      const info = fs.readFileSync(path.join(server.dataDir, 'resumable', `${id}.json`), 'utf8');
      expect(info).toContain('"max_downloads":"2"');
      expect(info).not.toContain(room.proof('upload', now));
      expect(info).not.toContain(TEST_DOWNLOAD_KEY);

      expect((await patchUpload(url, 0, data.subarray(0, 100_000))).headers.get('upload-offset')).toBe('100000');
      const inode = fs.statSync(path.join(server.dataDir, 'resumable', id)).ino;
      const head = await headUpload(url);
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-offset')).toBe('100000');
      expect(head.headers.get('upload-length')).toBe(String(data.length));

      const wrong = await patchUpload(url, 50_000, data.subarray(50_000));
      expect(wrong.status).toBe(409);
      expect(wrong.headers.get('content-type')).toMatch(/^application\/json/);
      expect(wrong.json.error?.code).toBe('UPLOAD_OFFSET_MISMATCH');

      const done = await patchUpload(url, 100_000, data.subarray(100_000));
      expect(done.status).toBe(200);
      expect(done.json).toMatchObject({ file_id: id, url: `${server.url}/f/${id}`, size: data.length, max_downloads: 2 });
      expect(done.headers.get('sealroom-file-id')).toBe(id);
      // The finished upload's file became the blob by a rename: its bytes were not copied.
      expect(fs.statSync(path.join(server.dataDir, 'files', id)).ino).toBe(inode);

      const down = await download(server.url, id);
      expect(down.status).toBe(200);
      expect(sha256(down.body)).toBe(sha256(data));
      expect(await fileRows(server)).toEqual([{ id, status: 'ready', size: data.length }]);
      expect(resumableFolder(server)).toEqual([]);
      expect((await headUpload(url)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('refuses a creation with the form upload codes before storing anything', async () => {
    const server = await startServer({ db, env: { UPLOAD_SIZE_LIMIT: '1', FOLDER_SIZE_LIMIT: '0.001', UPLOAD_MAX_PER_IP: '1' } });
    try {
      const room = await createRoom(server.url);
      const refusal = async (length: number, metadata: string) => {
        const a = await createUpload(server.url, length, metadata);
        expect(a.headers.get('content-type')).toMatch(/^application\/json/);
        return { status: a.status, code: a.json.error?.code };
      };
      const badProof = `${Math.floor(Date.now() / 1000)}.${randomBytes(32).toString('base64url')}`;
      expect(await refusal(1000, uploadMetadata(room, Date.now(), { proof: badProof }))).toEqual({ status: 403, code: 'PROOF_INVALID' });
      expect(await refusal(1000, uploadMetadata(room, Date.now() - 3600_000))).toEqual({ status: 403, code: 'PROOF_EXPIRED' });
      expect(await refusal(1000, uploadMetadata(room, Date.now(), { protocol: 'sealroom/v1' }))).toEqual({
        status: 400,
        code: 'UNSUPPORTED_VERSION',
      });
      expect(await refusal(1000, uploadMetadata(room, Date.now(), { download_key: undefined }))).toEqual({
        status: 400,
        code: 'MALFORMED_UPLOAD',
      });
      expect(await refusal(2 * 1024 * 1024, uploadMetadata(room))).toEqual({ status: 413, code: 'FILE_TOO_LARGE' });
      await expectNothingStored(server);
      // The quota (about 1 MB) has room for one 600 kB upload, not two.
      const quota = server.config.storageLimitBytes;
      const first = await createUpload(server.url, Math.floor(quota * 0.6), uploadMetadata(room));
      expect(first.status).toBe(201);
      const other = await createRoom(server.url);
      expect(await refusal(Math.floor(quota * 0.6), uploadMetadata(other))).toEqual({ status: 507, code: 'STORAGE_FULL' });
      // One upload at a time from this address (UPLOAD_MAX_PER_IP=1), even an idle resumable one.
      expect(await refusal(1000, uploadMetadata(other))).toEqual({ status: 429, code: 'TOO_MANY_UPLOADS' });
      expect(resumableFolder(server)).toHaveLength(2); // the first upload's bytes and description only
      expect(await server.sealroom.services.files.usedBytes()).toBe(Math.floor(quota * 0.6));

      // Terminating the upload gives everything back.
      expect((await deleteUpload(uploadUrl(server.url, first))).status).toBe(204);
      await expectNothingStored(server);
      expect((await createUpload(server.url, 1000, uploadMetadata(other))).status).toBe(201);
    } finally {
      await server.close();
    }
  });

  it('quota exact after abandoned uploads: an upload left unfinished expires and gives its reservation back', async () => {
    const clock = new ManualClock();
    const server = await startServer({ db, clock, env: { RESUMABLE_UPLOAD_EXPIRY: '30', FILE_AGE_LIMIT: '60' } });
    try {
      const room = await createRoom(server.url);
      const kept = (await upload(server.url, room.roomId, room.proof('upload', clock.now()), randomBytes(5000))).json().file_id as string;
      const used = await server.sealroom.services.files.usedBytes();
      expect(used).toBe(5000);
      for (const size of [40_000, 70_000]) {
        const created = await createUpload(server.url, size, uploadMetadata(room, clock.now()));
        expect((await patchUpload(uploadUrl(server.url, created), 0, randomBytes(size / 2))).status).toBe(204);
      }
      expect(await server.sealroom.services.files.usedBytes()).toBe(used + 110_000);

      // Before their expiry, the sweeper leaves them alone; after it, it takes them back.
      clock.advance(29 * 60_000);
      expect((await server.sealroom.sweeper.sweep())?.reclaimedUploads).toBe(0);
      expect(resumableFolder(server)).toHaveLength(4);
      clock.advance(2 * 60_000);
      expect((await server.sealroom.sweeper.sweep())?.reclaimedUploads).toBe(2);
      expect(await server.sealroom.services.files.usedBytes()).toBe(used);
      expect(await fileRows(server)).toEqual([{ id: kept, status: 'ready', size: 5000 }]);
      expect(resumableFolder(server)).toEqual([]);
      expect(blobFolder(server)).toEqual({ blobs: [kept], temps: [] });
    } finally {
      await server.close();
    }
  });

  it('survives a server stopped mid-PATCH: a new instance on the same data resumes where the bytes stopped', async () => {
    const dataDir = tempDataDir();
    const first = await startServer({ db, dataDir, keep: true });
    let second: TestServer | null = null;
    try {
      const room = await createRoom(first.url);
      const data = randomBytes(300_000);
      const created = await createUpload(first.url, data.length, uploadMetadata(room));
      const id = (created.headers.get('location') ?? '').split('/').pop() as string;
      // A PATCH whose body stops after 120,000 bytes and never ends: the server is stopped while it is open.
      const patch = http.request(uploadUrl(first.url, created), {
        method: 'PATCH',
        headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      });
      patch.on('error', () => undefined);
      patch.on('response', (res) => res.resume());
      patch.write(data.subarray(0, 120_000));
      const held = () => fs.statSync(path.join(dataDir, 'resumable', id)).size;
      await eventually(() => held() === 120_000, 'the server holds the bytes sent');
      await first.close();
      patch.destroy();

      second = await startServer({ db, dataDir, databaseUrl: first.databaseUrl ?? undefined });
      const url = `${second.url}/uploads/${id}`;
      const head = await headUpload(url);
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get('upload-offset'));
      expect(offset).toBe(120_000);
      const done = await patchUpload(url, offset, data.subarray(offset));
      expect(done.status).toBe(200);
      expect(done.json.file_id).toBe(id);
      const down = await download(second.url, id);
      expect(sha256(down.body)).toBe(sha256(data));
      expect(await second.sealroom.services.files.usedBytes()).toBe(data.length);
      expect(resumableFolder(second)).toEqual([]);
    } finally {
      await second?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (first.databaseUrl) await dropPgDatabase(first.databaseUrl);
    }
  });
});
