import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRoom } from '../support/rooms';
import { startServer, tempDataDir } from '../support/server';
import { startServerProcess } from '../support/process-server';
import { download, upload, uploadForm } from '../support/multipart';
import { eventually } from '../support/storage';

const listBlobs = (dataDir: string) => fs.readdirSync(path.join(dataDir, 'files'));

describe('a server killed in the middle of uploads', () => {
  it('comes back with no temporary files, no leaked quota, and no half file served', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, RATE_LIMIT_UPLOAD: '1000', RATE_LIMIT_CREATE_ROOM: '1000' };
    let server = await startServerProcess(env);
    try {
      const room = await createRoom(server.url);
      const done = (await upload(server.url, room.roomId, room.proof('upload'), randomBytes(50_000))).json().file_id as string;

      // Three uploads in flight, each half sent.
      const sockets: http.ClientRequest[] = [];
      for (let i = 0; i < 3; i++) {
        const { body, contentType } = uploadForm(room.roomId, room.proof('upload'), randomBytes(400_000));
        const req = http.request(`${server.url}/upload_file`, {
          method: 'POST',
          headers: { 'content-type': contentType, 'content-length': body.length },
        });
        req.on('error', () => undefined);
        req.write(body.subarray(0, 200_000));
        sockets.push(req);
      }
      await eventually(() => listBlobs(dataDir).filter((n) => n.endsWith('.part')).length === 3, 'three uploads to be half written');
      await server.kill();
      sockets.forEach((s) => s.destroy());
      expect(listBlobs(dataDir).filter((n) => n.endsWith('.part'))).toHaveLength(3); // what the crash left

      server = await startServerProcess(env, server.port);
      expect(listBlobs(dataDir)).toEqual([done]);
      const health = await (await fetch(`${server.url}/health`)).json();
      expect(health.status).toBe('ok');
      // Only the completed file counts against the quota, and it is whole.
      const res = await download(server.url, done);
      expect(res.status).toBe(200);
      expect(res.body.length).toBe(50_000);
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the disk filling up during an upload', () => {
  const dataDir = tempDataDir();
  const filesDir = path.join(dataDir, 'files');

  beforeAll(() => {
    // A 1 MiB filesystem under the blob folder only (the database stays on the real disk). Needs root, as CI has.
    fs.mkdirSync(filesDir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', filesDir]);
  });
  afterAll(() => {
    execFileSync('umount', [filesDir]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 507 STORAGE_FULL, keeps nothing of it, and accepts a file that fits afterwards', async () => {
    const server = await startServer({ dataDir, env: { UPLOAD_SIZE_LIMIT: '10', FOLDER_SIZE_LIMIT: '1' } });
    try {
      const room = await createRoom(server.url);
      const res = await upload(server.url, room.roomId, room.proof('upload'), randomBytes(3 * 1024 * 1024));
      expect([res.status, res.json().error.code]).toEqual([507, 'STORAGE_FULL']);
      expect(fs.readdirSync(filesDir)).toEqual([]);
      expect(await server.sealroom.services.files.usedBytes()).toBe(0);
      const small = await upload(server.url, room.roomId, room.proof('upload'), randomBytes(100_000));
      expect(small.status).toBe(201);
    } finally {
      await server.close();
    }
  });

  it('answers only once the failed upload is given back, however long that takes', async () => {
    const server = await startServer({ dataDir, env: { UPLOAD_SIZE_LIMIT: '10', FOLDER_SIZE_LIMIT: '1' } });
    // A slow clean-up (a loaded machine, a slow database). multer answers as soon as its part stream errors: had the
    // store's failure reached that stream, the 507 would overtake the clean-up, quota and temporary file included.
    const files = server.sealroom.services.files;
    const abort = files.abort.bind(files);
    files.abort = async (fileId) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await abort(fileId);
    };
    try {
      const before = { used: await server.sealroom.services.files.usedBytes(), files: fs.readdirSync(filesDir) };
      const room = await createRoom(server.url);
      const res = await upload(server.url, room.roomId, room.proof('upload'), randomBytes(3 * 1024 * 1024));
      expect([res.status, res.json().error.code]).toEqual([507, 'STORAGE_FULL']);
      expect({ used: await server.sealroom.services.files.usedBytes(), files: fs.readdirSync(filesDir) }).toEqual(before);
    } finally {
      await server.close();
    }
  });
});

describe('a stored file that fails while it is being read', () => {
  /** The server's open descriptors on a path (it runs in this process). */
  const openOn = (file: string) =>
    fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false; // closed meanwhile
      }
    });

  it('cuts that download, closes the file and goes on serving', async () => {
    const server = await startServer({ env: { UPLOAD_SIZE_LIMIT: '10' } });
    try {
      const room = await createRoom(server.url);
      const data = randomBytes(3 * 1024 * 1024);
      const [damaged, intact] = await Promise.all(
        [0, 1].map(async () => (await upload(server.url, room.roomId, room.proof('upload'), data)).json().file_id as string),
      );
      // The disk lost the second half of one blob (the database still says 3 MiB): its bytes run out mid-response.
      const blob = path.join(server.dataDir, 'files', damaged);
      fs.truncateSync(blob, data.length / 2);

      await expect(download(server.url, damaged)).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
      await eventually(async () => openOn(blob).length === 0, 'the damaged blob to be closed');
      const res = await download(server.url, intact);
      expect(res.status).toBe(200);
      expect(res.body.equals(data)).toBe(true);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
