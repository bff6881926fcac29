import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import parseRange from 'range-parser';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { dialectOf, sql } from '../db/sql';
import { StoredFileEntity } from '../entities';
import { AppError } from '../errors';
import type { BlobStore } from '../storage/blob-store';
import type { Clock } from './clock';
import { isId, randomId } from './ids';
import type { RoomService } from './room.service';

export interface UploadRequest {
  roomId: string;
  proof: string;
  /** Ciphertext bytes the client promises to send. */
  size: number;
  clientKey: string;
}

export interface StoredFileInfo {
  fileId: string;
  roomId: string;
  size: number;
  createdAt: number;
  expiresAt: number;
  maxDownloads: number | null;
  downloads: number;
}

export interface DownloadRequest {
  /** The Range header, if any; one `bytes=` range is honoured, anything else gets the whole file. */
  range?: string;
  /** The If-Range header: the range applies only while the file is still this one. */
  ifRange?: string;
  /** HEAD describes without reading or counting. */
  headOnly: boolean;
}

export interface Download {
  file: StoredFileInfo;
  etag: string;
  /** Inclusive byte range being sent; `partial` when it is a Range response. */
  start: number;
  end: number;
  length: number;
  partial: boolean;
  /** The bytes, unless this was a HEAD request. Destroy it if the client goes away. */
  body?: Readable;
}

/** How long an upload's quota reservation lives without a sign of progress from its node. */
export const UPLOAD_LEASE_MS = 60_000;
const LEASE_RENEW_MS = 15_000;

/**
 * Encrypted files: quota reservation, streamed upload, completion, download accounting and expiry.
 * The storage quota is the sum of the sizes of all file rows, uploads in progress included, and a row is
 * only ever inserted by a statement that checks that sum, so concurrent uploads cannot overshoot it.
 */
export class FileService {
  constructor(
    private readonly db: DataSource,
    private readonly blobs: BlobStore,
    private readonly rooms: RoomService,
    private readonly config: Pick<Config, 'uploadLimitBytes' | 'storageLimitBytes' | 'fileAgeMs'>,
    private readonly clock: Clock,
  ) {}

  /** Refuses an upload that cannot succeed before any of its bytes are read. */
  checkUploadAllowed(declaredBytes?: number): void {
    if (this.config.uploadLimitBytes === 0) throw new AppError('UPLOADS_DISABLED', 'Uploads are switched off on this server');
    if (declaredBytes !== undefined && declaredBytes > this.config.uploadLimitBytes) {
      throw new AppError('FILE_TOO_LARGE', `Files may be at most ${this.config.uploadLimitBytes} bytes`);
    }
  }

  /**
   * Refuses, before any byte is read, an upload of at least `minBytes` that cannot fit in the quota as it
   * stands. Only a fast path: `reserve` makes the exact, atomic decision.
   */
  async checkSpaceFor(minBytes: number): Promise<void> {
    if ((await this.usedBytes()) + minBytes > this.config.storageLimitBytes) {
      throw new AppError('STORAGE_FULL', 'The server has no room for this file now; try again later or send a smaller file');
    }
  }

  /**
   * Checks the proof and reserves `size` bytes of the quota by inserting the file's row in state
   * `uploading`. Returns the new file id; the caller must `complete` or `abort` it.
   */
  async reserve(req: UploadRequest): Promise<string> {
    this.checkUploadAllowed(req.size);
    await this.rooms.authorize(req.roomId, 'upload', req.proof, req.clientKey);
    const fileId = randomId();
    const now = this.clock.now();
    const params = {
      id: fileId,
      roomId: req.roomId,
      size: req.size,
      now,
      expiresAt: now + this.config.fileAgeMs,
      leaseUntil: now + UPLOAD_LEASE_MS,
      limit: this.config.storageLimitBytes,
    };
    const insert = `INSERT INTO stored_files (id, room_id, size, status, created_at, expires_at, lease_until, max_downloads, downloads)
      SELECT :id, :roomId, CAST(:size AS BIGINT), 'uploading', CAST(:now AS BIGINT), CAST(:expiresAt AS BIGINT),
        CAST(:leaseUntil AS BIGINT), CAST(NULL AS INTEGER), 0
      WHERE (SELECT COALESCE(SUM(size), 0) FROM stored_files) + CAST(:size AS BIGINT) <= CAST(:limit AS BIGINT)`;
    let affected: number;
    if (dialectOf(this.db) === 'postgres') {
      // READ COMMITTED lets two inserts see the same sum; a transaction-scoped advisory lock orders them.
      affected = await this.db.transaction(async (tx) => {
        await sql(tx, `SELECT pg_advisory_xact_lock(hashtext('sealroom:quota'))`);
        return (await sql(tx, insert, params)).affected;
      });
    } else {
      // SQLite runs one write statement at a time, so the check and the insert cannot interleave.
      affected = (await sql(this.db, insert, params)).affected;
    }
    if (affected !== 1) throw new AppError('STORAGE_FULL', 'The server has no room for this file now; try again later or send a smaller file');
    await this.rooms.markActive(req.roomId);
    return fileId;
  }

  /** Streams an upload's ciphertext to its temporary file, keeping its reservation alive while bytes flow. */
  async receive(fileId: string, source: Readable, size: number): Promise<void> {
    let lastRenewal = this.clock.now();
    let renewing: Promise<void> = Promise.resolve();
    let lost = false;
    await this.blobs.writeTemp(fileId, source, size, () => {
      const now = this.clock.now();
      if (now - lastRenewal < LEASE_RENEW_MS) return;
      lastRenewal = now;
      renewing = this.renewLease(fileId).then((ok) => {
        if (!ok) {
          lost = true;
          source.destroy(new AppError('ROOM_NOT_FOUND', 'The room was deleted during the upload'));
        }
      });
    });
    await renewing;
    if (lost) throw new AppError('ROOM_NOT_FOUND', 'The room was deleted during the upload');
  }

  /** Moves a fully received upload into place and makes it downloadable, optionally burning after N reads. */
  async complete(fileId: string, maxDownloads: number | null = null): Promise<StoredFileInfo> {
    await this.blobs.commit(fileId);
    const now = this.clock.now();
    const { affected } = await sql(
      this.db,
      `UPDATE stored_files SET status = 'ready', lease_until = NULL, created_at = :now, expires_at = :expiresAt,
         max_downloads = :maxDownloads
       WHERE id = :id AND status = 'uploading'`,
      { id: fileId, now, expiresAt: now + this.config.fileAgeMs, maxDownloads },
    );
    if (affected !== 1) {
      // The room was deleted (or the reservation reclaimed) while the bytes were arriving.
      await this.blobs.remove(fileId);
      throw new AppError('ROOM_NOT_FOUND', 'The room was deleted during the upload');
    }
    return toInfo(await this.db.getRepository(StoredFileEntity).findOneByOrFail({ id: fileId }));
  }

  /**
   * Gives back an upload's reservation and removes what it wrote. A completed upload is left alone, so this is
   * safe to call more than once and after `complete`.
   */
  async abort(fileId: string): Promise<void> {
    const { affected } = await sql(this.db, `DELETE FROM stored_files WHERE id = :id AND status = 'uploading'`, { id: fileId });
    if (affected === 1) await this.blobs.remove(fileId);
    else await this.blobs.removeTemp(fileId);
  }

  private async renewLease(fileId: string): Promise<boolean> {
    const { affected } = await sql(
      this.db,
      `UPDATE stored_files SET lease_until = :until WHERE id = :id AND status = 'uploading'`,
      { id: fileId, until: this.clock.now() + UPLOAD_LEASE_MS },
    );
    return affected === 1;
  }

  /** A downloadable file: ready, not expired, in a live room, under its download limit. */
  async describe(fileId: string): Promise<StoredFileInfo> {
    const now = this.clock.now();
    const { rows } = isId(fileId)
      ? await sql<Record<string, unknown>>(
          this.db,
          `SELECT f.id, f.room_id, f.size, f.created_at, f.expires_at, f.max_downloads, f.downloads
           FROM stored_files f JOIN rooms r ON r.id = f.room_id
           WHERE f.id = :id AND f.status = 'ready' AND f.expires_at > :now AND r.expires_at > :now
             AND (f.max_downloads IS NULL OR f.downloads < f.max_downloads)`,
          { id: fileId, now },
        )
      : { rows: [] };
    if (rows.length === 0) throw new AppError('FILE_NOT_FOUND', 'No such file (it may have expired, been deleted or reached its download limit)');
    const r = rows[0];
    return {
      fileId: String(r.id),
      roomId: String(r.room_id),
      size: Number(r.size),
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
      maxDownloads: r.max_downloads === null ? null : Number(r.max_downloads),
      downloads: Number(r.downloads),
    };
  }

  /**
   * Counts one download, atomically against the file's limit; false when the limit was reached first.
   * When this was the last allowed download the file is removed (an already open reader keeps its bytes).
   */
  private async countDownload(file: StoredFileInfo): Promise<boolean> {
    const now = this.clock.now();
    const { affected } = await sql(
      this.db,
      `UPDATE stored_files SET downloads = downloads + 1
       WHERE id = :id AND status = 'ready' AND expires_at > :now
         AND (max_downloads IS NULL OR downloads < max_downloads)`,
      { id: file.fileId, now },
    );
    if (affected !== 1) return false;
    if (file.maxDownloads !== null) {
      const { affected: burnt } = await sql(
        this.db,
        `DELETE FROM stored_files WHERE id = :id AND downloads >= max_downloads`,
        { id: file.fileId },
      );
      if (burnt === 1) await this.blobs.remove(file.fileId);
    }
    return true;
  }

  /**
   * Plans and opens a download: resolves the file, the byte range, and counts the download when it reads
   * from the first byte (a resumed download is the same download). The blob is opened before it is counted,
   * so that a burn-after-reading file that is removed by its last download still streams to that reader.
   */
  async download(fileId: string, req: DownloadRequest): Promise<Download> {
    const file = await this.describe(fileId);
    const etag = `"${file.fileId}"`;
    let start = 0;
    let end = file.size - 1;
    let partial = false;
    if (req.range && (req.ifRange === undefined || req.ifRange === etag)) {
      const ranges = parseRange(file.size, req.range, { combine: true });
      if (ranges === -1) {
        throw new AppError('RANGE_NOT_SATISFIABLE', `The range ${req.range} lies outside the file's ${file.size} bytes`, {
          headers: { 'Content-Range': `bytes */${file.size}` },
        });
      }
      // A malformed header (-2), another unit or several ranges: answer with the whole file, as RFC 9110 allows.
      if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
        ({ start, end } = ranges[0]);
        partial = true;
      }
    }
    const length = end - start + 1;
    if (req.headOnly) return { file, etag, start, end, length, partial };

    const handle = await this.open(file.fileId);
    try {
      if (start === 0 && !(await this.countDownload(file))) {
        throw new AppError('FILE_NOT_FOUND', 'No such file (it reached its download limit or expired)');
      }
    } catch (e) {
      await handle.close();
      throw e;
    }
    const body =
      length === 0
        ? (await handle.close(), Readable.from([]))
        : handle.createReadStream({ start, end, autoClose: true, highWaterMark: 256 * 1024 });
    return { file, etag, start, end, length, partial, body };
  }

  /** Opens the blob now, so that the bytes stay readable even if the file is removed a moment later. */
  private async open(fileId: string): Promise<fsp.FileHandle> {
    try {
      return await fsp.open(this.blobs.finalPath(fileId), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('FILE_NOT_FOUND', 'No such file');
      throw e;
    }
  }

  /** Bytes held by stored files and uploads in progress. */
  async usedBytes(): Promise<number> {
    const { rows } = await sql<{ used: string | number }>(this.db, `SELECT COALESCE(SUM(size), 0) AS used FROM stored_files`);
    return Number(rows[0]?.used ?? 0);
  }
}

function toInfo(f: StoredFileEntity): StoredFileInfo {
  return {
    fileId: f.id,
    roomId: f.roomId,
    size: f.size,
    createdAt: f.createdAt,
    expiresAt: f.expiresAt,
    maxDownloads: f.maxDownloads,
    downloads: f.downloads,
  };
}
