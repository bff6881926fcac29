import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { dialectOf, sql } from '../db/sql';
import type { Clock } from '../services/clock';
import type { RoomService } from '../services/room.service';
import type { BlobStore } from './blob-store';

export interface SweepReport {
  expiredRooms: number;
  expiredFiles: number;
  reclaimedUploads: number;
  orphanBlobs: number;
  orphanTemps: number;
}

/**
 * Removes what has expired: idle rooms (with their files), files past FILE_AGE_LIMIT, uploads whose node
 * stopped renewing their lease, and blobs or temporary files with no row. Readers never depend on it:
 * expired things are already invisible; the sweeper only gives the space back. In a cluster one node at a
 * time sweeps, by holding a lease row in the shared database.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepReport | null> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly blobs: BlobStore,
    private readonly rooms: RoomService,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly nodeId: string,
    private readonly intervalMs: number,
  ) {}

  /**
   * At start-up: with the embedded database this is the only node, so every upload still marked in
   * progress belongs to a process that died; reclaim them all before sweeping as usual.
   */
  async startup(): Promise<SweepReport | null> {
    if (dialectOf(this.db) === 'sqlite') {
      // A lease left by the previous process of this single node is ours now.
      await sql(this.db, `UPDATE leases SET holder = :me WHERE name = 'sweeper'`, { me: this.nodeId });
      const { rows } = await sql<{ id: string }>(this.db, `SELECT id FROM stored_files WHERE status = 'uploading'`);
      for (const { id } of rows) await this.dropRow(id, `status = 'uploading'`);
      if (rows.length > 0) this.log.info({ count: rows.length }, 'reclaimed uploads interrupted by the last shutdown');
    }
    return this.sweep();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping and hands the lease back, so that another node (or the next start) can sweep at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await sql(this.db, `UPDATE leases SET holder = NULL, expires_at = 0 WHERE name = 'sweeper' AND holder = :me`, { me: this.nodeId }).catch(
      (err: unknown) => this.log.warn({ err }, 'could not release the sweeper lease; it will expire'),
    );
  }

  /** One pass, if this node holds the sweeper lease; null when another node does. Never throws. */
  sweep(): Promise<SweepReport | null> {
    this.running ??= this.sweepOnce()
      .catch((err) => {
        this.log.warn({ err }, 'sweep failed; will retry');
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async sweepOnce(): Promise<SweepReport | null> {
    if (!(await this.acquireLease())) return null;
    const now = this.clock.now();
    const expiredRooms = (await this.rooms.removeExpired()).length;

    const expired = await sql<{ id: string }>(this.db, `SELECT id FROM stored_files WHERE status = 'ready' AND expires_at <= :now`, { now });
    let expiredFiles = 0;
    for (const { id } of expired.rows) expiredFiles += await this.dropRow(id, `status = 'ready' AND expires_at <= :now`, now);

    const stale = await sql<{ id: string }>(this.db, `SELECT id FROM stored_files WHERE status = 'uploading' AND lease_until < :now`, { now });
    let reclaimedUploads = 0;
    for (const { id } of stale.rows) reclaimedUploads += await this.dropRow(id, `status = 'uploading' AND lease_until < :now`, now);

    const orphans = await this.removeOrphans();
    const report = { expiredRooms, expiredFiles, reclaimedUploads, ...orphans };
    if (Object.values(report).some((n) => n > 0)) this.log.info(report, 'swept');
    return report;
  }

  /** Deletes a file row if `condition` still holds, then its blob; 1 when it did. */
  private async dropRow(id: string, condition: string, now = this.clock.now()): Promise<number> {
    const { affected } = await sql(this.db, `DELETE FROM stored_files WHERE id = :id AND ${condition}`, { id, now });
    if (affected === 1) await this.blobs.remove(id);
    return affected;
  }

  /**
   * Removes blobs and temporary files that no row accounts for. The folder is listed before the rows are
   * read: a file on disk always has its row inserted first, so a live upload is never mistaken for an orphan.
   */
  private async removeOrphans(): Promise<{ orphanBlobs: number; orphanTemps: number }> {
    const { blobs, temps, strays } = await this.blobs.list();
    if (blobs.length === 0 && temps.length === 0) return { orphanBlobs: 0, orphanTemps: 0 };
    const { rows } = await sql<{ id: string; status: string }>(this.db, `SELECT id, status FROM stored_files`);
    const known = new Map(rows.map((r) => [r.id, r.status]));
    const orphanBlobs = blobs.filter((id) => !known.has(id));
    const orphanTemps = temps.filter((id) => known.get(id) !== 'uploading');
    await Promise.all([...orphanBlobs.map((id) => this.blobs.remove(id)), ...orphanTemps.map((id) => this.blobs.removeTemp(id))]);
    if (strays.length > 0) this.log.warn({ strays }, 'unrecognised files in the blob folder were left alone');
    return { orphanBlobs: orphanBlobs.length, orphanTemps: orphanTemps.length };
  }

  private async acquireLease(): Promise<boolean> {
    const now = this.clock.now();
    const { affected } = await sql(
      this.db,
      `UPDATE leases SET holder = :me, expires_at = :until WHERE name = 'sweeper' AND (holder = :me OR expires_at < :now)`,
      { me: this.nodeId, now, until: now + Math.max(this.intervalMs * 2, 10_000) },
    );
    return affected === 1;
  }
}
