import type { Readable } from 'node:stream';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import { ERRORS, type KvStore } from '@tus/utils';
import { isId } from '../ids';
import { checkedUploadId, type ResumableUploadStore } from './resumable-upload-store';
import { isMissingKey, s3ClientConfig, s3Key, type S3BlobStoreOptions } from './s3-blob-store';

/**
 * Nothing is cached: another node may complete or remove an upload at any moment, so its description is read
 * from the bucket each time (one small GET per request, next to megabytes of body).
 */
const NO_CACHE: KvStore<MetadataValue> = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

/** What @tus/s3-store names by upload id: the multipart upload (`<id>`), its description and its trailing bytes. */
const TUS_KEY = /^([A-Za-z0-9_-]+)(\.info|\.part)?$/;

/**
 * Resumable (tus) uploads in progress in the bucket, next to the blobs (@tus/s3-store): each upload is an S3
 * multipart upload at `tmp/<id>` (every PATCH adds parts; fewer than 5 MiB left over wait in
 * `uploads/<id>.part`), described by `uploads/<id>.info`. No node keeps anything of it, so the next request may
 * reach any node (a Redis lock keeps two nodes from writing one upload at once, see RedisUploadLocker). The
 * last byte completes the multipart upload, which makes `tmp/<id>` the blob store's temporary blob: committing
 * the file copies it to `files/<id>` inside the bucket.
 */
export class S3ResumableUploadStore extends S3Store implements ResumableUploadStore {
  private readonly prefix: string;

  constructor(
    options: S3BlobStoreOptions,
    expiryMs: number,
    /** Wraps each PATCH body on its way to the bucket (the minimum upload rate). */
    private readonly watchBody: (source: Readable) => Readable = (source) => source,
  ) {
    super({
      s3ClientConfig: { bucket: options.bucket, ...s3ClientConfig(options) },
      partSize: Math.max(options.partSize ?? 0, 8 * 1024 * 1024),
      // Expiry is Sealroom's: the sweeper gives the reservation back and discards the upload. No object tags.
      expirationPeriodInMilliseconds: expiryMs,
      useTags: false,
      cache: NO_CACHE,
    });
    this.prefix = options.prefix;
    // No deferred length: the quota is reserved for the declared length when the upload is created.
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
    // @tus/s3-store names objects by bare upload id and has no key prefix; every request it makes gets its keys
    // moved here to Sealroom's layout, and anything else is refused rather than written somewhere unexpected.
    this.client.middlewareStack.add((next) => (args) => next({ ...args, input: this.placeKeys(args.input) }), {
      step: 'initialize',
      name: 'sealroomResumableUploadKeys',
    });
  }

  async init(): Promise<void> {}

  override write(readable: Readable, id: string, offset: number): Promise<number> {
    return super.write(this.watchBody(readable), checkedUploadId(id), offset);
  }

  /** The completed multipart upload is already `tmp/<id>`, the blob store's temporary blob. */
  async takeCompleted(): Promise<null> {
    return null;
  }

  /** Termination (tus DELETE): the whole upload goes, parts, trailing bytes and description. */
  override async remove(id: string): Promise<void> {
    if ((await this.uploadIdOf(checkedUploadId(id))) === null) throw ERRORS.FILE_NOT_FOUND;
    await this.discard(id);
  }

  async discard(id: string): Promise<void> {
    const uploadId = await this.uploadIdOf(checkedUploadId(id));
    if (uploadId !== null) {
      // A completed upload has no multipart upload left to abort (NoSuchUpload); its object is the blob store's.
      await this.client.abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: uploadId }).catch(ignoreMissing);
    }
    await Promise.all(
      [this.infoKey(id), this.partKey(id, true)].map((key) =>
        this.client.deleteObject({ Bucket: this.bucket, Key: key }).catch(ignoreMissing),
      ),
    );
  }

  async ids(): Promise<string[]> {
    const prefix = s3Key(this.prefix, 'uploads', '');
    const ids = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.client.listObjectsV2({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token });
      for (const object of page.Contents ?? []) {
        const match = TUS_KEY.exec((object.Key ?? '').slice(prefix.length));
        if (match?.[2] && isId(match[1])) ids.add(match[1]);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return [...ids];
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** The S3 multipart upload id of an upload, or null when its description is gone. */
  private async uploadIdOf(id: string): Promise<string | null> {
    try {
      return (await this.getMetadata(id))['upload-id'] ?? null;
    } catch (e) {
      if (isMissingKey(e)) return null;
      throw e;
    }
  }

  private placeKeys<T extends object>(original: T): T {
    const input = original as KeyedInput;
    const placed: KeyedInput = { ...input };
    if (typeof input.Key === 'string') placed.Key = this.place(input.Key);
    if (input.Delete?.Objects)
      placed.Delete = { ...input.Delete, Objects: input.Delete.Objects.map((o) => ({ ...o, Key: this.place(o.Key) })) };
    return placed as T;
  }

  private place(key: string | undefined): string {
    const match = TUS_KEY.exec(key ?? '');
    if (!match || !isId(match[1])) throw new Error(`unexpected resumable-upload key ${JSON.stringify(key)}`);
    return match[2] ? s3Key(this.prefix, 'uploads', key as string) : s3Key(this.prefix, 'tmp', match[1]);
  }
}

interface KeyedInput {
  Key?: string;
  Delete?: { Objects?: { Key?: string }[] };
}

/** Aborting or deleting what is already gone is fine (S3 says NoSuchUpload or NoSuchKey, some servers 404). */
function ignoreMissing(e: unknown): void {
  if (e instanceof S3ServiceException && (e.name === 'NoSuchUpload' || isMissingKey(e))) return;
  throw e;
}
