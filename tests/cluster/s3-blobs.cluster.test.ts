/**
 * A cluster with its blobs in an S3-compatible bucket (BLOB_STORE=s3 against s3rver): two server processes on one
 * PostgreSQL database and one Redis, each with a data folder of its own, so nothing but the bucket carries the
 * bytes between them. What one node accepts, the other serves; what one node deletes or burns, is gone for both;
 * a resumable upload begun through one node goes on through the other.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ServerProcess } from '../support/process-server';
import { download, send, upload } from '../support/multipart';
import { createRoom, type TestRoom } from '../support/rooms';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../support/s3-server';
import { tempDataDir } from '../support/server';
import { Client } from 'pg';
import { eventually } from '../support/storage';
import { createUpload, headUpload, patchUpload, uploadMetadata, uploadUrl } from '../support/tus';
import { startCluster, type Cluster } from './support/cluster';

let s3: S3TestServer;
let cluster: Cluster;
let a: ServerProcess;
let b: ServerProcess;
let bDataDir: string;
let bucket: S3Client;

beforeAll(async () => {
  s3 = await startS3Server('cluster-blobs');
  cluster = await startCluster(1, { env: { ...s3.env, S3_PREFIX: 'node-test/', UPLOAD_SIZE_LIMIT: '32' } });
  [a] = cluster.nodes;
  bDataDir = tempDataDir();
  b = await cluster.addNode({ DATA_DIR: bDataDir });
  bucket = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
}, 120_000);

afterAll(async () => {
  bucket?.destroy();
  await cluster?.close();
  if (bDataDir) fs.rmSync(bDataDir, { recursive: true, force: true });
  await s3?.close();
}, 60_000);

const keys = async () =>
  ((await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'node-test/' }))).Contents ?? []).map((o) => o.Key as string);
const deleteRoom = (node: ServerProcess, room: TestRoom) =>
  send(node.url, { method: 'DELETE', path: `/rooms/${room.roomId}`, headers: { 'x-owner-signature': room.ownerSignature() } });
const localBlobs = (dataDir: string, area = 'files') => {
  const folder = path.join(dataDir, area);
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
};
const MiB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('files across nodes with separate data folders and one bucket', () => {
  it('serves a file uploaded through node A from node B, whole and by range; a delete through B removes the object', async () => {
    const room = await createRoom(a.url);
    const data = randomBytes(6 * 1024 * 1024 + 11); // a multipart upload
    const up = await upload(a.url, room.roomId, room.proof('upload'), data);
    expect(up.status).toBe(201);
    const fileId = up.json<{ file_id: string }>().file_id;
    expect(await keys()).toEqual([`node-test/files/${fileId}`]);
    expect([localBlobs(cluster.dataDir), localBlobs(bDataDir)]).toEqual([[], []]);

    const whole = await download(b.url, fileId);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(data)).toBe(true);
    const ranged = await download(b.url, fileId, { range: 'bytes=0-0' });
    expect([ranged.status, ranged.body.equals(data.subarray(0, 1))]).toEqual([206, true]);

    expect((await deleteRoom(b, room)).status).toBe(204);
    expect(await keys()).toEqual([]);
    expect((await download(a.url, fileId)).status).toBe(404);
  });

  it('burns a file read through B for node A too', async () => {
    const room = await createRoom(b.url);
    const data = randomBytes(5000);
    const up = await upload(b.url, room.roomId, room.proof('upload'), data, [{ name: 'max_downloads', value: '1' }]);
    const fileId = up.json<{ file_id: string }>().file_id;
    const got = await download(a.url, fileId);
    expect(got.body.equals(data)).toBe(true);
    await eventually(async () => (await keys()).length === 0, 'the spent file to be burnt');
    expect((await download(b.url, fileId)).status).toBe(404);
    expect((await deleteRoom(a, room)).status).toBe(204);
  });

  it("a node starting up sweeps objects no row accounts for, and leaves the other node's files alone", async () => {
    const room = await createRoom(a.url);
    const kept = (await upload(a.url, room.roomId, room.proof('upload'), randomBytes(1000))).json<{ file_id: string }>().file_id;
    const orphans = ['files/orphanOrphanOrphan01', 'tmp/orphanOrphanOrphan02'].map((k) => `node-test/${k}`);
    for (const Key of orphans) await bucket.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'left behind' }));
    // The sweeper lease runs out (its holder stopped renewing it), so a third node, with a data folder of its own,
    // sweeps the bucket as it starts.
    const db = new Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    await db.query(`UPDATE leases SET expires_at = 0 WHERE name = 'sweeper'`);
    await db.end();
    const cDataDir = tempDataDir();
    try {
      await cluster.addNode({ DATA_DIR: cDataDir });
      await eventually(async () => (await keys()).filter((k) => orphans.includes(k)).length === 0, 'the orphans to be swept');
      expect(await keys()).toEqual([`node-test/files/${kept}`]);
    } finally {
      fs.rmSync(cDataDir, { recursive: true, force: true });
    }
    expect((await deleteRoom(a, room)).status).toBe(204);
  }, 60_000);

  it('a resumable upload begun through A goes on through B, with nothing of it in either data folder', async () => {
    const room = await createRoom(a.url);
    const data = randomBytes(11 * MiB + 9);
    const created = await createUpload(a.url, data.length, uploadMetadata(room));
    expect(created.status).toBe(201);
    const id = uploadUrl(a.url, created).split('/').pop() as string;
    expect((await patchUpload(`${a.url}/uploads/${id}`, 0, data.subarray(0, 6 * MiB))).status).toBe(204);
    expect([localBlobs(cluster.dataDir, 'resumable'), localBlobs(bDataDir, 'resumable')]).toEqual([[], []]);

    const head = await headUpload(`${b.url}/uploads/${id}`);
    expect([head.status, head.headers.get('upload-offset')]).toEqual([200, String(6 * MiB)]);
    const done = await patchUpload(`${b.url}/uploads/${id}`, 6 * MiB, data.subarray(6 * MiB));
    expect(done.status).toBe(200);
    expect(sha256((await download(a.url, id)).body)).toBe(sha256(data));
    expect(await keys()).toEqual([`node-test/files/${id}`]);
    expect((await deleteRoom(a, room)).status).toBe(204);
  }, 60_000);

  it('a retry through B while A still holds the upload open: A lets go first, and B goes on from every byte A kept', async () => {
    const room = await createRoom(a.url);
    const data = randomBytes(12 * MiB + 3);
    const created = await createUpload(a.url, data.length, uploadMetadata(room));
    const id = uploadUrl(a.url, created).split('/').pop() as string;
    // A PATCH through A that sends 9 MiB and then neither ends nor closes (a client whose network went away).
    const stalled = http.request(`${a.url}/uploads/${id}`, {
      method: 'PATCH',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    });
    stalled.on('error', () => undefined);
    const stalledEnded = new Promise<void>((resolve) => {
      stalled.on('response', (res) => res.resume().on('end', resolve).on('close', resolve));
      stalled.on('close', resolve);
    });
    stalled.write(data.subarray(0, 9 * MiB));
    // A has sent the first 8 MiB part to the bucket; the last MiB waits in A's part buffer.
    const [uploadId] = s3.pendingUploads();
    await eventually(() => fs.existsSync(path.join(s3.dir, s3.bucket, '._S3rver_uploads', uploadId, '1.md5')), "A's first part");

    // B asks where the upload stands: it must wait for A to let go (A stores its last MiB as it does), so the
    // answer counts all 9 MiB. A lock on each node alone would answer at once with 8 MiB.
    const head = await headUpload(`${b.url}/uploads/${id}`);
    expect([head.status, head.headers.get('upload-offset')]).toEqual([200, String(9 * MiB)]);
    await stalledEnded;
    stalled.destroy();

    const done = await patchUpload(`${b.url}/uploads/${id}`, 9 * MiB, data.subarray(9 * MiB));
    expect(done.status).toBe(200);
    expect(sha256((await download(b.url, id)).body)).toBe(sha256(data));
    expect((await deleteRoom(a, room)).status).toBe(204);
  }, 60_000);
});
