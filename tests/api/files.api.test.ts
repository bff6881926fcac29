import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import { makeDownloadProof } from '../../src/services/proof';
import { createRoom, deleteRoom, downloadProof, type TestRoom } from '../support/rooms';
import { DATABASES, ManualClock, startServer, type TestServer } from '../support/server';
import { download as get, multipart, send, upload, uploadForm, V2_FIELDS, type Part } from '../support/multipart';
import { blobFolder, eventually, fileRows } from '../support/storage';

/** A v2 form with the fields in the given order around the usual ones (tests of malformed forms). */
const v2 = (roomId: string, proof: string, size: string, rest: Part[]): Part[] => [
  V2_FIELDS.protocol,
  { name: 'room_id', value: roomId },
  { name: 'proof', value: proof },
  { name: 'size', value: size },
  V2_FIELDS.downloadKey,
  ...rest,
];

describe.each(DATABASES)('files over REST (%s)', (db) => {
  let server: TestServer;
  let room: TestRoom;
  const clock = new ManualClock();
  /** A new, counted download with a fresh download proof dated by the server's clock. */
  const download = (s: TestServer, fileId: string, headers: Record<string, string> = {}, c: ManualClock = clock) =>
    get(s.url, fileId, headers, { nowMs: c.now() });

  beforeAll(async () => {
    // 1 MiB uploads at most; a quota of 3 MiB.
    server = await startServer({ db, clock, env: { UPLOAD_SIZE_LIMIT: '1', FOLDER_SIZE_LIMIT: String(3 / 1024), FILE_AGE_LIMIT: '10' } });
    room = await createRoom(server.url);
  });
  afterAll(() => server.close());

  /** Everything that is stored is accounted for: no temp files, a blob per ready row, the quota equal to the rows. */
  async function storageState() {
    const rows = await fileRows(server);
    const { blobs, temps } = blobFolder(server);
    return {
      temps,
      unfinished: rows.filter((r) => r.status !== 'ready').map((r) => r.id),
      blobsWithoutRows: blobs.filter((b) => !rows.some((r) => r.id === b)),
      rowsWithoutBlobs: rows.filter((r) => !blobs.includes(r.id)).map((r) => r.id),
      quotaDrift: (await server.sealroom.services.files.usedBytes()) - rows.reduce((sum, r) => sum + r.size, 0),
    };
  }
  const consistent = { temps: [], unfinished: [], blobsWithoutRows: [], rowsWithoutBlobs: [], quotaDrift: 0 };

  afterEach(async () => {
    // A refused upload may still be unwinding on the server when its answer arrives (multer answers as soon as
    // the body is known to be bad); it must leave nothing behind once it has.
    const settled = () =>
      eventually(async () => JSON.stringify(await storageState()) === JSON.stringify(consistent), 'storage to be consistent').catch(
        () => undefined,
      );
    await settled();
    // The answer can even precede the reservation (PostgreSQL takes a lock for it); a reservation made for a
    // request that is already answered is given back at once. Look again after it has had the chance to appear.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await settled();
    expect(await storageState()).toEqual(consistent);
  });

  describe('upload and download', () => {
    it('round-trips ciphertext byte for byte with the download headers a browser needs', async () => {
      const data = randomBytes(300_001);
      const up = await upload(server.url, room.roomId, room.proof('upload', clock.now()), data);
      expect(up.status).toBe(201);
      const body = up.json();
      expect(body).toEqual({
        file_id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        url: `${server.url}/f/${body.file_id}`,
        size: data.length,
        expires_at: clock.now() + 10 * 60_000,
        max_downloads: null,
      });

      const down = await download(server, body.file_id);
      expect(down.status).toBe(200);
      expect(down.body.equals(data)).toBe(true);
      expect(down.headers).toMatchObject({
        'content-type': 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'content-disposition': `attachment; filename="${body.file_id}.sealed"`,
        'cache-control': 'no-store',
        etag: `"${body.file_id}"`,
        'accept-ranges': 'bytes',
        'content-length': String(data.length),
      });
    });

    it('stores an empty file', async () => {
      const up = await upload(server.url, room.roomId, room.proof('upload', clock.now()), Buffer.alloc(0));
      expect(up.status).toBe(201);
      const down = await download(server, up.json().file_id);
      expect(down.status).toBe(200);
      expect(down.body.length).toBe(0);
    });

    it('answers HEAD with the headers and no body, without counting a download', async () => {
      const data = randomBytes(1000);
      const { file_id } = (
        await upload(server.url, room.roomId, room.proof('upload', clock.now()), data, [{ name: 'max_downloads', value: '1' }])
      ).json();
      const head = await get(server.url, file_id, {}, { method: 'HEAD', nowMs: clock.now() });
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe('1000');
      expect(head.headers.etag).toBe(`"${file_id}"`);
      expect(head.body.length).toBe(0);
      // HEAD did not use up the one allowed download.
      expect((await download(server, file_id)).body.equals(data)).toBe(true);
    });

    it('serves byte ranges: closed, open-ended and suffix; 416 outside the file; the whole file for multiple ranges', async () => {
      const data = randomBytes(5000);
      const { file_id } = (await upload(server.url, room.roomId, room.proof('upload', clock.now()), data)).json();

      const closed = await download(server, file_id, { range: 'bytes=10-19' });
      expect(closed.status).toBe(206);
      expect(closed.headers['content-range']).toBe('bytes 10-19/5000');
      expect(closed.body.equals(data.subarray(10, 20))).toBe(true);

      const open = await download(server, file_id, { range: 'bytes=4990-' });
      expect(open.status).toBe(206);
      expect(open.body.equals(data.subarray(4990))).toBe(true);

      const suffix = await download(server, file_id, { range: 'bytes=-100' });
      expect(suffix.status).toBe(206);
      expect(suffix.body.equals(data.subarray(4900))).toBe(true);

      const outside = await download(server, file_id, { range: 'bytes=5000-6000' });
      expect(outside.status).toBe(416);
      expect(outside.headers['content-range']).toBe('bytes */5000');
      expect(outside.json().error.code).toBe('RANGE_NOT_SATISFIABLE');

      const multiple = await download(server, file_id, { range: 'bytes=0-1,100-200' });
      expect(multiple.status).toBe(200);
      expect(multiple.body.equals(data)).toBe(true);

      const stale = await download(server, file_id, { range: 'bytes=0-9', 'if-range': '"another-file"' });
      expect(stale.status).toBe(200);
      expect(stale.body.length).toBe(5000);

      const fresh = await download(server, file_id, { range: 'bytes=0-9', 'if-range': `"${file_id}"` });
      expect(fresh.status).toBe(206);
      expect(fresh.body.length).toBe(10);
    });

    it('burns a file after its download limit, atomically under concurrent downloads', async () => {
      const data = randomBytes(2000);
      const up = await upload(server.url, room.roomId, room.proof('upload', clock.now()), data, [{ name: 'max_downloads', value: '2' }]);
      expect(up.json().max_downloads).toBe(2);
      const { file_id } = up.json();
      const results = await Promise.all(Array.from({ length: 6 }, () => download(server, file_id)));
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(2);
      for (const r of ok) expect(r.body.equals(data)).toBe(true);
      expect(results.filter((r) => r.status === 404)).toHaveLength(4);
      // Burnt once a transfer has delivered the last byte of the last allowed download.
      await eventually(async () => !blobFolder(server).blobs.includes(file_id), 'the spent file to be burnt');
    });

    it('reads an empty max_downloads (what forms send for an untouched field) as no limit', async () => {
      const up = await upload(server.url, room.roomId, room.proof('upload', clock.now()), randomBytes(10), [
        { name: 'max_downloads', value: '' },
      ]);
      expect(up.status).toBe(201);
      expect(up.json().max_downloads).toBeNull();
    });

    it('refuses a path as a file name with 400, and an unknown id with 404', async () => {
      for (const filename of ['../sealroom.sqlite', '..%2F..%2Fetc%2Fpasswd', 'files/abc', 'abc\u0000def']) {
        const res = await send(server.url, { method: 'GET', path: `/get_file?filename=${encodeURIComponent(filename)}` });
        expect({ filename, status: res.status, code: res.json().error.code }).toEqual({ filename, status: 400, code: 'VALIDATION_FAILED' });
      }
      const res = await get(server.url, 'no-such-file-id', {}, { proof: '1764172800.' + 'A'.repeat(43) });
      expect(res.status).toBe(404);
      expect(res.json().error.code).toBe('FILE_NOT_FOUND');
    });

    it('hides a file the moment it expires, and the sweeper then removes row and blob', async () => {
      const local = new ManualClock();
      const s = await startServer({ db, clock: local, env: { FILE_AGE_LIMIT: '1' } });
      try {
        const r = await createRoom(s.url);
        const { file_id } = (await upload(s.url, r.roomId, r.proof('upload', local.now()), randomBytes(100))).json();
        expect((await download(s, file_id, {}, local)).status).toBe(200);
        local.advance(60_000);
        expect((await download(s, file_id, {}, local)).status).toBe(404);
        expect((await get(s.url, file_id, {}, { method: 'HEAD', nowMs: local.now() })).status).toBe(404);
        expect(blobFolder(s).blobs).toContain(file_id);
        const report = await s.sealroom.sweeper.sweep();
        expect(report?.expiredFiles).toBe(1);
        expect(blobFolder(s).blobs).toEqual([]);
        expect(await fileRows(s)).toEqual([]);
      } finally {
        await s.close();
      }
    });

    it('expires a file after its own expires_in, before the file age limit, and the sweeper removes it then', async () => {
      const local = new ManualClock();
      const s = await startServer({ db, clock: local, env: { FILE_AGE_LIMIT: '10' } });
      try {
        const r = await createRoom(s.url);
        const start = local.now();
        const up = await upload(s.url, r.roomId, r.proof('upload', start), randomBytes(100), [{ name: 'expires_in', value: '90' }]);
        expect(up.status).toBe(201);
        const { file_id, expires_at } = up.json();
        expect(expires_at).toBe(start + 90_000);
        const other = (await upload(s.url, r.roomId, r.proof('upload', start), randomBytes(100))).json();
        expect(other.expires_at).toBe(start + 600_000); // without it: the file age limit
        local.advance(89_000);
        expect((await download(s, file_id, {}, local)).status).toBe(200);
        expect((await s.sealroom.sweeper.sweep())?.expiredFiles).toBe(0);
        local.advance(1_000);
        expect((await download(s, file_id, {}, local)).status).toBe(404);
        expect((await s.sealroom.sweeper.sweep())?.expiredFiles).toBe(1);
        expect(blobFolder(s).blobs).toEqual([other.file_id]);
        expect((await download(s, other.file_id, {}, local)).status).toBe(200);
      } finally {
        await s.close();
      }
    });

    it('takes an empty expires_in as no choice; refuses 0 or more than the file age limit', async () => {
      const form = (fields: Array<{ name: string; value: string }>) =>
        upload(server.url, room.roomId, room.proof('upload', clock.now()), randomBytes(10), fields);
      const empty = await form([{ name: 'expires_in', value: '' }]);
      expect(empty.status).toBe(201);
      expect(empty.json().expires_at).toBe(clock.now() + 600_000);
      for (const value of ['0', '601', '-5', '1.5', 'soon']) {
        const res = await form([{ name: 'expires_in', value }]);
        expect({ value, status: res.status, code: res.json().error.code }).toEqual({ value, status: 400, code: 'VALIDATION_FAILED' });
      }
      const max = await form([{ name: 'expires_in', value: '600' }]);
      expect(max.status).toBe(201);
      expect(max.json().expires_at).toBe(clock.now() + 600_000);
    });

    it('deleting a room deletes its files at once', async () => {
      const r = await createRoom(server.url);
      const ids = await Promise.all(
        [1, 2].map(async () => (await upload(server.url, r.roomId, r.proof('upload', clock.now()), randomBytes(500))).json().file_id),
      );
      expect((await deleteRoom(server.url, r, clock.now())).status).toBe(204);
      for (const id of ids) {
        expect((await download(server, id)).status).toBe(404);
        expect(blobFolder(server).blobs).not.toContain(id);
      }
    });
  });

  describe('key-gated downloads with honest counting (issue 15 finding 2)', () => {
    const uploadLimited = async (data: Buffer, maxDownloads?: number, before: Part[] = []) => {
      const extra = maxDownloads === undefined ? [] : [{ name: 'max_downloads', value: String(maxDownloads) }];
      const up = await upload(server.url, room.roomId, room.proof('upload', clock.now()), data, extra, before);
      expect(up.status).toBe(201);
      return up.json().file_id as string;
    };
    const token = (fileId: string, t: string, headers: Record<string, string> = {}) =>
      get(server.url, fileId, { 'x-download-token': t, ...headers }, { proof: null });
    const info = (fileId: string, headers: Record<string, string>) =>
      send(server.url, { method: 'GET', path: `/file_info?filename=${fileId}`, headers });

    it('finding 2: a bare file id downloads nothing and cannot burn the file (401 DOWNLOAD_PROOF_REQUIRED), not even with a Range', async () => {
      const data = randomBytes(1000);
      const fileId = await uploadLimited(data, 1);
      for (const range of [undefined, 'bytes=0-', 'bytes=1-', 'bytes=-999']) {
        const res = await get(server.url, fileId, range ? { range } : {}, { proof: null });
        expect({ range, status: res.status, code: res.json().error.code }).toEqual({ range, status: 401, code: 'DOWNLOAD_PROOF_REQUIRED' });
      }
      const head = await get(server.url, fileId, {}, { method: 'HEAD', proof: null });
      expect(head.status).toBe(401);
      expect((await info(fileId, {})).json().error.code).toBe('DOWNLOAD_PROOF_REQUIRED');
      // A proof made with another key is refused and counts nothing either.
      const wrongKey = await get(
        server.url,
        fileId,
        {},
        { proof: makeDownloadProof(randomBytes(32).toString('base64url'), fileId, clock.now()) },
      );
      expect([wrongKey.status, wrongKey.json().error.code]).toEqual([403, 'PROOF_INVALID']);
      const otherFile = await uploadLimited(randomBytes(10));
      const proofForOther = await get(server.url, fileId, {}, { proof: downloadProof(otherFile, clock.now()) });
      expect([proofForOther.status, proofForOther.json().error.code]).toEqual([403, 'PROOF_INVALID']);
      // The one allowed download is still there for the key holder.
      const real = await download(server, fileId);
      expect(real.status).toBe(200);
      expect(real.body.equals(data)).toBe(true);
    });

    it('finding 2: `Range: bytes=1-` without a token is refused; ranged downloads are counted, and max_downloads cannot be exceeded by ranges', async () => {
      const data = randomBytes(5000);
      const fileId = await uploadLimited(data, 2);
      // Old attack: skip byte 0 to dodge the count. Now a ranged request needs a proof (counted) or a token.
      expect((await get(server.url, fileId, { range: 'bytes=1-' }, { proof: null })).status).toBe(401);

      const first = await download(server, fileId, { range: 'bytes=1-' });
      expect(first.status).toBe(206);
      expect(first.body.equals(data.subarray(1))).toBe(true);
      const t1 = first.headers['x-download-token'] as string;
      expect(t1).toMatch(/^[A-Za-z0-9_-]{22}$/);
      // The same download resumes with its token: byte 0, not counted.
      const rest = await token(fileId, t1, { range: 'bytes=0-0' });
      expect(rest.status).toBe(206);
      expect(rest.body.equals(data.subarray(0, 1))).toBe(true);
      expect((await info(fileId, { 'x-download-proof': downloadProof(fileId, clock.now()) })).json()).toMatchObject({
        max_downloads: 2,
        downloads_left: 1,
      });

      const second = await download(server, fileId, { range: 'bytes=100-199' });
      expect(second.status).toBe(206);
      // Both counted downloads used: every new download is refused, ranged or not, while the tokens still resume.
      for (const range of ['bytes=1-', 'bytes=0-', 'bytes=-10']) {
        const res = await download(server, fileId, { range });
        expect({ range, status: res.status }).toEqual({ range, status: 404 });
      }
      expect((await download(server, fileId)).status).toBe(404);
      const resumed = await token(fileId, second.headers['x-download-token'] as string, { range: 'bytes=200-' });
      expect(resumed.status).toBe(206);
      expect(resumed.body.equals(data.subarray(200))).toBe(true);
      // That transfer delivered the last byte of the last allowed download: the file is burnt.
      await eventually(async () => !blobFolder(server).blobs.includes(fileId), 'the spent file to be burnt');
      expect((await info(fileId, { 'x-download-proof': downloadProof(fileId, clock.now()) })).status).toBe(404);
    });

    it('finding 2: racing reads with one token take at most twice the file, and a token opens only its own file', async () => {
      const data = randomBytes(10_000);
      const fileId = await uploadLimited(data);
      const first = await download(server, fileId); // 10,000 bytes of the token's 20,000
      const t = first.headers['x-download-token'] as string;
      const race = await Promise.all(Array.from({ length: 8 }, () => token(fileId, t, { range: 'bytes=0-3999' })));
      const served = race.filter((r) => r.status === 206);
      expect(served).toHaveLength(2); // 2 x 4,000 fit in the 10,000 left; the third would not
      for (const r of race.filter((x) => x.status !== 206)) expect([r.status, r.json().error.code]).toEqual([403, 'PROOF_EXPIRED']);
      const total = first.body.length + served.reduce((sum, r) => sum + r.body.length, 0);
      expect(total).toBeLessThanOrEqual(2 * data.length);
      // 2,000 left: a whole-file read is refused, a 2,000-byte one is not, then nothing is.
      expect((await token(fileId, t)).status).toBe(403);
      expect((await token(fileId, t, { range: 'bytes=0-1999' })).status).toBe(206);
      expect((await token(fileId, t, { range: 'bytes=0-0' })).status).toBe(403);

      const other = await uploadLimited(randomBytes(100));
      const fresh = (await download(server, other)).headers['x-download-token'] as string;
      expect([(await token(fileId, fresh)).status, (await token(fileId, 'A'.repeat(22))).status]).toEqual([403, 403]);
    });

    it('HEAD with a proof or a token describes the file without counting; GET with a token issues no new token', async () => {
      const data = randomBytes(300);
      const fileId = await uploadLimited(data, 1);
      const head = await get(server.url, fileId, {}, { method: 'HEAD', nowMs: clock.now() });
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe('300');
      expect(head.headers['x-download-token']).toBeUndefined();
      const got = await download(server, fileId, { range: 'bytes=0-99' });
      const t = got.headers['x-download-token'] as string;
      expect((await get(server.url, fileId, { 'x-download-token': t }, { method: 'HEAD', proof: null })).status).toBe(200);
      const cont = await token(fileId, t, { range: 'bytes=100-' });
      expect(cont.status).toBe(206);
      expect(cont.headers['x-download-token']).toBeUndefined();
      expect(Buffer.concat([got.body, cont.body]).equals(data)).toBe(true);
      // The transfer reached the last byte of the last allowed download: the file is burnt.
      await eventually(async () => !blobFolder(server).blobs.includes(fileId), 'the spent file to be burnt');
    });

    it('stores only the token hash, in download_tokens', async () => {
      const fileId = await uploadLimited(randomBytes(50));
      const t = (await download(server, fileId)).headers['x-download-token'] as string;
      const rows = (await server.sealroom.db.query(
        `SELECT token_hash, file_id FROM download_tokens WHERE file_id = '${fileId}'`,
      )) as Array<{
        token_hash: string;
      }>;
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toBe(createHash('sha256').update(t).digest('base64url'));
      expect(rows[0].token_hash).not.toContain(t);
    });

    it('GET /file_info gives a key holder the size, expiry, downloads left and the sealed file info; not counted', async () => {
      const fileInfo = { iv: 'AAAAAAAAAAAAAAAA', ct: 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy' };
      const fileId = await uploadLimited(randomBytes(1234), 1, [{ name: 'file_info', value: JSON.stringify(fileInfo) }]);
      for (let i = 0; i < 3; i++) {
        const res = await info(fileId, { 'x-download-proof': downloadProof(fileId, clock.now()) });
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({
          file_id: fileId,
          size: 1234,
          expires_at: clock.now() + 10 * 60_000,
          max_downloads: 1,
          downloads_left: 1,
          file_info: fileInfo,
        });
      }
      const plain = await uploadLimited(randomBytes(5));
      expect((await info(plain, { 'x-download-proof': downloadProof(plain, clock.now()) })).json().file_info).toBeNull();
      const wrong = await info(fileId, {
        'x-download-proof': makeDownloadProof(randomBytes(32).toString('base64url'), fileId, clock.now()),
      });
      expect([wrong.status, wrong.json().error.code]).toEqual([403, 'PROOF_INVALID']);
      const unknown = await info('no-such-file-id', { 'x-download-proof': downloadProof('no-such-file-id', clock.now()) });
      expect([unknown.status, unknown.json().error.code]).toEqual([404, 'FILE_NOT_FOUND']);
    });

    it('refuses a malformed or oversized file_info, and an upload without a valid download_key, leaving nothing behind', async () => {
      const data = randomBytes(100);
      const proof = room.proof('upload', clock.now());
      const cases: Array<[string, Part[], string]> = [
        [
          'file_info not JSON',
          [...v2(room.roomId, proof, '100', [{ name: 'file_info', value: 'nope' }]), { name: 'file', filename: 'a', data }],
          'VALIDATION_FAILED',
        ],
        [
          'file_info with more fields',
          [
            ...v2(room.roomId, proof, '100', [
              { name: 'file_info', value: JSON.stringify({ iv: 'A'.repeat(16), ct: 'A'.repeat(30), name: 'x' }) },
            ]),
            { name: 'file', filename: 'a', data },
          ],
          'VALIDATION_FAILED',
        ],
        [
          'file_info too long',
          [
            ...v2(room.roomId, proof, '100', [{ name: 'file_info', value: JSON.stringify({ iv: 'A'.repeat(16), ct: 'A'.repeat(5501) }) }]),
            { name: 'file', filename: 'a', data },
          ],
          'VALIDATION_FAILED',
        ],
        [
          'no download_key',
          [
            V2_FIELDS.protocol,
            { name: 'room_id', value: room.roomId },
            { name: 'proof', value: proof },
            { name: 'size', value: '100' },
            { name: 'file', filename: 'a', data },
          ],
          'MALFORMED_UPLOAD',
        ],
        [
          'a short download_key',
          [
            V2_FIELDS.protocol,
            { name: 'room_id', value: room.roomId },
            { name: 'proof', value: proof },
            { name: 'size', value: '100' },
            { name: 'download_key', value: 'abc' },
            { name: 'file', filename: 'a', data },
          ],
          'VALIDATION_FAILED',
        ],
      ];
      for (const [what, parts, code] of cases) {
        const form = multipart(parts);
        const res = await send(server.url, {
          method: 'POST',
          path: '/upload_file',
          headers: { 'content-type': form.contentType },
          body: form.body,
        });
        expect({ what, status: res.status, code: res.json().error.code }).toEqual({ what, status: 400, code });
      }
    });

    it('a v1 upload (no protocol field, or another version) gets 400 UNSUPPORTED_VERSION before anything else', async () => {
      const data = randomBytes(100);
      const v1 = multipart([
        { name: 'room_id', value: room.roomId },
        { name: 'proof', value: room.proof('upload', clock.now()) },
        { name: 'size', value: '100' },
        { name: 'file', filename: 'a', data },
      ]);
      const other = multipart([
        { name: 'protocol', value: 'sealroom/v1' },
        { name: 'room_id', value: '../bad' },
        { name: 'file', filename: 'a', data },
      ]);
      for (const form of [v1, other]) {
        const res = await send(server.url, {
          method: 'POST',
          path: '/upload_file',
          headers: { 'content-type': form.contentType },
          body: form.body,
        });
        expect([res.status, res.json().error.code]).toEqual([400, 'UNSUPPORTED_VERSION']);
      }
    });
  });

  describe('refused uploads leave nothing behind', () => {
    it('refuses a bad proof with 403 and a missing room with 404', async () => {
      const data = randomBytes(100);
      const other = await createRoom(server.url);
      const forged = await upload(server.url, room.roomId, other.proof('upload', clock.now()), data);
      expect([forged.status, forged.json().error.code]).toEqual([403, 'PROOF_INVALID']);
      const stale = await upload(server.url, room.roomId, room.proof('upload', clock.now() - 200_000), data);
      expect([stale.status, stale.json().error.code]).toEqual([403, 'PROOF_EXPIRED']);
      const wrongPurpose = await upload(server.url, room.roomId, room.proof('join', clock.now()), data);
      expect([wrongPurpose.status, wrongPurpose.json().error.code]).toEqual([403, 'PROOF_INVALID']);
      const noRoom = await upload(server.url, 'no-such-room', room.proof('upload', clock.now()), data);
      expect([noRoom.status, noRoom.json().error.code]).toEqual([404, 'ROOM_NOT_FOUND']);
    });

    it('refuses a form without a file part, with two file parts, or with the fields after the file', async () => {
      const proof = room.proof('upload', clock.now());
      const data = randomBytes(100);
      const cases: Array<[string, ReturnType<typeof multipart>, string]> = [
        ['no file part', multipart(v2(room.roomId, proof, '100', [])), 'MALFORMED_UPLOAD'],
        [
          'two file parts',
          multipart(
            v2(room.roomId, proof, '100', [
              { name: 'file', filename: 'a', data },
              { name: 'file', filename: 'b', data },
            ]),
          ),
          'MALFORMED_UPLOAD',
        ],
        [
          'fields after the file',
          multipart([V2_FIELDS.protocol, { name: 'file', filename: 'a', data }, ...v2(room.roomId, proof, '100', []).slice(1)]),
          'MALFORMED_UPLOAD',
        ],
        [
          'a file part under another name',
          multipart(v2(room.roomId, proof, '100', [{ name: 'data', filename: 'a', data }])),
          'MALFORMED_UPLOAD',
        ],
        ['a negative size', multipart(v2(room.roomId, proof, '-1', [{ name: 'file', filename: 'a', data }])), 'VALIDATION_FAILED'],
        ['a malformed room id', multipart(v2('../x', proof, '100', [{ name: 'file', filename: 'a', data }])), 'VALIDATION_FAILED'],
        ['a download limit of 0', uploadForm(room.roomId, proof, data, [{ name: 'max_downloads', value: '0' }]), 'VALIDATION_FAILED'],
      ];
      for (const [what, form, code] of cases) {
        const res = await send(server.url, {
          method: 'POST',
          path: '/upload_file',
          headers: { 'content-type': form.contentType },
          body: form.body,
        });
        expect({ what, status: res.status, code: res.json().error.code }).toEqual({ what, status: 400, code });
      }
    });

    it('refuses a file longer or shorter than its declared size with 400 SIZE_MISMATCH', async () => {
      const data = randomBytes(1000);
      for (const declared of ['999', '1001']) {
        const form = multipart(v2(room.roomId, room.proof('upload', clock.now()), declared, [{ name: 'file', filename: 'a', data }]));
        const res = await send(server.url, {
          method: 'POST',
          path: '/upload_file',
          headers: { 'content-type': form.contentType },
          body: form.body,
        });
        expect([declared, res.status, res.json().error.code]).toEqual([declared, 400, 'SIZE_MISMATCH']);
      }
    });

    it('refuses a declared size over the limit with 413 before reading the file', async () => {
      const form = multipart(
        v2(room.roomId, room.proof('upload', clock.now()), String(1024 * 1024 + 1), [
          { name: 'file', filename: 'a', data: randomBytes(10) },
        ]),
      );
      const res = await send(server.url, {
        method: 'POST',
        path: '/upload_file',
        headers: { 'content-type': form.contentType },
        body: form.body,
      });
      expect([res.status, res.json().error.code]).toEqual([413, 'FILE_TOO_LARGE']);
    });

    it('refuses a Content-Length over the limit with 413 without reading the body', async () => {
      const res = await send(server.url, {
        method: 'POST',
        path: '/upload_file',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(5 * 1024 * 1024) },
      }).catch((e: Error) => e);
      // The server answers at once and closes; the client never sent the promised body.
      expect(res).not.toBeInstanceOf(Error);
      expect((res as Awaited<ReturnType<typeof send>>).status).toBe(413);
    });

    it('refuses a body whose Content-Length cuts the multipart form short, with 400 MALFORMED_UPLOAD', async () => {
      const form = uploadForm(room.roomId, room.proof('upload', clock.now()), randomBytes(5000));
      const truncated = form.body.subarray(0, form.body.length - 3000);
      const res = await send(server.url, {
        method: 'POST',
        path: '/upload_file',
        headers: { 'content-type': form.contentType, 'content-length': String(truncated.length) },
        body: truncated,
      });
      expect([res.status, res.json().error.code]).toEqual([400, 'MALFORMED_UPLOAD']);
    });

    it('refuses a body that is not multipart with 415', async () => {
      const res = await request(server.url).post('/upload_file').send({ room_id: room.roomId });
      expect([res.status, res.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    });

    it('cleans up after a client that disconnects half-way through an upload', async () => {
      const data = randomBytes(800_000);
      const { body, contentType } = uploadForm(room.roomId, room.proof('upload', clock.now()), data);
      await new Promise<void>((resolve) => {
        const req = http.request(`${server.url}/upload_file`, {
          method: 'POST',
          headers: { 'content-type': contentType, 'content-length': body.length },
        });
        req.on('error', () => resolve());
        req.write(body.subarray(0, 400_000), () => {
          // Wait until the server has reserved the quota and started writing, then vanish.
          void eventually(async () => blobFolder(server).temps.length === 1, 'the upload to start').then(() => {
            req.destroy();
            resolve();
          });
        });
      });
      await eventually(
        async () => blobFolder(server).temps.length === 0 && (await fileRows(server)).every((r) => r.status === 'ready'),
        'the aborted upload to be cleaned up',
      );
    });
  });

  describe('the storage quota', () => {
    it('lets exactly the uploads that fit succeed when they race, and stays exact', async () => {
      const s = await startServer({ db, env: { FOLDER_SIZE_LIMIT: String(1 / 1024), UPLOAD_SIZE_LIMIT: '1' } }); // 1 MiB quota
      try {
        const r = await createRoom(s.url);
        const size = 300_000; // three fit in 1,048,576 bytes, the fourth does not
        const results = await Promise.all(Array.from({ length: 6 }, () => upload(s.url, r.roomId, r.proof('upload'), randomBytes(size))));
        const statuses = results.map((x) => x.status).sort();
        expect(statuses).toEqual([201, 201, 201, 507, 507, 507]);
        for (const x of results.filter((x) => x.status === 507)) expect(x.json().error.code).toBe('STORAGE_FULL');
        expect(await s.sealroom.services.files.usedBytes()).toBe(3 * size);
        expect(blobFolder(s).blobs).toHaveLength(3);
        expect(blobFolder(s).temps).toHaveLength(0);
        // Space freed by a deleted room is available again.
        await deleteRoom(s.url, r);
        expect(await s.sealroom.services.files.usedBytes()).toBe(0);
        const r2 = await createRoom(s.url);
        expect((await upload(s.url, r2.roomId, r2.proof('upload'), randomBytes(size))).status).toBe(201);
      } finally {
        await s.close();
      }
    });

    it('answers 507 STORAGE_FULL before reading the body when the declared body cannot fit', async () => {
      const s = await startServer({ db, env: { FOLDER_SIZE_LIMIT: String(1 / 1024), UPLOAD_SIZE_LIMIT: '1' } }); // 1 MiB quota
      try {
        const r = await createRoom(s.url);
        expect((await upload(s.url, r.roomId, r.proof('upload'), randomBytes(700_000))).status).toBe(201);
        const { body, contentType } = uploadForm(r.roomId, r.proof('upload'), randomBytes(700_000));
        // Send the headers and only the first bytes of the body, then wait: the answer must come without the rest.
        const answer = await new Promise<{ status: number; text: string; bodySent: boolean }>((resolve, reject) => {
          let bodySent = false;
          const req = http.request(`${s.url}/upload_file`, {
            method: 'POST',
            headers: { 'content-type': contentType, 'content-length': body.length },
          });
          req.on('response', (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (c: string) => (text += c));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, text, bodySent });
              req.destroy();
            });
          });
          req.on('error', reject);
          req.write(body.subarray(0, 1000));
          req.on('close', () => (bodySent = req.writableFinished));
        });
        expect(answer.bodySent).toBe(false);
        expect([answer.status, JSON.parse(answer.text).error.code]).toEqual([507, 'STORAGE_FULL']);
        expect(await s.sealroom.services.files.usedBytes()).toBe(700_000);
        expect(blobFolder(s).temps).toHaveLength(0);
      } finally {
        await s.close();
      }
    });

    it('refuses every upload with 403 UPLOADS_DISABLED when UPLOAD_SIZE_LIMIT is 0', async () => {
      const s = await startServer({ db, env: { UPLOAD_SIZE_LIMIT: '0' } });
      try {
        const r = await createRoom(s.url);
        const res = await upload(s.url, r.roomId, r.proof('upload'), randomBytes(10));
        expect([res.status, res.json().error.code]).toEqual([403, 'UPLOADS_DISABLED']);
        expect(blobFolder(s)).toEqual({ blobs: [], temps: [] });
      } finally {
        await s.close();
      }
    });
  });
});
