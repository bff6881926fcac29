/**
 * The blob store contract, run against both stores: the local folder, and the S3 store against a real
 * S3-protocol server (s3rver in a child process). What the services rely on holds for each: a reader never
 * sees half a blob, a failed write leaves nothing behind (no file, no object, no multipart upload), range reads
 * are exact, a started read survives the blob's removal, and memory stays flat however large the blob.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from '../../src/storage/blob-store';
import { LocalBlobStore } from '../../src/storage/local-blob-store';
import { S3BlobStore } from '../../src/storage/s3-blob-store';
import { S3RVER_CREDENTIALS, startS3Server } from '../support/s3-server';

const MiB = 1024 * 1024;

interface Harness {
  store: BlobStore;
  /** Puts something the store did not write where it keeps blobs. */
  addStray(name: string): Promise<void>;
  /** Anything a failed write could leave outside the listing (S3's unfinished multipart uploads). */
  hidden(): string[];
  close(): Promise<void>;
}

async function localHarness(): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-blobs-'));
  const store = new LocalBlobStore(dir);
  await store.init();
  return {
    store,
    addStray: async (name) => fs.writeFileSync(path.join(dir, 'files', name), 'x'),
    hidden: () => [],
    close: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function s3Harness(): Promise<Harness> {
  const s3 = await startS3Server('blob-contract');
  const options = { region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS };
  // The smallest part S3 allows, so that a few MiB already make a multipart upload with parts in flight.
  const store = new S3BlobStore({ ...options, bucket: s3.bucket, prefix: 'sealroom/', createBucket: false, partSize: 5 * MiB });
  await store.init();
  const raw = new S3Client({ ...options, requestChecksumCalculation: 'WHEN_REQUIRED' });
  return {
    store,
    addStray: async (name) => {
      await raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `sealroom/files/${name}`, Body: 'x' }));
    },
    hidden: () => s3.pendingUploads(),
    close: async () => {
      raw.destroy();
      await store.close();
      await s3.close();
    },
  };
}

const id = () => randomBytes(16).toString('base64url');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * `total` bytes in 64 KiB chunks made as they are read (never held whole); `fail` breaks the stream after `total`;
 * `probe` is called at every 4 MiB.
 */
function generated(total: number, fail?: Error, probe?: () => void): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (probe && sent % (4 * MiB) === 0) probe();
      if (sent >= total) {
        if (fail) this.destroy(fail);
        else this.push(null);
        return;
      }
      const n = Math.min(64 * 1024, total - sent);
      const chunk = Buffer.alloc(n, sent % 251);
      sent += n;
      this.push(chunk);
    },
  });
}

describe.each([
  ['local', localHarness],
  ['s3', s3Harness],
])('%s blob store', (_name, makeHarness) => {
  let h: Harness;
  let store: BlobStore;

  beforeAll(async () => {
    h = await makeHarness();
    store = h.store;
  }, 30_000);
  afterAll(() => h?.close());

  const nothingLeft = async (blobId: string) => {
    const listing = await store.list();
    expect({
      blobs: listing.blobs.filter((b) => b === blobId),
      temps: listing.temps.filter((t) => t === blobId),
      readable: (await store.read(blobId)) !== null,
      hidden: h.hidden(),
    }).toEqual({ blobs: [], temps: [], readable: false, hidden: [] });
  };

  it('writes to a temporary blob that only commit makes readable', async () => {
    const blobId = id();
    const bytes = randomBytes(300_000);
    await store.write(blobId, Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), bytes.length);
    expect(await store.read(blobId)).toBeNull();
    expect((await store.list()).temps).toContain(blobId);
    await store.commit(blobId);
    const listing = await store.list();
    expect([listing.blobs.includes(blobId), listing.temps.includes(blobId)]).toEqual([true, false]);
    expect((await readAll((await store.read(blobId)) as Readable)).equals(bytes)).toBe(true);
  });

  it('writes and reads an empty blob', async () => {
    const blobId = id();
    await store.write(blobId, Readable.from([]), 0);
    await store.commit(blobId);
    expect(await readAll((await store.read(blobId)) as Readable)).toHaveLength(0);
  });

  it('reads exact ranges: the first byte, the middle, the last byte', async () => {
    const blobId = id();
    const bytes = randomBytes(10_000);
    await store.write(blobId, Readable.from([bytes]), bytes.length);
    await store.commit(blobId);
    const range = async (start: number, end: number) => readAll((await store.read(blobId, { start, end })) as Readable);
    expect(await range(0, 0)).toEqual(bytes.subarray(0, 1));
    expect(await range(4000, 5999)).toEqual(bytes.subarray(4000, 6000));
    expect(await range(9999, 9999)).toEqual(bytes.subarray(9999));
  });

  it('reports progress as bytes arrive', async () => {
    const progress: number[] = [];
    await store.write(id(), generated(300 * 1024), 300 * 1024, (n) => progress.push(n));
    expect(progress.at(-1)).toBe(300 * 1024);
    expect(progress.length).toBeGreaterThan(1);
  });

  describe.each([
    ['small', 1000],
    ['multipart', 12 * MiB],
  ])('a failed %s write leaves nothing behind', (_size, size) => {
    it('longer than declared: SIZE_MISMATCH', async () => {
      const blobId = id();
      await expect(store.write(blobId, generated(size + 1), size)).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
      await nothingLeft(blobId);
    });

    it('shorter than declared: SIZE_MISMATCH', async () => {
      const blobId = id();
      await expect(store.write(blobId, generated(size - 1), size)).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
      await nothingLeft(blobId);
    });

    it('a source that breaks off: its error', async () => {
      const blobId = id();
      await expect(store.write(blobId, generated(size - 1, new Error('client went away')), size)).rejects.toThrow('client went away');
      await nothingLeft(blobId);
    });
  });

  it('reads a missing blob as null, and removes missing ones quietly', async () => {
    const blobId = id();
    expect(await store.read(blobId)).toBeNull();
    expect(await store.read(blobId, { start: 0, end: 0 })).toBeNull();
    await store.remove(blobId);
    await store.removeTemp(blobId);
  });

  it('remove takes the blob and its temporary blob; removeTemp only the temporary one', async () => {
    const [a, b] = [id(), id()];
    for (const blobId of [a, b]) {
      await store.write(blobId, Readable.from([Buffer.from('committed')]), 9);
      await store.commit(blobId);
      await store.write(blobId, Readable.from([Buffer.from('pending')]), 7);
    }
    await store.removeTemp(a);
    let listing = await store.list();
    expect([listing.blobs.includes(a), listing.temps.includes(a)]).toEqual([true, false]);
    expect((await readAll((await store.read(a)) as Readable)).toString()).toBe('committed');
    await store.remove(b);
    listing = await store.list();
    expect([listing.blobs.includes(b), listing.temps.includes(b)]).toEqual([false, false]);
    expect(await store.read(b)).toBeNull();
  });

  it('lists blobs, temporary blobs and strays apart', async () => {
    const [blob, temp] = [id(), id()];
    await store.write(blob, Readable.from([Buffer.from('b')]), 1);
    await store.commit(blob);
    await store.write(temp, Readable.from([Buffer.from('t')]), 1);
    await h.addStray('notes.txt');
    const listing = await store.list();
    expect(listing.blobs).toContain(blob);
    expect(listing.blobs).not.toContain(temp);
    expect(listing.temps).toContain(temp);
    expect(listing.temps).not.toContain(blob);
    expect(listing.strays.some((s) => s.endsWith('notes.txt'))).toBe(true);
  });

  it('keeps streaming a read that started before the blob was removed (burn after reading)', async () => {
    const blobId = id();
    const bytes = randomBytes(4 * MiB);
    await store.write(blobId, Readable.from([bytes]), bytes.length);
    await store.commit(blobId);
    const reading = (await store.read(blobId)) as Readable;
    const tail = (await store.read(blobId, { start: 3 * MiB, end: 4 * MiB - 1 })) as Readable;
    await store.remove(blobId);
    expect(await store.read(blobId)).toBeNull();
    expect((await readAll(reading)).equals(bytes)).toBe(true);
    expect((await readAll(tail)).equals(bytes.subarray(3 * MiB))).toBe(true);
  });

  it('keeps memory flat while a 64 MiB blob streams in and out', async () => {
    const size = 64 * MiB;
    const blobId = id();
    // Live memory, not garbage the collector has yet to take: a collection before each sample, taken at every
    // 4 MiB written and read (by progress, not by time).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const used = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = used();
    let peak = 0;
    const probe = () => (peak = Math.max(peak, used() - baseline));
    try {
      await store.write(blobId, generated(size, undefined, probe), size);
      await store.commit(blobId);
      let read = 0;
      for await (const chunk of (await store.read(blobId)) as Readable) {
        read += (chunk as Buffer).length;
        if (read % (4 * MiB) < (chunk as Buffer).length) probe();
      }
      expect(read).toBe(size);
    } finally {
      await store.remove(blobId);
    }
    // S3: a 5 MiB part being filled, its joined copy and two parts in flight (about 20 MiB whatever the size);
    // a store that held the blob would need all 64.
    expect(peak).toBeLessThan(size * 0.6);
  }, 60_000);
});
