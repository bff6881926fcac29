/**
 * Resumable (tus) uploads with BLOB_STORE=s3 against s3rver: the upload in progress lives in the bucket (an S3
 * multipart upload at tmp/<id>, described by uploads/<id>.info), never in DATA_DIR, so that any server process
 * with the same bucket and database can take the next request. Its completion becomes files/<id> inside the
 * bucket; termination and expiry leave nothing behind, neither objects nor parts nor reservation.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createRoom, TEST_DOWNLOAD_KEY } from '../support/rooms';
import { download } from '../support/multipart';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../support/s3-server';
import { dropPgDatabase, ManualClock, startServer, tempDataDir, type TestServer } from '../support/server';
import { eventually, fileRows } from '../support/storage';
import { createUpload, deleteUpload, headUpload, patchUpload, uploadMetadata, uploadUrl } from '../support/tus';

const MiB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let s3: S3TestServer;
let bucket: S3Client;

beforeAll(async () => {
  s3 = await startS3Server('resumable');
  bucket = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
}, 30_000);
afterAll(async () => {
  bucket?.destroy();
  await s3?.close();
});

/** Each test has a prefix of its own in the bucket (a server sweeps away blobs its database does not know). */
const prefixed = (prefix: string) => ({ ...s3, env: { ...s3.env, S3_PREFIX: prefix } });
/** Every key under `prefix`, without it, sorted. */
const keys = async (prefix: string) =>
  ((await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? [])
    .map((o) => (o.Key as string).slice(prefix.length))
    .sort();
const localUploads = (server: TestServer) => {
  const folder = path.join(server.dataDir, 'resumable');
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
};
const idOf = (url: string) => url.split('/').pop() as string;

/** A PATCH whose body stops after `bytes` and is then cut, as a dropped connection would. */
async function cutPatch(url: string, offset: number, body: Buffer): Promise<void> {
  const patch = http.request(url, {
    method: 'PATCH',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
  });
  patch.on('error', () => undefined);
  patch.on('response', (res) => res.resume());
  patch.write(body);
  // Wait until the server has read what was sent (its socket is drained), then cut the connection.
  await new Promise((r) => setTimeout(r, 300));
  patch.destroy();
  await eventually(async () => (await headUpload(url)).status === 200, 'the server to let go of the cut upload', 10_000);
}

describe('resumable uploads kept in the bucket (BLOB_STORE=s3)', () => {
  it('keeps the upload in the bucket, resumes after a cut PATCH, and commits it as files/<id>', async () => {
    const server = await startServer({ s3: prefixed('cut/'), env: { UPLOAD_SIZE_LIMIT: '32' } });
    try {
      const room = await createRoom(server.url);
      const data = randomBytes(20 * MiB + 77);
      const now = Date.now();
      const created = await createUpload(server.url, data.length, uploadMetadata(room, now, { max_downloads: '3' }));
      expect(created.status).toBe(201);
      const url = uploadUrl(server.url, created);
      const id = idOf(url);
      expect(await keys('cut/')).toEqual([`uploads/${id}.info`]);
      // The description keeps the completion options, not the room proof or the download key (SECURITY.md).
      const info = await (
        await bucket.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `cut/uploads/${id}.info` }))
      ).Body?.transformToString();
      expect(info).toContain('"max_downloads":"3"');
      expect(info).not.toContain(room.proof('upload', now));
      expect(info).not.toContain(TEST_DOWNLOAD_KEY);
      expect(s3.pendingUploads()).toHaveLength(1);

      // 9 MiB: one whole 8 MiB part, and 1 MiB that waits as the trailing part until the next PATCH.
      const first = await patchUpload(url, 0, data.subarray(0, 9 * MiB));
      expect([first.status, first.headers.get('upload-offset')]).toEqual([204, String(9 * MiB)]);
      expect(await keys('cut/')).toEqual([`uploads/${id}.info`, `uploads/${id}.part`]);
      expect(localUploads(server)).toEqual([]);

      // A PATCH cut after 4 more MiB: the server keeps what it received and says so.
      await cutPatch(url, 9 * MiB, data.subarray(9 * MiB, 13 * MiB));
      const offset = Number((await headUpload(url)).headers.get('upload-offset'));
      expect(offset).toBeGreaterThanOrEqual(9 * MiB);
      expect(offset).toBeLessThanOrEqual(13 * MiB);

      const done = await patchUpload(url, offset, data.subarray(offset));
      expect(done.status).toBe(200);
      expect(done.json).toMatchObject({ file_id: id, size: data.length, max_downloads: 3 });
      expect(await keys('cut/')).toEqual([`files/${id}`]);
      expect(s3.pendingUploads()).toEqual([]);
      expect(localUploads(server)).toEqual([]);
      const down = await download(server.url, id);
      expect(sha256(down.body)).toBe(sha256(data));
      expect(await fileRows(server)).toEqual([{ id, status: 'ready', size: data.length }]);
      expect((await headUpload(url)).status).toBe(404);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('termination and expiry leave no object, no part and no reservation', async () => {
    const clock = new ManualClock();
    const server = await startServer({
      s3: prefixed('expiry/'),
      clock,
      env: { RESUMABLE_UPLOAD_EXPIRY: '30', FILE_AGE_LIMIT: '60', UPLOAD_SIZE_LIMIT: '32' },
    });
    try {
      const room = await createRoom(server.url);
      const urls: string[] = [];
      for (const size of [6 * MiB, 3 * MiB]) {
        const url = uploadUrl(server.url, await createUpload(server.url, size, uploadMetadata(room, clock.now())));
        expect((await patchUpload(url, 0, randomBytes(size - 1000))).status).toBe(204);
        urls.push(url);
      }
      expect(await server.sealroom.services.files.usedBytes()).toBe(9 * MiB);
      expect(s3.pendingUploads()).toHaveLength(2);

      expect((await deleteUpload(urls[0])).status).toBe(204);
      expect(await keys('expiry/')).toEqual([`uploads/${idOf(urls[1])}.info`, `uploads/${idOf(urls[1])}.part`]);
      expect(s3.pendingUploads()).toHaveLength(1);
      expect(await server.sealroom.services.files.usedBytes()).toBe(3 * MiB);

      clock.advance(31 * 60_000);
      expect((await server.sealroom.sweeper.sweep())?.reclaimedUploads).toBe(1);
      expect(await keys('expiry/')).toEqual([]);
      expect(s3.pendingUploads()).toEqual([]);
      expect(await server.sealroom.services.files.usedBytes()).toBe(0);
      expect(await fileRows(server)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a second server with its own data folder resumes an upload the first one began, where its bytes stopped', async () => {
    const firstDir = tempDataDir();
    const first = await startServer({
      s3: prefixed('restart/'),
      db: 'postgres',
      dataDir: firstDir,
      keep: true,
      env: { UPLOAD_SIZE_LIMIT: '32' },
    });
    let second: TestServer | null = null;
    try {
      const room = await createRoom(first.url);
      const data = randomBytes(7 * MiB + 5);
      const created = await createUpload(first.url, data.length, uploadMetadata(room));
      const id = idOf(uploadUrl(first.url, created));
      expect((await patchUpload(uploadUrl(first.url, created), 0, data.subarray(0, 6 * MiB))).status).toBe(204);
      await first.close();
      fs.rmSync(firstDir, { recursive: true, force: true }); // nothing of the upload may live there

      second = await startServer({
        s3: prefixed('restart/'),
        databaseUrl: first.databaseUrl ?? undefined,
        env: { UPLOAD_SIZE_LIMIT: '32' },
      });
      const url = `${second.url}/uploads/${id}`;
      const head = await headUpload(url);
      expect([head.status, head.headers.get('upload-offset')]).toEqual([200, String(6 * MiB)]);
      const done = await patchUpload(url, 6 * MiB, data.subarray(6 * MiB));
      expect(done.status).toBe(200);
      expect(sha256((await download(second.url, id)).body)).toBe(sha256(data));
      expect(await keys('restart/')).toEqual([`files/${id}`]);
    } finally {
      await second?.close();
      if (first.databaseUrl) await dropPgDatabase(first.databaseUrl);
    }
  }, 60_000);
});
