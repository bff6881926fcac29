import type { Logger } from 'pino';
import type { FileRepository } from '../repositories/file.repository';
import type { LeaseRepository } from '../repositories/lease.repository';
import type { BlobStore } from '../storage/blob-store';
import type { ResumableUploadStore } from '../storage/resumable-upload-store';
import type { Clock } from './clock';
import type { RoomService } from './room.service';

const LEASE = 'sweeper';

export interface SweeperOptions {
  /** This process, as the lease records it. */
  nodeId: string;
  intervalMs: number;
  /** The embedded database: this is the only node, so whatever an earlier process left in progress is ours. */
  singleNode: boolean;
}

export interface SweepReport {
  expiredRooms: number;
  expiredFiles: number;
  reclaimedUploads: number;
  orphanBlobs: number;
  orphanTemps: number;
  /** Resumable uploads on disk with no upload in progress (completed, terminated or reclaimed elsewhere). */
  orphanResumables: number;
}

/**
 * Removes what has expired: idle rooms (with their files), files past FILE_AGE_LIMIT, uploads whose node
 * stopped renewing their lease, and blobs or temporary files with no row. Readers never depend on it:
 * expired things are already invisible; the sweeper only gives the space back. In a cluster one node at a
 * time sweeps, by holding a lease row in the shared database.
 */
export class SweeperService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepReport | null> | null = null;

  constructor(
    private readonly rooms: RoomService,
    private readonly files: FileRepository,
    private readonly leases: LeaseRepository,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: SweeperOptions,
    /** Resumable (tus) uploads in progress; they outlive a restart until they expire. */
    private readonly resumable?: Pick<ResumableUploadStore, 'ids' | 'discard'>,
  ) {}

  /**
   * At start-up: with the embedded database this is the only node, so every upload still marked in
   * progress belongs to a process that died; reclaim them all before sweeping as usual.
   */
  async startup(): Promise<SweepReport | null> {
    if (this.options.singleNode) {
      // A lease left by the previous process of this single node is ours now.
      await this.leases.adopt(LEASE, this.options.nodeId);
      // A resumable upload is not interrupted by a restart: its client resumes it; it is reclaimed when it expires.
      const resumable = new Set(await this.resumableIds());
      const interrupted = (await this.files.idsWithStatus('uploading')).filter((id) => !resumable.has(id));
      for (const id of interrupted) await this.drop(id, await this.files.deleteUpload(id));
      if (interrupted.length > 0) this.log.info({ count: interrupted.length }, 'reclaimed uploads interrupted by the last shutdown');
    }
    return this.sweep();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping and hands the lease back, so that another node (or the next start) can sweep at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.leases
      .release(LEASE, this.options.nodeId)
      .catch((err: unknown) => this.log.warn({ err }, 'could not release the sweeper lease; it will expire'));
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

    let expiredFiles = 0;
    for (const id of await this.files.idsWithStatus('ready', now))
      expiredFiles += await this.drop(id, await this.files.deleteExpired(id, now));
    let reclaimedUploads = 0;
    for (const id of await this.files.idsWithStatus('uploading', now))
      reclaimedUploads += await this.drop(id, await this.files.deleteStaleUpload(id, now));

    const orphans = await this.removeOrphans();
    const report = { expiredRooms, expiredFiles, reclaimedUploads, ...orphans };
    if (Object.values(report).some((n) => n > 0)) this.log.info(report, 'swept');
    return report;
  }

  /** After a row was (or was not) deleted, removes its blob; 1 when it was. */
  private async drop(id: string, deleted: boolean): Promise<number> {
    if (!deleted) return 0;
    await this.blobs.remove(id);
    await this.resumable?.discard(id);
    return 1;
  }

  private async resumableIds(): Promise<string[]> {
    return this.resumable ? this.resumable.ids() : [];
  }

  /**
   * Removes blobs and temporary files that no row accounts for. The folder is listed before the rows are
   * read: a file on disk always has its row inserted first, so a live upload is never mistaken for an orphan.
   */
  private async removeOrphans(): Promise<{ orphanBlobs: number; orphanTemps: number; orphanResumables: number }> {
    const { blobs, temps, strays } = await this.blobs.list();
    const resumables = await this.resumableIds();
    if (blobs.length === 0 && temps.length === 0 && resumables.length === 0) return { orphanBlobs: 0, orphanTemps: 0, orphanResumables: 0 };
    const known = await this.files.statuses();
    const orphanBlobs = blobs.filter((id) => !known.has(id));
    const orphanTemps = temps.filter((id) => known.get(id) !== 'uploading');
    const orphanResumables = resumables.filter((id) => known.get(id) !== 'uploading');
    await Promise.all([
      ...orphanBlobs.map((id) => this.blobs.remove(id)),
      ...orphanTemps.map((id) => this.blobs.removeTemp(id)),
      ...orphanResumables.map((id) => this.resumable?.discard(id)),
    ]);
    if (strays.length > 0) this.log.warn({ strays }, 'unrecognised entries in the blob store were left alone');
    return { orphanBlobs: orphanBlobs.length, orphanTemps: orphanTemps.length, orphanResumables: orphanResumables.length };
  }

  private async acquireLease(): Promise<boolean> {
    const now = this.clock.now();
    return this.leases.acquire(LEASE, this.options.nodeId, now, now + Math.max(this.options.intervalMs * 2, 10_000));
  }
}
