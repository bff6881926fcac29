/**
 * Files over REST with each blob store: the local folder and an S3-compatible bucket (BLOB_STORE=s3 against
 * s3rver, a real S3-protocol server in a child process). The same upload, download, range, delete, expiry, quota
 * and burn-after-reading behaviour, with the bytes in the bucket rather than DATA_DIR.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRoom, deleteRoom, downloadProof, type TestRoom } from '../support/rooms';
import { download as get, multipart, send as sendRaw, upload, V2_FIELDS } from '../support/multipart';
import { startS3Server, type S3TestServer } from '../support/s3-server';
import { ManualClock, startServer, type TestServer } from '../support/server';
import { eventually, fileRows, storedBlobs } from '../support/storage';

describe.each(['local', 's3'] as const)('files over REST with the %s blob store', (kind) => {
  let s3: S3TestServer | undefined;
  let server: TestServer;
  let room: TestRoom;
  const clock = new ManualClock();
  const download = (fileId: string, headers: Record<string, string> = {}) => get(server.url, fileId, headers, { nowMs: clock.now() });
  const send = (data: Buffer, extra: Array<{ name: string; value: string }> = []) =>
    upload(server.url, room.roomId, room.proof('upload', clock.now()), data, extra);

  beforeAll(async () => {
    if (kind === 's3') s3 = await startS3Server();
    server = await startServer({ clock, s3, env: { UPLOAD_SIZE_LIMIT: '8', FOLDER_SIZE_LIMIT: String(64 / 1024), FILE_AGE_LIMIT: '10' } });
    room = await createRoom(server.url);
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    await s3?.close();
  });

  afterEach(async () => {
    // Everything stored is accounted for: no temporary blobs, a blob per row, the quota equal to the rows.
    const rows = await fileRows(server);
    expect(await storedBlobs(server)).toEqual({ blobs: rows.map((r) => r.id).sort(), temps: [] });
    expect(await server.sealroom.services.files.usedBytes()).toBe(rows.reduce((sum, r) => sum + r.size, 0));
  });

  it('keeps the blobs where BLOB_STORE says, and reports the bucket on /health', async () => {
    const { file_id } = (await send(randomBytes(1000))).json();
    const inFolder = fs.existsSync(path.join(server.dataDir, 'files', file_id));
    expect(inFolder).toBe(kind === 'local');
    if (s3) expect(fs.existsSync(path.join(s3.dir, s3.bucket, 'files', `${file_id}._S3rver_object`))).toBe(true);
    const health = (await (await fetch(`${server.url}/health`)).json()) as { dependencies: Record<string, string> };
    expect(health.dependencies).toEqual(kind === 's3' ? { database: 'ok', blob_store: 'ok' } : { database: 'ok' });
  });

  it('uploads (multipart on S3: 7 MiB), downloads whole and by range', async () => {
    const data = randomBytes(7 * 1024 * 1024 + 3);
    const up = await send(data);
    expect(up.status).toBe(201);
    const { file_id } = up.json();
    const whole = await download(file_id);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(data)).toBe(true);
    for (const [range, start, end] of [
      ['bytes=0-0', 0, 0],
      ['bytes=1000-1999', 1000, 1999],
      [`bytes=${data.length - 1}-`, data.length - 1, data.length - 1],
      ['bytes=-10', data.length - 10, data.length - 1],
    ] as const) {
      const part = await download(file_id, { range });
      expect({ range, status: part.status, contentRange: part.headers['content-range'] }).toEqual({
        range,
        status: 206,
        contentRange: `bytes ${start}-${end}/${data.length}`,
      });
      expect(part.body.equals(data.subarray(start, end + 1))).toBe(true);
    }
  });

  it('stores and serves an empty file', async () => {
    const { file_id } = (await send(Buffer.alloc(0))).json();
    const down = await download(file_id);
    expect([down.status, down.body.length]).toEqual([200, 0]);
  });

  it('deleting a room as its owner removes its blobs and gives the quota back', async () => {
    const r = await createRoom(server.url);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push((await upload(server.url, r.roomId, r.proof('upload', clock.now()), randomBytes(5000))).json().file_id);
    const before = await server.sealroom.services.files.usedBytes();
    expect((await deleteRoom(server.url, r, clock.now())).status).toBe(204);
    const { blobs } = await storedBlobs(server);
    expect(ids.filter((id) => blobs.includes(id))).toEqual([]);
    expect(await server.sealroom.services.files.usedBytes()).toBe(before - 10_000);
    for (const id of ids) expect((await download(id)).status).toBe(404);
  });

  it('the sweeper removes an expired file from the store and gives its quota back', async () => {
    const local = new ManualClock();
    // A deployment of its own needs a bucket or S3_PREFIX of its own: its sweeper takes every blob it has no row for.
    const s = await startServer({ clock: local, s3, env: { FILE_AGE_LIMIT: '1', S3_PREFIX: 'expiry/' } });
    try {
      const r = await createRoom(s.url);
      const { file_id } = (await upload(s.url, r.roomId, r.proof('upload', local.now()), randomBytes(100))).json();
      expect((await storedBlobs(s)).blobs).toContain(file_id);
      local.advance(60_000);
      expect((await s.sealroom.sweeper.sweep())?.expiredFiles).toBe(1);
      expect((await storedBlobs(s)).blobs).not.toContain(file_id);
      expect(await s.sealroom.services.files.usedBytes()).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('a refused upload (shorter than declared) leaves no object and no reservation', async () => {
    const data = randomBytes(6 * 1024 * 1024);
    const { body, contentType } = multipart([
      V2_FIELDS.protocol,
      { name: 'room_id', value: room.roomId },
      { name: 'proof', value: room.proof('upload', clock.now()) },
      { name: 'size', value: String(data.length + 1) },
      V2_FIELDS.downloadKey,
      { name: 'file', filename: 'blob', data },
    ]);
    const res = await sendRaw(server.url, {
      method: 'POST',
      path: '/upload_file',
      headers: { 'content-type': contentType, 'content-length': body.length },
      body,
    });
    expect([res.status, res.json().error.code]).toEqual([400, 'SIZE_MISMATCH']);
    await eventually(async () => (await storedBlobs(server)).temps.length === 0, 'the temporary blob to go');
    if (s3) expect(s3.pendingUploads()).toEqual([]);
  });

  it('burns after reading: a download started before the last one finished still gets every byte', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const { file_id } = (await send(data, [{ name: 'max_downloads', value: '2' }])).json();
    // The first download: its headers arrive (the store's read has started), then it is left unread.
    const slow = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get(
        `${server.url}/get_file?filename=${file_id}`,
        { headers: { 'x-download-proof': downloadProof(file_id, clock.now()) } },
        resolve,
      );
      req.on('error', reject);
    });
    expect(slow.statusCode).toBe(200);
    slow.pause();
    // The second and last allowed download delivers its last byte: the file is burnt.
    const fast = await download(file_id);
    expect(fast.body.equals(data)).toBe(true);
    await eventually(async () => !(await storedBlobs(server)).blobs.includes(file_id), 'the spent file to be burnt');
    expect((await download(file_id)).status).toBe(404);
    const chunks: Buffer[] = [];
    for await (const chunk of slow) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });
});
