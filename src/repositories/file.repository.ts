import type { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { dialectOf, sql } from '../db/sql';
import { StoredFileEntity, type StoredFileStatus } from '../entities';

/** An upload's row as it is reserved: it holds `size` bytes of the quota from that moment. */
export interface NewUpload {
  id: string;
  roomId: string;
  /** The uploader's address group, whose share of the quota the upload counts against. */
  clientGroup: string;
  size: number;
  createdAt: number;
  expiresAt: number;
  leaseUntil: number;
  /** The file's download key (checks download proofs). */
  downloadKey: string;
}

/** The limits a reservation must fit: the quota, one address group's and one room's shares, uploads at once. */
export interface QuotaLimits {
  quota: number;
  groupQuota: number;
  roomQuota: number;
  maxPerGroup: number;
  maxPerRoom: number;
}

/** `reserved`, or the limit that refused the upload (a stable error code). */
export type ReserveResult = 'reserved' | 'STORAGE_FULL' | 'IP_QUOTA_EXCEEDED' | 'ROOM_QUOTA_EXCEEDED' | 'TOO_MANY_UPLOADS';

/** The sums and counts the limits compare (rows of uploads in progress and of stored files). */
const USAGE = {
  total: '(SELECT COALESCE(SUM(size), 0) FROM stored_files)',
  groupBytes: '(SELECT COALESCE(SUM(size), 0) FROM stored_files WHERE client_group = CAST(:clientGroup AS VARCHAR))',
  roomBytes: '(SELECT COALESCE(SUM(size), 0) FROM stored_files WHERE room_id = CAST(:roomId AS VARCHAR))',
  groupUploads: "(SELECT COUNT(*) FROM stored_files WHERE status = 'uploading' AND client_group = CAST(:clientGroup AS VARCHAR))",
  roomUploads: "(SELECT COUNT(*) FROM stored_files WHERE status = 'uploading' AND room_id = CAST(:roomId AS VARCHAR))",
};

interface Usage {
  size: number;
  limits: QuotaLimits;
  total: number;
  groupBytes: number;
  roomBytes: number;
  groupUploads: number;
  roomUploads: number;
}

async function usage(db: DataSource | EntityManager, upload: NewUpload, limits: QuotaLimits): Promise<Usage> {
  const columns = Object.entries(USAGE)
    .map(([name, query]) => `${query} AS ${name === 'total' ? 'total_bytes' : name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`)
    .join(', ');
  const { rows } = await sql<Record<string, string | number>>(db, `SELECT ${columns}`, upload as unknown as Record<string, unknown>);
  const row = rows[0] ?? {};
  return {
    size: upload.size,
    limits,
    total: Number(row.total_bytes ?? 0),
    groupBytes: Number(row.group_bytes ?? 0),
    roomBytes: Number(row.room_bytes ?? 0),
    groupUploads: Number(row.group_uploads ?? 0),
    roomUploads: Number(row.room_uploads ?? 0),
  };
}

/** The limit that refuses an upload, the narrowest first: its uploads at once, its shares, then the quota. */
function refusal(u: Usage): Exclude<ReserveResult, 'reserved'> {
  if (u.groupUploads >= u.limits.maxPerGroup || u.roomUploads >= u.limits.maxPerRoom) return 'TOO_MANY_UPLOADS';
  // A share as large as the quota (100 %) is never what refused: the quota is.
  if (u.groupBytes + u.size > u.limits.groupQuota && u.limits.groupQuota < u.limits.quota) return 'IP_QUOTA_EXCEEDED';
  if (u.roomBytes + u.size > u.limits.roomQuota && u.limits.roomQuota < u.limits.quota) return 'ROOM_QUOTA_EXCEEDED';
  return 'STORAGE_FULL';
}

/**
 * Every query about stored files. The storage quota is the sum of the sizes of all rows, uploads in
 * progress included, and `reserve` is the only way a row is added: it checks that sum, and the uploader's
 * and the room's shares of it, in the same statement, so concurrent uploads cannot overshoot any of them.
 */
export class FileRepository {
  private readonly files: Repository<StoredFileEntity>;

  constructor(private readonly db: DataSource) {
    this.files = db.getRepository(StoredFileEntity);
  }

  /**
   * Inserts an upload's row in state `uploading` if the quota, the uploader's and the room's shares of it and
   * their counts of uploads in progress all have room for it; otherwise says which limit refused it. Raw SQL:
   * the checks and the insert must be one statement (INSERT ... SELECT ... WHERE every limit holds).
   */
  async reserve(upload: NewUpload, limits: QuotaLimits): Promise<ReserveResult> {
    const insert = `INSERT INTO stored_files (id, room_id, client_group, size, status, created_at, expires_at, lease_until, max_downloads, downloads, download_key)
      SELECT CAST(:id AS VARCHAR), CAST(:roomId AS VARCHAR), CAST(:clientGroup AS VARCHAR), CAST(:size AS BIGINT), 'uploading', CAST(:createdAt AS BIGINT), CAST(:expiresAt AS BIGINT),
        CAST(:leaseUntil AS BIGINT), CAST(NULL AS INTEGER), 0, CAST(:downloadKey AS VARCHAR)
      WHERE ${USAGE.total} + CAST(:size AS BIGINT) <= CAST(:quota AS BIGINT)
        AND ${USAGE.groupBytes} + CAST(:size AS BIGINT) <= CAST(:groupQuota AS BIGINT)
        AND ${USAGE.roomBytes} + CAST(:size AS BIGINT) <= CAST(:roomQuota AS BIGINT)
        AND ${USAGE.groupUploads} < CAST(:maxPerGroup AS INTEGER)
        AND ${USAGE.roomUploads} < CAST(:maxPerRoom AS INTEGER)`;
    const params = { ...upload, ...limits };
    if (dialectOf(this.db) === 'postgres') {
      // READ COMMITTED lets two inserts see the same sums; a transaction-scoped advisory lock orders them.
      return this.db.transaction(async (tx) => {
        await sql(tx, `SELECT pg_advisory_xact_lock(hashtext('sealroom:quota'))`);
        if ((await sql(tx, insert, params)).affected === 1) return 'reserved';
        return refusal(await usage(tx, upload, limits));
      });
    }
    // SQLite runs one write statement at a time, so the checks and the insert cannot interleave. Which limit
    // refused is read after: a moment late, but only the error code depends on it.
    if ((await sql(this.db, insert, params)).affected === 1) return 'reserved';
    return refusal(await usage(this.db, upload, limits));
  }

  /** Turns a received upload into a downloadable file; false when its row is gone (room deleted, reclaimed). */
  async complete(
    id: string,
    fields: { createdAt: number; expiresAt: number; maxDownloads: number | null; fileInfo: string | null },
  ): Promise<boolean> {
    const { affected } = await this.files
      .createQueryBuilder()
      .update()
      .set({ status: 'ready', leaseUntil: null, ...fields })
      .where("id = :id AND status = 'uploading'", { id })
      .execute();
    return affected === 1;
  }

  /** Keeps an upload's reservation alive until `until`; false when its row is gone. */
  async renewLease(id: string, until: number): Promise<boolean> {
    const { affected } = await this.files
      .createQueryBuilder()
      .update()
      .set({ leaseUntil: until })
      .where("id = :id AND status = 'uploading'", { id })
      .execute();
    return affected === 1;
  }

  findById(id: string): Promise<StoredFileEntity | null> {
    return this.files.findOneBy({ id });
  }

  /** A file that can be downloaded at `now`: ready, not expired, under its download limit, in a live room. */
  findDownloadable(id: string, now: number): Promise<StoredFileEntity | null> {
    return this.files
      .createQueryBuilder('f')
      .innerJoin('f.room', 'r')
      .where("f.id = :id AND f.status = 'ready' AND f.expires_at > :now AND r.expires_at > :now", { id, now })
      .andWhere('(f.max_downloads IS NULL OR f.downloads < f.max_downloads)')
      .getOne();
  }

  /**
   * A file that a download already under way may go on reading at `now`: ready, not expired, in a live room,
   * whether or not its downloads are used up.
   */
  findReadable(id: string, now: number): Promise<StoredFileEntity | null> {
    return this.files
      .createQueryBuilder('f')
      .innerJoin('f.room', 'r')
      .where("f.id = :id AND f.status = 'ready' AND f.expires_at > :now AND r.expires_at > :now", { id, now })
      .getOne();
  }

  /** Counts one download, atomically against the file's limit; false when the limit was reached (or it expired). */
  async countDownload(id: string, now: number): Promise<boolean> {
    const { affected } = await this.files
      .createQueryBuilder()
      .update()
      .set({ downloads: () => 'downloads + 1' })
      .where("id = :id AND status = 'ready' AND expires_at > :now", { id, now })
      .andWhere('(max_downloads IS NULL OR downloads < max_downloads)')
      .execute();
    return affected === 1;
  }

  /** Deletes a file whose downloads reached its limit; whether it did. */
  async deleteIfSpent(id: string): Promise<boolean> {
    return this.deleteWhere(id, 'downloads >= max_downloads');
  }

  /** Deletes an upload that was never completed; whether it did (a completed file is left alone). */
  async deleteUpload(id: string): Promise<boolean> {
    return this.deleteWhere(id, "status = 'uploading'");
  }

  /** Deletes a ready file that expired by `now`; whether it did. */
  async deleteExpired(id: string, now: number): Promise<boolean> {
    return this.deleteWhere(id, "status = 'ready' AND expires_at <= :now", { now });
  }

  /** Deletes an upload whose lease ran out before `now` (its node stopped renewing it); whether it did. */
  async deleteStaleUpload(id: string, now: number): Promise<boolean> {
    return this.deleteWhere(id, "status = 'uploading' AND lease_until < :now", { now });
  }

  /** Bytes held by stored files and uploads in progress: what counts against the quota. */
  async usedBytes(): Promise<number> {
    const row = await this.files.createQueryBuilder('f').select('COALESCE(SUM(f.size), 0)', 'used').getRawOne<{ used: string | number }>();
    return Number(row?.used ?? 0);
  }

  /** Ids of the files of a room, uploads included. */
  idsInRoom(roomId: string): Promise<string[]> {
    return this.ids((q) => q.where('f.room_id = :roomId', { roomId }));
  }

  /** Ids of the files with `status`; with `before`, only those that expired (ready) or whose lease ran out (uploading) by then. */
  idsWithStatus(status: StoredFileStatus, before?: number): Promise<string[]> {
    return this.ids((q) => {
      q.where('f.status = :status', { status });
      if (before !== undefined) q.andWhere(status === 'ready' ? 'f.expires_at <= :before' : 'f.lease_until < :before', { before });
    });
  }

  /** Every row's id and status (the sweeper compares them with the blob store). */
  async statuses(): Promise<Map<string, StoredFileStatus>> {
    const rows = await this.files.find({ select: { id: true, status: true } });
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  private async ids(filter: (q: SelectQueryBuilder<StoredFileEntity>) => void): Promise<string[]> {
    const query = this.files.createQueryBuilder('f').select('f.id', 'id');
    filter(query);
    const rows = await query.getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  private async deleteWhere(id: string, condition: string, params: Record<string, unknown> = {}): Promise<boolean> {
    const { affected } = await this.files
      .createQueryBuilder()
      .delete()
      .where(`id = :id AND ${condition}`, { id, ...params })
      .execute();
    return affected === 1;
  }
}
