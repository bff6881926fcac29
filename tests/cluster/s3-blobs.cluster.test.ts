/**
 * A cluster with its blobs in an S3-compatible bucket (BLOB_STORE=s3 against s3rver): two server processes on one
 * PostgreSQL database and one Redis, each with a data folder of its own, so nothing but the bucket carries the
 * bytes between them. What one node accepts, the other serves; what one node deletes or burns, is gone for both.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ServerProcess } from '../support/process-server';
import { download, send, upload } from '../support/multipart';
import { createRoom, type TestRoom } from '../support/rooms';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../support/s3-server';
import { tempDataDir } from '../support/server';
import { Client } from 'pg';
import { eventually } from '../support/storage';
import { startCluster, type Cluster } from './support/cluster';

let s3: S3TestServer;
let cluster: Cluster;
let a: ServerProcess;
let b: ServerProcess;
let bDataDir: string;
let bucket: S3Client;

beforeAll(async () => {
  s3 = await startS3Server('cluster-blobs');
  cluster = await startCluster(1, { env: { ...s3.env, S3_PREFIX: 'node-test/' } });
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
const localBlobs = (dataDir: string) => {
  const folder = path.join(dataDir, 'files');
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
};

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
});
