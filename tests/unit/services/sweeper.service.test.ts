import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import pino from 'pino';
import { LeaseRepository } from '../../../src/repositories/lease.repository';
import { makeProof } from '../../../src/services/proof';
import { SweeperService } from '../../../src/services/sweeper.service';
import { UPLOAD_LEASE_MS } from '../../../src/services/file.service';
import { DOWNLOAD_KEY, OWNER, serviceFixture, type ServiceFixture } from '../support/service-fixture';

const MINUTE = 60_000;

describe('SweeperService', () => {
  let f: ServiceFixture;
  let sweeper: (nodeId: string, singleNode?: boolean) => SweeperService;
  beforeEach(async () => {
    f = await serviceFixture({ FILE_AGE_LIMIT: '10', ROOM_AGE_LIMIT: '60' });
    const leases = new LeaseRepository(f.db);
    sweeper = (nodeId, singleNode = false) =>
      new SweeperService(f.rooms, f.fileRows, leases, f.blobs, f.clock, pino({ level: 'silent' }), {
        nodeId,
        intervalMs: MINUTE,
        singleNode,
      });
  });
  afterEach(() => f.close());

  async function room() {
    const key = randomBytes(32).toString('base64url');
    const { roomId } = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: key });
    const reserve = (size: number) =>
      f.files.reserve({ roomId, proof: makeProof(key, 'upload', roomId, f.clock.ms), size, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' });
    return { roomId, reserve };
  }

  it('removes expired files, uploads whose lease ran out, and rooms gone idle; keeps the rest', async () => {
    const { reserve } = await room();
    const expiring = await reserve(3);
    await f.files.receive(expiring, Readable.from([Buffer.from('old')]), 3);
    await f.files.complete(expiring);
    await reserve(5); // an upload whose node died: nobody renews its lease
    f.clock.advance(10 * MINUTE);
    const fresh = await reserve(4);
    await f.files.receive(fresh, Readable.from([Buffer.from('live')]), 4);
    await f.files.complete(fresh);
    expect(UPLOAD_LEASE_MS).toBeLessThan(10 * MINUTE);

    expect(await sweeper('node-a').sweep()).toEqual({
      expiredRooms: 0,
      expiredFiles: 1,
      reclaimedUploads: 1,
      orphanBlobs: 0,
      orphanTemps: 0,
      orphanResumables: 0,
    });
    expect(await f.fileRows.statuses()).toEqual(new Map([[fresh, 'ready']]));
    expect(await f.files.usedBytes()).toBe(4);

    f.clock.advance(61 * MINUTE);
    expect(await sweeper('node-a').sweep()).toMatchObject({ expiredRooms: 1 });
    expect(await f.files.usedBytes()).toBe(0);
  });

  it('lets one node sweep at a time, until its lease expires or it stops', async () => {
    const a = sweeper('node-a');
    const b = sweeper('node-b');
    expect(await a.sweep()).not.toBeNull();
    expect(await b.sweep()).toBeNull();
    await a.stop();
    expect(await b.sweep()).not.toBeNull();
    f.clock.advance(3 * MINUTE); // b's lease (twice the interval) ran out without renewal
    expect(await a.sweep()).not.toBeNull();
  });

  it('on a single node, reclaims at start-up every upload an earlier process left in progress', async () => {
    const { reserve } = await room();
    await reserve(7);
    expect(await f.files.usedBytes()).toBe(7);
    expect(await sweeper('restarted', true).startup()).not.toBeNull();
    expect(await f.files.usedBytes()).toBe(0);
  });

  it('removes blobs and temporary files that no row accounts for, and leaves strangers alone', async () => {
    const orphan = randomBytes(16).toString('base64url');
    await f.blobs.write(orphan, Readable.from([Buffer.from('x')]), 1);
    await f.blobs.commit(orphan);
    const report = await sweeper('node-a').sweep();
    expect(report).toMatchObject({ orphanBlobs: 1 });
    expect(await f.blobs.read(orphan)).toBeNull();
  });
});
