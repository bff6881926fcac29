/**
 * The services over real repositories on a temporary SQLite file, with a clock the test moves: the rules
 * tested without HTTP, sockets or timers, against the same queries the server runs.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../../src/config';
import { openDatabase } from '../../../src/db/data-source';
import { DownloadTokenRepository } from '../../../src/repositories/download-token.repository';
import { FileRepository } from '../../../src/repositories/file.repository';
import { RoomRepository } from '../../../src/repositories/room.repository';
import { FileService } from '../../../src/services/file.service';
import { RateLimitService } from '../../../src/services/rate-limit.service';
import { RoomEvents } from '../../../src/services/room-events';
import { RoomService } from '../../../src/services/room.service';
import type { BlobStore } from '../../../src/storage/blob-store';
import { LocalBlobStore } from '../../../src/storage/local-blob-store';

/** The owner key pair a test room is created with: the public key as create_room takes it, and the private key. */
export const OWNER = (() => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { ownerKey: publicKey.export({ format: 'jwk' }).x as string, privateKey: privateKey as KeyObject };
})();

/** The download key test uploads register. */
export const DOWNLOAD_KEY = randomBytes(32).toString('base64url');

export class ManualClock {
  constructor(public ms = 1_764_172_800_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface ServiceFixture {
  config: Config;
  clock: ManualClock;
  db: DataSource;
  blobs: BlobStore;
  roomRows: RoomRepository;
  fileRows: FileRepository;
  events: RoomEvents;
  limits: RateLimitService;
  rooms: RoomService;
  files: FileService;
  close(): Promise<void>;
}

export async function serviceFixture(env: Record<string, string> = {}): Promise<ServiceFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-unit-'));
  // The quota's shares and uploads at once are off unless a test sets them (tests/api/abuse.api.test.ts does).
  const shares = { UPLOAD_IP_SHARE: '100', UPLOAD_ROOM_SHARE: '100', UPLOAD_MAX_PER_IP: '1000', UPLOAD_MAX_PER_ROOM: '1000' };
  const config = loadConfig({ DATA_DIR: dataDir, ...shares, ...env });
  const clock = new ManualClock();
  const db = await openDatabase(config);
  const blobs = new LocalBlobStore(dataDir);
  await blobs.init();
  const roomRows = new RoomRepository(db);
  const fileRows = new FileRepository(db);
  const events = new RoomEvents();
  const limits = new RateLimitService(config);
  const rooms = new RoomService(roomRows, fileRows, blobs, config, clock, limits, events);
  const files = new FileService(fileRows, blobs, rooms, config, clock, new DownloadTokenRepository(db));
  return {
    config,
    clock,
    db,
    blobs,
    roomRows,
    fileRows,
    events,
    limits,
    rooms,
    files,
    close: async () => {
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
