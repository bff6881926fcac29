import type { Config } from '../config';
import type { ResumableUploadStore } from '../storage/resumable-upload-store';
import type { CompleteUpload, FileService, StoredFileInfo } from './file.service';

/** What a resumable upload's creation request carries (its Upload-Metadata, already validated). */
export interface ResumableUploadRequest {
  fileId: string;
  roomId: string;
  proof: string;
  size: number;
  downloadKey: string;
  clientKey: string;
}

/**
 * Resumable (tus) uploads: the same rules as `POST /upload_file`, spread over several requests. Creation checks
 * the room proof and reserves the declared length in the quota (with the address's and the room's shares and
 * their counts of uploads in progress) before any byte is stored; the reservation lives until the upload
 * completes, is terminated, or expires RESUMABLE_UPLOAD_EXPIRY after its creation (then the sweeper reclaims it).
 * On completion the bytes become the file's blob and the file is committed exactly as a form upload is.
 * Resumable uploads live where the blobs do (DATA_DIR, or the bucket), so with S3 any node may take the next request.
 */
export class ResumableUploadService {
  constructor(
    private readonly files: FileService,
    private readonly store: ResumableUploadStore,
    private readonly config: Pick<Config, 'resumableExpiryMs'>,
  ) {}

  /** Reserves the upload; it may then be created on disk under `fileId`. */
  async create(req: ResumableUploadRequest): Promise<void> {
    await this.files.reserve({ ...req, leaseMs: this.config.resumableExpiryMs });
  }

  /** Gives back a reservation whose upload could not be created on disk. */
  async createFailed(fileId: string): Promise<void> {
    await this.files.abort(fileId);
  }

  /**
   * Turns a completed upload into a downloadable file. Whatever happens, the upload itself is gone afterwards;
   * on failure its reservation is given back too.
   */
  async finish(fileId: string, size: number, options: CompleteUpload): Promise<StoredFileInfo> {
    try {
      // null: the upload is the blob store's temporary blob already (renamed, or inside the bucket).
      const bytes = await this.store.takeCompleted(fileId);
      if (bytes) await this.files.receive(fileId, bytes, size);
      return await this.files.complete(fileId, options);
    } catch (e) {
      await this.files.abort(fileId);
      throw e;
    } finally {
      await this.store.discard(fileId);
    }
  }

  /** A client terminated its upload (tus DELETE): its bytes are gone, its reservation is given back. */
  async terminated(fileId: string): Promise<void> {
    await this.files.abort(fileId);
  }
}
