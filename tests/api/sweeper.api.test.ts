import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import pino from 'pino';
import { FileRepository } from '../../src/repositories/file.repository';
import { LeaseRepository } from '../../src/repositories/lease.repository';
import { SweeperService } from '../../src/services/sweeper.service';
import { LocalBlobStore } from '../../src/storage/local-blob-store';
import { createRoom } from '../support/rooms';
import { DATABASES, dropPgDatabase, ManualClock, startServer, tempDataDir } from '../support/server';
import { download, upload } from '../support/multipart';
import { blobFolder, fileRows } from '../support/storage';

const fakeId = () => randomBytes(16).toString('base64url');

describe.each(DATABASES)('the sweeper (%s)', (db) => {
  it('cleans up after a crash at start-up: interrupted uploads, stray temporary files and blobs without rows', async () => {
    const dataDir = tempDataDir();
    const first = await startServer({ db, dataDir, keep: true });
    const room = await createRoom(first.url);
    const kept = (await upload(first.url, room.roomId, room.proof('upload'), randomBytes(1234))).json().file_id as string;

    // What a process killed mid-upload leaves: a row still `uploading` (with an expired lease) and its temp file.
    const interrupted = fakeId();
    const now = Date.now();
    await first.sealroom.db.query(
      `INSERT INTO stored_files (id, room_id, size, status, created_at, expires_at, lease_until, downloads)
       VALUES ('${interrupted}', '${room.roomId}', 5000, 'uploading', ${now}, ${now + 600_000}, ${now - 1}, 0)`,
    );
    const filesDir = path.join(dataDir, 'files');
    fs.writeFileSync(path.join(filesDir, `${interrupted}.part`), randomBytes(2000));
    const orphanBlob = fakeId();
    fs.writeFileSync(path.join(filesDir, orphanBlob), randomBytes(10));
    fs.writeFileSync(path.join(filesDir, `${fakeId()}.part`), randomBytes(10));
    await first.close();

    const second = await startServer({ db, dataDir, databaseUrl: first.databaseUrl ?? undefined });
    try {
      expect(blobFolder(second)).toEqual({ blobs: [kept], temps: [] });
      expect(await fileRows(second)).toEqual([{ id: kept, status: 'ready', size: 1234 }]);
      expect(await second.sealroom.services.files.usedBytes()).toBe(1234);
      const down = await download(second.url, kept);
      expect(down.status).toBe(200);
    } finally {
      await second.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (first.databaseUrl) await dropPgDatabase(first.databaseUrl);
    }
  });

  it('removes idle rooms with their files and tells the realtime side', async () => {
    const clock = new ManualClock();
    const server = await startServer({ db, clock, env: { ROOM_AGE_LIMIT: '5', FILE_AGE_LIMIT: '60' } });
    try {
      const idle = await createRoom(server.url);
      const busy = await createRoom(server.url);
      const file = (await upload(server.url, idle.roomId, idle.proof('upload', clock.now()), randomBytes(100))).json().file_id as string;
      const closed: Array<[string, string]> = [];
      server.sealroom.services.events.on('closed', (roomId, reason) => closed.push([roomId, reason]));

      clock.advance(4 * 60_000);
      // Activity keeps a room alive.
      await upload(server.url, busy.roomId, busy.proof('upload', clock.now()), randomBytes(10));
      clock.advance(2 * 60_000);

      const report = await server.sealroom.sweeper.sweep();
      expect(report?.expiredRooms).toBe(1);
      expect(closed).toEqual([[idle.roomId, 'expired']]);
      expect((await request(server.url).get('/room_exists').query({ room_id: idle.roomId })).status).toBe(404);
      expect((await request(server.url).get('/room_exists').query({ room_id: busy.roomId })).status).toBe(200);
      expect(blobFolder(server).blobs).not.toContain(file);
    } finally {
      await server.close();
    }
  });

  it('reclaims an upload whose node stopped renewing its lease, and leaves a live one alone', async () => {
    const clock = new ManualClock();
    const server = await startServer({ db, clock });
    try {
      const room = await createRoom(server.url);
      const stale = fakeId();
      const live = fakeId();
      const now = clock.now();
      for (const [id, lease] of [
        [stale, now - 1],
        [live, now + 30_000],
      ] as const) {
        await server.sealroom.db.query(
          `INSERT INTO stored_files (id, room_id, size, status, created_at, expires_at, lease_until, downloads)
           VALUES ('${id}', '${room.roomId}', 100, 'uploading', ${now}, ${now + 600_000}, ${lease}, 0)`,
        );
        fs.writeFileSync(path.join(server.dataDir, 'files', `${id}.part`), randomBytes(50));
      }
      const report = await server.sealroom.sweeper.sweep();
      expect(report?.reclaimedUploads).toBe(1);
      expect(blobFolder(server).temps).toEqual([`${live}.part`]);
      expect((await fileRows(server)).map((r) => r.id)).toEqual([live]);
    } finally {
      await server.close();
    }
  });

  it('lets only one node sweep at a time', async () => {
    const server = await startServer({ db });
    try {
      const { db: dataSource, services } = server.sealroom;
      const other = new SweeperService(
        services.rooms,
        new FileRepository(dataSource),
        new LeaseRepository(dataSource),
        new LocalBlobStore(server.dataDir),
        services.clock,
        pino({ level: 'silent' }),
        { nodeId: 'another-node', intervalMs: 60_000, singleNode: false },
      );
      // The server swept at start-up and holds the lease; another node must wait for it to expire.
      expect(await other.sweep()).toBeNull();
      expect(await server.sealroom.sweeper.sweep()).not.toBeNull();
    } finally {
      await server.close();
    }
  });
});
