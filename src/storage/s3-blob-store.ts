import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isId } from '../ids';
import { ByteCounter, checkedId, type BlobListing, type BlobRange, type BlobStore } from './blob-store';

export interface S3BlobStoreOptions {
  bucket: string;
  /** An S3-compatible server's URL (MinIO and the like); unset for AWS S3. */
  endpoint?: string;
  region: string;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint>/<key>`; most self-hosted servers need it. */
  forcePathStyle: boolean;
  /** Prepended to every key (e.g. `sealroom/`), so that a bucket can be shared. */
  prefix: string;
  /** Create the bucket at start-up when it does not exist (otherwise a missing bucket stops the server). */
  createBucket: boolean;
  /** Credentials; unset: the AWS SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Multipart part size: each concurrent upload holds about (queueSize + 1) parts in memory. */
  partSize?: number;
  /** Parts of one upload sent at once. */
  queueSize?: number;
  /** Connections kept to the server; every download in progress holds one for as long as it streams. */
  maxSockets?: number;
}

/** S3's smallest multipart part, and the most parts an upload may have. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** CopyObject copies at most 5 GiB in one request; config.ts refuses larger uploads with this store. */
export const S3_MAX_COPY_BYTES = 5 * 1024 ** 3;

/**
 * Encrypted blobs in an S3-compatible bucket, so that the nodes of a cluster need no shared folder. A write
 * streams through the size-limiting counter into a multipart upload at `<prefix>tmp/<id>` (memory stays at a
 * few parts whatever the size); `commit` copies it to `<prefix>files/<id>` and deletes the temporary key. An S3
 * object appears whole or not at all, and a failed write aborts its multipart upload, so a reader never sees half
 * a blob and a failed write leaves nothing behind. Keys are random file ids; the bytes are ciphertext.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix;
    this.partSize = Math.max(MIN_PART_SIZE, options.partSize ?? 8 * 1024 * 1024);
    this.queueSize = options.queueSize ?? 2;
    this.client = new S3Client(s3ClientConfig(options));
  }

  private key(area: 'files' | 'tmp', id: string): string {
    return s3Key(this.prefix, area, checkedId(id));
  }

  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      if (!isNotFound(e)) throw new Error(`S3 bucket ${this.bucket} is not usable: ${describe(e)}`, { cause: e });
      if (!this.options.createBucket) {
        throw new Error(`S3 bucket ${this.bucket} does not exist (create it, or set S3_CREATE_BUCKET=true)`, { cause: e });
      }
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async write(id: string, source: Readable, expectedBytes: number, onProgress?: (bytes: number) => void): Promise<void> {
    const key = this.key('tmp', id);
    const counter = new ByteCounter(expectedBytes, onProgress);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: counter, ContentType: 'application/octet-stream' },
      partSize: Math.max(this.partSize, Math.ceil(expectedBytes / MAX_PARTS)),
      queueSize: this.queueSize,
      // A failed upload is aborted, so that its parts do not linger (invisible, but stored and billed).
      leavePartsOnError: false,
    });
    // The counter is the upload's body: when it fails (too long, short at its end, source broken), the upload
    // stops reading, aborts its multipart upload, and only then rejects. It never completes with a bad size.
    const piping = pipeline(source, counter);
    const uploading = upload.done().catch((e: unknown) => {
      counter.destroy(e as Error);
      throw e;
    });
    const [piped, uploaded] = await Promise.allSettled([piping, uploading]);
    if (piped.status === 'fulfilled' && uploaded.status === 'fulfilled') return;
    source.resume(); // let the multipart parser move on; the request is answered with the error
    // Should the upload have completed before the failure was seen, its object goes too.
    await this.deleteQuietly(key);
    throw piped.status === 'rejected' ? piped.reason : (uploaded as PromiseRejectedResult).reason;
  }

  async commit(id: string): Promise<void> {
    const from = this.key('tmp', id);
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: this.key('files', id),
        CopySource: `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
    await this.deleteQuietly(from);
  }

  /** Resolves once the server has answered with the headers: from then on the body streams even if the object is deleted. */
  async read(id: string, range?: BlobRange): Promise<Readable | null> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.key('files', id),
          ...(range && { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      return res.Body as Readable;
    } catch (e) {
      if (isMissingKey(e)) return null;
      throw e;
    }
  }

  async remove(id: string): Promise<void> {
    await Promise.all([this.deleteQuietly(this.key('files', id)), this.deleteQuietly(this.key('tmp', id))]);
  }

  async removeTemp(id: string): Promise<void> {
    await this.deleteQuietly(this.key('tmp', id));
  }

  /** Lists `<prefix>files/` and `<prefix>tmp/` only: other keys in a shared bucket are none of the store's business. */
  async list(): Promise<BlobListing> {
    const listing: BlobListing = { blobs: [], temps: [], strays: [] };
    for (const area of ['files', 'tmp'] as const) {
      const prefix = `${this.prefix}${area}/`;
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          const name = (object.Key ?? '').slice(prefix.length);
          if (!isId(name)) listing.strays.push(`${area}/${name}`);
          else if (area === 'files') listing.blobs.push(name);
          else listing.temps.push(name);
        }
      }
    }
    return listing;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** DeleteObject succeeds for a missing key on S3; some compatible servers answer 404, which is fine too. */
  private async deleteQuietly(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (e) {
      if (!isMissingKey(e)) throw e;
    }
  }
}

/**
 * Where things live in the bucket, under the configured prefix: `files/<id>` committed blobs, `tmp/<id>` blobs
 * being written (a form upload's, or a resumable upload's once its last byte is in), `uploads/<id>.info` and
 * `uploads/<id>.part` a resumable upload's description and trailing bytes (S3ResumableUploadStore).
 */
export function s3Key(prefix: string, area: 'files' | 'tmp' | 'uploads', name: string): string {
  return `${prefix}${area}/${name}`;
}

/** The client settings of both stores in the bucket: this one and the resumable uploads' (S3ResumableUploadStore). */
export function s3ClientConfig(
  options: Pick<S3BlobStoreOptions, 'region' | 'forcePathStyle' | 'endpoint' | 'credentials' | 'maxSockets'>,
): S3ClientConfig {
  const agent = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  return {
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    // Newer SDKs add CRC32 checksums (and aws-chunked bodies) to every request by default; many S3-compatible
    // servers reject or mishandle them. Checksums only where the API requires them. TLS already protects
    // the bytes in transit, and the content is authenticated ciphertext checked by the client.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent: agent, httpsAgent: agent },
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(options.credentials && { credentials: options.credentials }),
  };
}

/** A missing bucket (HeadBucket answers a bare 404). */
function isNotFound(e: unknown): boolean {
  return e instanceof S3ServiceException && (e.$metadata.httpStatusCode === 404 || e.name === 'NotFound' || e.name === 'NoSuchBucket');
}

/** A missing object; a missing bucket is a configuration error, never "no such blob". */
export function isMissingKey(e: unknown): boolean {
  return e instanceof S3ServiceException && e.name !== 'NoSuchBucket' && (e.name === 'NoSuchKey' || e.$metadata.httpStatusCode === 404);
}

function describe(e: unknown): string {
  if (e instanceof S3ServiceException) return `${e.name} (HTTP ${e.$metadata.httpStatusCode ?? '?'})`;
  return e instanceof Error ? e.message : String(e);
}
