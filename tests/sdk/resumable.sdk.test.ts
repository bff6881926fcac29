/**
 * Resumable uploads through the SDK (Node entry) against a real server, over real sockets: a 200 MB upload is
 * cut at about half by a TCP proxy, shared again, resumes where the server stopped (the resumed ciphertext is
 * re-encrypted from the plaintext, and must be byte-identical for the file to decrypt), then is downloaded and
 * compared by hash, streamed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { FileResumeStore, SealroomClient, SealroomError, encryptedSize } from '../../sdk/src/node.js';
import { startServer, type TestServer } from '../support/server';
import { startCuttingProxy, type CuttingProxy } from '../support/cutting-proxy';
import { fileRows } from '../support/storage';
import { FAST_REALTIME } from './support/room-events';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';

const SIZE = 200 * 1024 * 1024;
let server: TestServer;
let proxy: CuttingProxy;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-resume-'));
const clients: SealroomClient[] = [];

beforeAll(async () => {
  server = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '256' } });
  proxy = await startCuttingProxy({ host: '127.0.0.1', port: server.port });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await proxy.close();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes `size` random bytes to `file` in 1 MiB chunks; returns their SHA-256. */
async function randomFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  let left = size;
  const chunks = Readable.from(
    (function* () {
      while (left > 0) {
        const chunk = randomBytes(Math.min(left, 1024 * 1024));
        left -= chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  await pipeline(chunks, fs.createWriteStream(file));
  return hash.digest('hex');
}

async function hashOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(
    Readable.fromWeb(stream as NodeWebStream<Uint8Array>),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done();
      },
    }),
  );
  return hash.digest('hex');
}

function client(baseUrl: string, store: FileResumeStore): SealroomClient {
  const c = new SealroomClient({ baseUrl, realtime: FAST_REALTIME, resumableUploads: { store, retryDelays: [] } });
  clients.push(c);
  return c;
}

describe('resumable uploads through the SDK', () => {
  it('resumes a 200 MB upload cut at about half, and the file downloads byte-exact', async () => {
    const file = path.join(tmp, 'big.bin');
    const expected = await randomFile(file, SIZE);
    const store = new FileResumeStore(path.join(tmp, 'resume.json'));
    const owner = client(server.url, store);
    const invite = (await owner.createRoom()).link;
    // The uploader goes through the proxy, for the upload and its realtime connection alike.
    const uploader = client(proxy.url, store);
    const room = await uploader.join(invite.replace(server.url, proxy.url), { name: 'Uploader' });

    const cut = proxy.cutAfter(SIZE / 2);
    const first = await room.shareFile(fs.createReadStream(file)).then(
      () => null,
      (e: unknown) => e,
    );
    await cut;
    expect(first).toBeInstanceOf(SealroomError);
    expect((first as SealroomError).code).toBe('NETWORK_ERROR');
    // The server kept what arrived; the resume state is on this device.
    const [row] = await fileRows(server);
    expect(row).toMatchObject({ status: 'uploading', size: encryptedSize(SIZE) });
    const saved = JSON.parse(fs.readFileSync(store.path, 'utf8')) as Record<string, { uploadUrl: string }>;
    expect(Object.values(saved)).toHaveLength(1);

    proxy.restore();
    const forwardedBefore = proxy.forwarded();
    let resumedAt = -1;
    const shared = await room.shareFile(fs.createReadStream(file), { onResume: (loaded) => (resumedAt = loaded) });
    // It went on from about half, not from the start: less than 60 % of the ciphertext went through again.
    expect(resumedAt).toBeGreaterThan(SIZE * 0.4);
    expect(proxy.forwarded() - forwardedBefore).toBeLessThan(encryptedSize(SIZE) * 0.6);
    expect(shared.encryptedSize).toBe(encryptedSize(SIZE));
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8'))).toEqual({});

    const download = await owner.downloadFile(shared.link);
    expect(await hashOf(download.stream)).toBe(expected);
    expect(await fileRows(server)).toEqual([{ id: shared.id, status: 'ready', size: encryptedSize(SIZE) }]);
  }, 240_000);
});
