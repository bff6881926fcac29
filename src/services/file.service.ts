import { createHash, randomBytes } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import type { Config } from '../config';
import type { StoredFileEntity } from '../entities';
import { AppError, fieldError } from '../errors';
import type { DownloadTokenRepository } from '../repositories/download-token.repository';
import type { FileRepository, ReserveResult } from '../repositories/file.repository';
import type { BlobRange, BlobStore } from '../storage/blob-store';
import { planByteRange, type ByteRange } from './byte-range';
import type { Clock } from './clock';
import { isId, randomId } from '../ids';
import { verifyDownloadProof } from './proof';
import type { RoomService } from './room.service';

export interface UploadRequest {
  roomId: string;
  proof: string;
  /** Ciphertext bytes the client promises to send. */
  size: number;
  /** The file's download key `dk`, 32 bytes base64url: download proofs are checked with it. */
  downloadKey: string;
  clientKey: string;
  /** The id to give the upload, when the caller chose it (a resumable upload's URL names it); random otherwise. */
  fileId?: string;
  /** How long the reservation lives unless renewed; UPLOAD_LEASE_MS by default (a resumable upload: its expiry). */
  leaseMs?: number;
}

export interface CompleteUpload {
  maxDownloads?: number | null;
  /** Seconds from now until the file expires (1 to the file age limit); null for the file age limit. */
  expiresInSeconds?: number | null;
  /** The sealed file info as the JSON text `{"iv","ct"}` (already validated), or null. */
  fileInfo?: string | null;
}

export interface StoredFileInfo {
  fileId: string;
  roomId: string;
  size: number;
  createdAt: number;
  expiresAt: number;
  maxDownloads: number | null;
  downloads: number;
  /** The sealed `{iv, ct}` file info the uploader attached, or null. */
  fileInfo: { iv: string; ct: string } | null;
}

/** What lets a request read a file: a fresh download proof, a download token from an earlier response, or neither. */
export interface DownloadCredentials {
  proof?: string;
  token?: string;
  /** Who is asking, for the failed-proof rate limit. */
  clientKey: string;
}

export interface DownloadRequest extends DownloadCredentials {
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
  /** The download token a counted download issues (send it as `X-Download-Token`). */
  token?: string;
  /**
   * Call once the response has been sent in full: when it carried the file's last byte and the file's downloads
   * are used up, the file is burnt (a reader that already opened it keeps streaming).
   */
  sent?: () => Promise<void>;
}

/** A download token may serve at most this many times its file's size in all. */
export const TOKEN_BUDGET_FACTOR = 2;

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

/** How long an upload's quota reservation lives without a sign of progress from its node. */
export const UPLOAD_LEASE_MS = 60_000;
const LEASE_RENEW_MS = 15_000;

const STORAGE_FULL = 'The server has no room for this file now; try again later or send a smaller file';

/** What a refused reservation tells its client, by the limit that refused it. */
const REFUSALS: Record<Exclude<ReserveResult, 'reserved'>, (c: Pick<Config, 'uploads'>) => string> = {
  STORAGE_FULL: () => STORAGE_FULL,
  IP_QUOTA_EXCEEDED: (c) =>
    `Uploads from this address hold their share of the server's storage (${c.uploads.ipQuotaBytes} bytes); wait for some to expire`,
  ROOM_QUOTA_EXCEEDED: (c) =>
    `This room holds its share of the server's storage (${c.uploads.roomQuotaBytes} bytes); wait for some files to expire`,
  TOO_MANY_UPLOADS: (c) =>
    `Too many uploads in progress (at most ${c.uploads.maxPerIp} per address and ${c.uploads.maxPerRoom} per room); wait for one to finish`,
};

/**
 * Encrypted files: quota reservation, streamed upload, completion, download accounting and expiry. The
 * quota is the sum of all file rows' sizes, uploads in progress included (see FileRepository.reserve).
 */
export class FileService {
  constructor(
    private readonly files: FileRepository,
    private readonly blobs: BlobStore,
    private readonly rooms: RoomService,
    private readonly config: Pick<Config, 'uploadLimitBytes' | 'storageLimitBytes' | 'fileAgeMs' | 'uploads'>,
    private readonly clock: Clock,
    private readonly tokens: DownloadTokenRepository,
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
    const fileId = req.fileId ?? randomId();
    const now = this.clock.now();
    const { uploads } = this.config;
    const result = await this.files.reserve(
      {
        id: fileId,
        roomId: req.roomId,
        clientGroup: req.clientKey.slice(0, 64),
        size: req.size,
        createdAt: now,
        expiresAt: now + this.config.fileAgeMs,
        leaseUntil: now + (req.leaseMs ?? UPLOAD_LEASE_MS),
        downloadKey: req.downloadKey,
      },
      {
        quota: this.config.storageLimitBytes,
        groupQuota: uploads.ipQuotaBytes,
        roomQuota: uploads.roomQuotaBytes,
        maxPerGroup: uploads.maxPerIp,
        maxPerRoom: uploads.maxPerRoom,
      },
    );
    if (result !== 'reserved') throw new AppError(result, REFUSALS[result](this.config));
    await this.rooms.markActive(req.roomId);
    return fileId;
  }

  /**
   * Streams an upload's ciphertext to its temporary file, keeping its reservation alive while bytes flow. An
   * upload that falls below UPLOAD_MIN_RATE over any UPLOAD_RATE_GRACE window (its first included) is cut
   * with UPLOAD_TOO_SLOW: a client that trickles bytes must not hold a reservation for long.
   */
  async receive(fileId: string, source: Readable, size: number): Promise<void> {
    let lastRenewal = this.clock.now();
    let renewing: Promise<void> = Promise.resolve();
    let failure: AppError | null = null;
    const fail = (e: AppError) => {
      failure ??= e;
      source.destroy(e);
    };
    let received = 0;
    const watch = this.watchRate(size, () => received, fail);
    try {
      await this.blobs.write(fileId, source, size, (bytes) => {
        received = bytes;
        const now = this.clock.now();
        if (now - lastRenewal < LEASE_RENEW_MS) return;
        lastRenewal = now;
        renewing = this.renewLease(fileId).then((ok) => {
          if (!ok) fail(new AppError('ROOM_NOT_FOUND', 'The room was deleted during the upload'));
        });
      });
    } catch (e) {
      throw failure ?? e;
    } finally {
      clearInterval(watch);
    }
    await renewing;
    if (failure) throw failure;
  }

  /**
   * `source` passed through, cut with UPLOAD_TOO_SLOW when it falls below UPLOAD_MIN_RATE like `receive` does: a
   * resumable upload's PATCH body, which must not hold its connection by trickling either.
   */
  rateLimited(source: Readable): Readable {
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        done(null, chunk);
      },
    });
    const watch = this.watchRate(
      Number.MAX_SAFE_INTEGER,
      () => received,
      (e) => counted.destroy(e),
    );
    source.once('error', (e) => counted.destroy(e));
    counted.once('close', () => clearInterval(watch));
    return source.pipe(counted);
  }

  /** Checks once a second that an upload keeps UPLOAD_MIN_RATE over the last UPLOAD_RATE_GRACE; `fail` when not. */
  private watchRate(size: number, received: () => number, fail: (e: AppError) => void): NodeJS.Timeout | undefined {
    const { minRateBytesPerSecond: minRate, rateGraceMs: grace } = this.config.uploads;
    if (minRate === 0) return undefined;
    const samples: Array<{ at: number; bytes: number }> = [{ at: this.clock.now(), bytes: 0 }];
    const timer = setInterval(() => {
      const now = this.clock.now();
      const bytes = received();
      samples.push({ at: now, bytes });
      // The window starts at the newest sample at least `grace` old; until there is one, the grace period runs.
      while (samples.length > 1 && samples[1].at <= now - grace) samples.shift();
      const start = samples[0];
      if (now - start.at < grace) return;
      const needed = Math.min((minRate * (now - start.at)) / 1000, size - start.bytes);
      if (bytes - start.bytes < needed) {
        fail(
          new AppError('UPLOAD_TOO_SLOW', `The upload fell below ${minRate} bytes per second; its reservation was given back`, {
            headers: { Connection: 'close' },
          }),
        );
      }
    }, 1000);
    timer.unref();
    return timer;
  }

  /**
   * Moves a fully received upload into place and makes it downloadable, optionally with a download limit, sealed
   * file info, and an expiry `expiresInSeconds` after now (at most the file age limit) instead of at the file age
   * limit.
   */
  async complete(fileId: string, options: CompleteUpload = {}): Promise<StoredFileInfo> {
    const fileInfo = options.fileInfo ?? null;
    const expiresInSeconds = options.expiresInSeconds ?? null;
    if (
      expiresInSeconds !== null &&
      !(Number.isInteger(expiresInSeconds) && expiresInSeconds >= 1 && expiresInSeconds * 1000 <= this.config.fileAgeMs)
    ) {
      throw fieldError(
        'body.expires_in',
        `must be a whole number of seconds from 1 to ${Math.floor(this.config.fileAgeMs / 1000)} (the file age limit)`,
      );
    }
    if (fileInfo !== null) parseFileInfo(fileInfo); // refuse a malformed one before the file is committed
    await this.blobs.commit(fileId);
    const now = this.clock.now();
    const lifetime = expiresInSeconds === null ? this.config.fileAgeMs : expiresInSeconds * 1000;
    const fields = { createdAt: now, expiresAt: now + lifetime, maxDownloads: options.maxDownloads ?? null, fileInfo };
    if (!(await this.files.complete(fileId, fields))) {
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
    if (!file) throw fileNotFound();
    return toInfo(file);
  }

  /**
   * A file described to the holder of its key (a valid download proof): its facts and sealed info, even when its
   * downloads are used up. Not counted.
   */
  async describeFor(fileId: string, creds: DownloadCredentials): Promise<StoredFileInfo> {
    if (!creds.proof) throw proofRequired();
    const file = await this.checkProof(fileId, creds.proof, creds.clientKey);
    return toInfo(file);
  }

  /**
   * Plans and opens a download. With a download proof it is a new download, counted at once against the file's
   * limit (whatever range it asks for), and it issues a download token worth TOKEN_BUDGET_FACTOR x the file's
   * size (this response's bytes included). With a token it continues that download: not counted, the bytes sent
   * taken from the token's budget before any is sent. HEAD checks the proof or token without counting or spending.
   * The blob's read is started before anything is counted, so a file removed a moment later (burnt by another
   * reader's last byte) still streams to this reader.
   */
  async download(fileId: string, req: DownloadRequest): Promise<Download> {
    if (!req.proof && !req.token) throw proofRequired();
    const now = this.clock.now();
    let entity: StoredFileEntity;
    let hash: string | null = null;
    if (req.proof) {
      entity = await this.checkProof(fileId, req.proof, req.clientKey);
    } else {
      hash = tokenHash(req.token as string);
      const found = isId(fileId) ? await this.files.findReadable(fileId, now) : null;
      if (!found) throw fileNotFound();
      if (!(await this.tokens.findLive(hash, found.id, now))) throw tokenRefused();
      entity = found;
    }
    const file = toInfo(entity);
    const etag = `"${file.fileId}"`;
    const range = planByteRange(file.size, etag, req.range, req.ifRange);
    if (req.headOnly) return { file, etag, ...range };

    // A zero-length file (or range) has no bytes to ask the store for, but must still exist.
    const body = await this.open(file.fileId, range.length > 0 ? { start: range.start, end: range.end } : undefined);
    let token: string | undefined;
    try {
      if (hash !== null) {
        if (!(await this.tokens.spend(hash, file.fileId, range.length, now))) throw tokenRefused();
      } else {
        // The token is stored before the download is counted: once counted, the download must not fail because
        // another transfer burnt the spent file in between (the token references the file's row).
        token = randomBytes(16).toString('base64url');
        const row = { tokenHash: tokenHash(token), fileId: file.fileId, bytesLeft: TOKEN_BUDGET_FACTOR * file.size - range.length };
        const spent = () => new AppError('FILE_NOT_FOUND', 'No such file (it reached its download limit or expired)');
        if (!(await this.tokens.insert({ ...row, expiresAt: file.expiresAt }))) throw spent();
        if (!(await this.files.countDownload(file.fileId, now))) {
          await this.tokens.remove(row.tokenHash);
          throw spent();
        }
      }
    } catch (e) {
      body.destroy();
      throw e;
    }
    const reachesEnd = range.length === 0 || range.end === file.size - 1;
    const sent = file.maxDownloads !== null && reachesEnd ? () => this.burnIfSpent(file.fileId) : undefined;
    return { file, etag, ...range, body, token, sent };
  }

  /**
   * Removes a file whose downloads are used up, once a transfer has delivered its last byte: the file is burnt
   * after reading, while downloads whose read already started finish. A download that broke off before
   * the end can resume with its token until then.
   */
  private async burnIfSpent(fileId: string): Promise<void> {
    if (await this.files.deleteIfSpent(fileId)) await this.blobs.remove(fileId);
  }

  /**
   * The readable file whose download key verifies `proof`. Failed proofs count against the caller like failed
   * room proofs, and a caller over its allowance is refused before any check.
   */
  private async checkProof(fileId: string, proof: string, clientKey: string): Promise<StoredFileEntity> {
    await this.rooms.checkProofAllowance(clientKey);
    const file = isId(fileId) ? await this.files.findReadable(fileId, this.clock.now()) : null;
    if (!file) throw fileNotFound();
    const verdict = verifyDownloadProof(file.downloadKey, file.id, proof, this.clock.now());
    if (verdict === 'valid') return file;
    await this.rooms.recordProofFailure(clientKey);
    throw verdict === 'expired'
      ? new AppError('PROOF_EXPIRED', "The download proof is outside the accepted time window; check this device's clock")
      : new AppError('PROOF_INVALID', 'The download proof is not valid for this file');
  }

  /** Starts reading the blob now, so that the bytes stay readable even if the file is removed a moment later. */
  private async open(fileId: string, range?: BlobRange): Promise<Readable> {
    const body = await this.blobs.read(fileId, range);
    if (!body) throw new AppError('FILE_NOT_FOUND', 'No such file');
    return body;
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
    fileInfo: f.fileInfo === null ? null : parseFileInfo(f.fileInfo),
  };
}

/** Longest sealed file info ciphertext accepted (a few KiB of padded `{name, type, size}`). */
export const FILE_INFO_MAX_CT = 5500;

/** Parses and checks the sealed file info's JSON text `{"iv": <16 base64url chars>, "ct": <22-5500 base64url chars>}`. */
export function parseFileInfo(text: string, where: 'body' | 'metadata' = 'body'): { iv: string; ct: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const v = value as Record<string, unknown> | null;
  if (
    !v ||
    typeof v !== 'object' ||
    Array.isArray(v) ||
    Object.keys(v).length !== 2 ||
    typeof v.iv !== 'string' ||
    typeof v.ct !== 'string' ||
    !/^[A-Za-z0-9_-]{16}$/.test(v.iv) ||
    !new RegExp(`^[A-Za-z0-9_-]{22,${FILE_INFO_MAX_CT}}$`).test(v.ct)
  ) {
    throw fieldError(`${where}.file_info`, `must be the JSON text {"iv": "<16 base64url>", "ct": "<22-${FILE_INFO_MAX_CT} base64url>"}`);
  }
  return { iv: v.iv, ct: v.ct };
}

const fileNotFound = () => new AppError('FILE_NOT_FOUND', 'No such file (it may have expired, been deleted or reached its download limit)');

const proofRequired = () =>
  new AppError(
    'DOWNLOAD_PROOF_REQUIRED',
    'Downloading needs X-Download-Proof (made with the file key) or X-Download-Token; the file id alone is not enough',
  );

const tokenRefused = () =>
  new AppError(
    'PROOF_EXPIRED',
    'The download token is unknown, for another file, expired, or has read its file twice over; start a new download',
  );
