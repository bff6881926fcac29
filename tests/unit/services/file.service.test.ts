import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { makeDownloadProof, makeProof } from '../../../src/services/proof';
import { DOWNLOAD_KEY, OWNER, serviceFixture, type ServiceFixture } from '../support/service-fixture';

const MB = 1024 * 1024;

describe('FileService', () => {
  let f: ServiceFixture;
  let roomId: string;
  let key: string;
  const proof = () => makeProof(key, 'upload', roomId, f.clock.ms);
  /** A new download (counted) with a fresh download proof. */
  const fresh = (fileId: string, more: { headOnly?: boolean; range?: string; ifRange?: string } = {}) =>
    f.files.download(fileId, { headOnly: false, proof: makeDownloadProof(DOWNLOAD_KEY, fileId, f.clock.ms), clientKey: 'ip', ...more });
  const upload = async (content: string, maxDownloads: number | null = null) => {
    const fileId = await f.files.reserve({ roomId, proof: proof(), size: content.length, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' });
    await f.files.receive(fileId, Readable.from([Buffer.from(content)]), content.length);
    return f.files.complete(fileId, { maxDownloads });
  };

  beforeEach(async () => {
    // 1 MB uploads, a 2 MB quota (FOLDER_SIZE_LIMIT is in GB), files live 10 minutes.
    f = await serviceFixture({ UPLOAD_SIZE_LIMIT: '1', FOLDER_SIZE_LIMIT: String(2 / 1024), FILE_AGE_LIMIT: '10' });
    key = randomBytes(32).toString('base64url');
    ({ roomId } = await f.rooms.create({ ownerKey: OWNER.ownerKey, auth: key }));
  });
  afterEach(() => f.close());

  describe('quota reservation', () => {
    it('reserves the declared size before any byte arrives, refuses what would overshoot, and gives it back on abort', async () => {
      const first = await f.files.reserve({ roomId, proof: proof(), size: MB, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' });
      const second = await f.files.reserve({ roomId, proof: proof(), size: MB, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' });
      expect(await f.files.usedBytes()).toBe(2 * MB);
      await expect(f.files.reserve({ roomId, proof: proof(), size: 1, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' })).rejects.toMatchObject({
        code: 'STORAGE_FULL',
      });

      await f.files.abort(first);
      await f.files.abort(first); // twice is harmless
      expect(await f.files.usedBytes()).toBe(MB);
      await expect(f.files.reserve({ roomId, proof: proof(), size: MB, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' })).resolves.toEqual(
        expect.any(String),
      );
      await f.files.abort(second);
    });

    it('holds the quota exact under concurrent reservations', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          f.files.reserve({ roomId, proof: proof(), size: MB / 2, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' }),
        ),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(4);
      expect(await f.files.usedBytes()).toBe(2 * MB);
    });

    it('checks the size and the proof before reserving anything', async () => {
      await expect(
        f.files.reserve({ roomId, proof: proof(), size: MB + 1, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' }),
      ).rejects.toMatchObject({
        code: 'FILE_TOO_LARGE',
      });
      await expect(
        f.files.reserve({
          roomId,
          proof: makeProof(key, 'join', roomId, f.clock.ms),
          size: 10,
          downloadKey: DOWNLOAD_KEY,
          clientKey: 'ip',
        }),
      ).rejects.toMatchObject({
        code: 'PROOF_INVALID',
      });
      await expect(
        f.files.reserve({ roomId: 'no-such-room', proof: proof(), size: 10, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' }),
      ).rejects.toMatchObject({
        code: 'ROOM_NOT_FOUND',
      });
      expect(await f.files.usedBytes()).toBe(0);
    });

    it('refuses every upload when uploads are off', async () => {
      const off = await serviceFixture({ UPLOAD_SIZE_LIMIT: '0' });
      try {
        expect(() => off.files.checkUploadAllowed()).toThrow(expect.objectContaining({ code: 'UPLOADS_DISABLED' }));
      } finally {
        await off.close();
      }
    });

    it('gives the reservation back when the bytes differ from the declared size', async () => {
      const fileId = await f.files.reserve({ roomId, proof: proof(), size: 10, downloadKey: DOWNLOAD_KEY, clientKey: 'ip' });
      await expect(f.files.receive(fileId, Readable.from([Buffer.from('short')]), 10)).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
      await f.files.abort(fileId);
      expect(await f.files.usedBytes()).toBe(0);
      expect((await f.blobs.list()).temps).toEqual([]);
    });
  });

  describe('downloads', () => {
    it('needs a proof or a token: a bare id is DOWNLOAD_PROOF_REQUIRED and counts nothing', async () => {
      const { fileId } = await upload('secret', 1);
      await expect(f.files.download(fileId, { headOnly: false, clientKey: 'ip' })).rejects.toMatchObject({
        code: 'DOWNLOAD_PROOF_REQUIRED',
      });
      await expect(f.files.download(fileId, { headOnly: false, range: 'bytes=1-', clientKey: 'ip' })).rejects.toMatchObject({
        code: 'DOWNLOAD_PROOF_REQUIRED',
      });
      expect((await f.fileRows.findById(fileId))?.downloads).toBe(0);
    });

    it('counts a download with a proof at once, whatever its range; its token continues it uncounted up to twice the size', async () => {
      const { fileId } = await upload('0123456789', 1);
      const first = await fresh(fileId, { range: 'bytes=5-' });
      expect(await text(first.body!)).toBe('56789');
      expect((await f.fileRows.findById(fileId))?.downloads).toBe(1);
      await expect(fresh(fileId, { range: 'bytes=0-4' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
      const cont = (range: string) => f.files.download(fileId, { headOnly: false, range, token: first.token, clientKey: 'ip' });
      expect(await text((await cont('bytes=0-4')).body!)).toBe('01234'); // 10 of 20 bytes used
      expect(await text((await cont('bytes=0-9')).body!)).toBe('0123456789'); // 20 of 20
      await expect(cont('bytes=0-0')).rejects.toMatchObject({ code: 'PROOF_EXPIRED' });
      expect((await f.fileRows.findById(fileId))?.downloads).toBe(1);
    });

    it('a proof past its window or made with another key opens nothing', async () => {
      const { fileId } = await upload('x');
      const at = (ms: number, key = DOWNLOAD_KEY) =>
        f.files.download(fileId, { headOnly: false, proof: makeDownloadProof(key, fileId, ms), clientKey: 'ip' });
      await expect(at(f.clock.ms + 60_000)).rejects.toMatchObject({ code: 'PROOF_EXPIRED' });
      await expect(at(f.clock.ms - 111_000)).rejects.toMatchObject({ code: 'PROOF_EXPIRED' });
      await expect(at(f.clock.ms, key)).rejects.toMatchObject({ code: 'PROOF_INVALID' });
    });

    it('streams the stored bytes and hides the file once it expires', async () => {
      const stored = await upload('ciphertext');
      expect(stored).toMatchObject({ size: 10, expiresAt: f.clock.ms + 10 * 60_000, maxDownloads: null, downloads: 0 });
      const download = await fresh(stored.fileId);
      expect(await text(download.body!)).toBe('ciphertext');
      f.clock.advance(10 * 60_000);
      await expect(fresh(stored.fileId)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    });

    it('burns a file after its download limit; HEAD never counts', async () => {
      const { fileId } = await upload('burn after reading', 1);
      await fresh(fileId, { headOnly: true });
      const last = await fresh(fileId);
      expect(last.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      await last.sent?.(); // the response went out in full
      expect(await text(last.body!)).toBe('burn after reading'); // the last reader still gets every byte
      expect(await f.fileRows.findById(fileId)).toBeNull();
      await expect(fresh(fileId)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    });

    it('serves a range, and answers an If-Range for another file with the whole file', async () => {
      const { fileId } = await upload('0123456789');
      const part = await fresh(fileId, { range: 'bytes=2-4' });
      expect([part.partial, await text(part.body!)]).toEqual([true, '234']);
      const whole = await fresh(fileId, { range: 'bytes=2-4', ifRange: '"other"' });
      expect([whole.partial, await text(whole.body!)]).toEqual([false, '0123456789']);
    });
  });
});
