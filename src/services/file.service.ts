import type fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Config } from '../config';
import type { StoredFileEntity } from '../entities';
import { AppError, fieldError } from '../errors';
import type { FileRepository } from '../repositories/file.repository';
import type { BlobStore } from '../storage/blob-store';
import { planByteRange, type ByteRange } from './byte-range';
import type { Clock } from './clock';
import { isId, randomId } from '../ids';
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

/** A planned download: the file, its ETag, the byte range being sent (see ByteRange) and, for GET, the bytes. */
export interface Download extends ByteRange {
  file: StoredFileInfo;
  etag: string;
  /** The bytes, unless this was a HEAD request. Destroy it if the client goes away. */
  body?: Readable;
}

/** How long an upload's quota reservation lives without a sign of progress from its node. */
export const UPLOAD_LEASE_MS = 60_000;
const LEASE_RENEW_MS = 15_000;

const STORAGE_FULL = 'The server has no room for this file now; try again later or send a smaller file';

/**
 * Encrypted files: quota reservation, streamed upload, completion, download accounting and expiry. The
 * quota is the sum of all file rows' sizes, uploads in progress included (see FileRepository.reserve).
 */
export class FileService {
  constructor(
    private readonly files: FileRepository,
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
    if ((await this.files.usedBytes()) + minBytes > this.config.storageLimitBytes) throw new AppError('STORAGE_FULL', STORAGE_FULL);
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
    const reserved = await this.files.reserve(
      {
        id: fileId,
        roomId: req.roomId,
        size: req.size,
        createdAt: now,
        expiresAt: now + this.config.fileAgeMs,
        leaseUntil: now + UPLOAD_LEASE_MS,
      },
      this.config.storageLimitBytes,
    );
    if (!reserved) throw new AppError('STORAGE_FULL', STORAGE_FULL);
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

  /**
   * Moves a fully received upload into place and makes it downloadable, optionally burning after N reads and
   * expiring `expiresInSeconds` after now (at most the file age limit) instead of at the file age limit.
   */
  async complete(fileId: string, maxDownloads: number | null = null, expiresInSeconds: number | null = null): Promise<StoredFileInfo> {
    if (
      expiresInSeconds !== null &&
      !(Number.isInteger(expiresInSeconds) && expiresInSeconds >= 1 && expiresInSeconds * 1000 <= this.config.fileAgeMs)
    ) {
      throw fieldError(
        'body.expires_in',
        `must be a whole number of seconds from 1 to ${Math.floor(this.config.fileAgeMs / 1000)} (the file age limit)`,
      );
    }
    await this.blobs.commit(fileId);
    const now = this.clock.now();
    const lifetime = expiresInSeconds === null ? this.config.fileAgeMs : expiresInSeconds * 1000;
    if (!(await this.files.complete(fileId, { createdAt: now, expiresAt: now + lifetime, maxDownloads }))) {
      // The room was deleted (or the reservation reclaimed) while the bytes were arriving.
      await this.blobs.remove(fileId);
      throw new AppError('ROOM_NOT_FOUND', 'The room was deleted during the upload');
    }
    const stored = await this.files.findById(fileId);
    if (!stored) throw new AppError('ROOM_NOT_FOUND', 'The room was deleted during the upload');
    return toInfo(stored);
  }

  /**
   * Gives back an upload's reservation and removes what it wrote. A completed upload is left alone, so this is
   * safe to call more than once and after `complete`.
   */
  async abort(fileId: string): Promise<void> {
    if (await this.files.deleteUpload(fileId)) await this.blobs.remove(fileId);
    else await this.blobs.removeTemp(fileId);
  }

  private renewLease(fileId: string): Promise<boolean> {
    return this.files.renewLease(fileId, this.clock.now() + UPLOAD_LEASE_MS);
  }

  /** A downloadable file: ready, not expired, in a live room, under its download limit. */
  async describe(fileId: string): Promise<StoredFileInfo> {
    const file = isId(fileId) ? await this.files.findDownloadable(fileId, this.clock.now()) : null;
    if (!file) throw new AppError('FILE_NOT_FOUND', 'No such file (it may have expired, been deleted or reached its download limit)');
    return toInfo(file);
  }

  /**
   * Counts one download, atomically against the file's limit; false when the limit was reached first.
   * When this was the last allowed download the file is removed (an already open reader keeps its bytes).
   */
  private async countDownload(file: StoredFileInfo): Promise<boolean> {
    if (!(await this.files.countDownload(file.fileId, this.clock.now()))) return false;
    if (file.maxDownloads !== null && (await this.files.deleteIfSpent(file.fileId))) await this.blobs.remove(file.fileId);
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
    const range = planByteRange(file.size, etag, req.range, req.ifRange);
    if (req.headOnly) return { file, etag, ...range };

    const handle = await this.open(file.fileId);
    try {
      if (range.start === 0 && !(await this.countDownload(file))) {
        throw new AppError('FILE_NOT_FOUND', 'No such file (it reached its download limit or expired)');
      }
    } catch (e) {
      await handle.close();
      throw e;
    }
    const body =
      range.length === 0
        ? (await handle.close(), Readable.from([]))
        : handle.createReadStream({ start: range.start, end: range.end, autoClose: true, highWaterMark: 256 * 1024 });
    return { file, etag, ...range, body };
  }

  /** Opens the blob now, so that the bytes stay readable even if the file is removed a moment later. */
  private async open(fileId: string): Promise<fsp.FileHandle> {
    const handle = await this.blobs.open(fileId);
    if (!handle) throw new AppError('FILE_NOT_FOUND', 'No such file');
    return handle;
  }

  /** Bytes held by stored files and uploads in progress. */
  usedBytes(): Promise<number> {
    return this.files.usedBytes();
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
