/**
 * SealroomClient: the high-level API. It creates rooms, joins them from invite links, downloads files from
 * links or room announcements, and checks the server's limits before encrypting. Keys never leave it: the
 * server gets the `auth` key and the owner's public key of the rooms it creates (to check room proofs and
 * owner signatures), the download key of each file it uploads (to check download proofs), and ciphertext.
 * Identity keys, remembered keys of other members and owner credentials live in its {@link IdentityStore}.
 *
 * One client talks to one server: the `baseUrl` given, or else the server of the first link it is handed.
 * Rooms joined by one client share one Socket.IO connection.
 */
import { deriveFileAccessKeys, encryptedSize, plainSizeFromEncrypted } from './crypto/file-cipher.js';
import { makeDownloadProof } from './crypto/proof.js';
import { openFileInfo } from './crypto/sealed.js';
import { generateSigningKey, signingKeyFromSeed, type SigningKey } from './crypto/signing.js';
import { MemoryIdentityStore, storeKeys, type IdentityStore } from './identity-store.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { generateRoomSecret, deriveRoomKeys, newPasswordParams, type PasswordParams } from './crypto/room-keys.js';
import { base64urlEncode } from './crypto/encoding.js';
import { InvalidInputError, InvalidLinkError } from './crypto/errors.js';
import { assertValidId, randomId } from './crypto/ids.js';
import { formatInviteLink, parseFileLink, parseInviteLink } from './crypto/links.js';
import { SealroomError, SealroomServerError } from './errors.js';
import { downloadDecrypted, type FileDownload } from './files/file-download.js';
import { webFileSource, type PlainSource, type SourceHints, type WebFileSource } from './files/file-source.js';
import { defaultUploadTransport, type UploadTransport } from './files/file-upload.js';
import {
  blobRangeBody,
  LocalStorageResumeStore,
  MemoryResumeStore,
  type RangeBody,
  type ResumableUploadOptions,
  type ResumeStore,
} from './files/resumable-upload.js';
import type { TransferTransport } from './files/transfer-transport.js';
import type { RecordAeadFactory } from './crypto/record-aead.js';
import type { ProgressListener } from './files/transfer-progress.js';
import type { ConfigResponse } from './generated/rest/models/ConfigResponse.js';
import { RealtimeConnection, type RealtimeOptions } from './realtime/realtime-connection.js';
import { RestApi, type FetchFunction } from './rest/rest-api.js';
import type { RoomFile } from './room-events.js';
import { Room, deleteRoomAsOwner, type RoomContext } from './room.js';

export interface SealroomClientOptions {
  /**
   * The server's URL, e.g. `https://chat.example`. Optional: without it the client uses the server of the
   * first invite or file link it is given. With it, links only supply room ids and keys.
   */
  baseUrl?: string;
  /**
   * The fetch to use for every request (e.g. one with a proxy agent); the global fetch by default. Given
   * one, the Node entry's client also sends streamed uploads through it instead of node:http.
   */
  fetch?: FetchFunction;
  /**
   * How encrypted uploads are sent: `stream` (fetch with a streamed body; Node) or `blob` (an encrypted Blob
   * sent with XMLHttpRequest; browsers, which stream request bodies only over HTTP/2). Chosen per runtime by default.
   */
  uploadTransport?: UploadTransport;
  /** Socket.IO settings: ack timeout and options for socket.io-client. */
  realtime?: RealtimeOptions;
  /**
   * Where this client keeps its identity key per room, the keys it remembers for other members' names (trust on
   * first use, verified marks) and the owner credentials of rooms it creates. In memory by default: then every
   * run is a new identity to the others. The Node entry has `FileIdentityStore`.
   */
  identityStore?: IdentityStore;
  /**
   * Upload files resumably (tus, `POST /uploads`): an upload cut off goes on from where the server stopped,
   * after a network cut (automatic retries) or, with a persistent {@link ResumeStore}, when the same file is
   * shared again into the same room later. `true` keeps resume state in localStorage in browsers and in memory
   * elsewhere (the Node entry has `FileResumeStore`). Only sources that can be read again from an offset (Blobs,
   * Files, whole files in Node) resume; others upload in one request as without this option.
   */
  resumableUploads?: boolean | ResumableUploadOptions;
}

/** A room just created. */
export interface CreatedRoom {
  /** The invite link `BASE_URL/r/<room_id>#<secret>` (no `#secret` for a password-only room). */
  link: string;
  roomId: string;
  /**
   * The owner credential (an Ed25519 seed, base64url, 43 characters): deleting the room needs it. Secret: not
   * part of the invite link. Also saved in the client's identity store; keep it yourself if that store is not
   * persistent.
   */
  ownerCredential: string;
}

/** What a file link's holder can learn about the file before downloading it (not counted as a download). */
export interface FileInfo {
  fileId: string;
  /** Ciphertext size in bytes, as stored. */
  encryptedSize: number;
  /** When the server deletes it, Unix milliseconds. */
  expiresAt: number;
  /** The download limit, or null for none. */
  maxDownloads: number | null;
  /** Downloads left before the limit, or null for no limit. */
  downloadsLeft: number | null;
  /** The uploader's sealed info, opened with the file key; absent when the uploader attached none. */
  name?: string;
  type?: string;
  /** Plaintext size in bytes (from the sealed info; else computed from the ciphertext size). */
  size: number;
}

export interface CreateRoomOptions {
  /** A room password, mixed into the room's keys (PBKDF2-SHA256). */
  password?: string;
  /**
   * With a password: leave the random secret out, so the room id and the password are all a member needs
   * (the invite link then has no `#secret`). Weaker: anyone who guesses the password can join.
   */
  passwordOnly?: boolean;
  /** A custom room id (6-36 characters of `[A-Za-z0-9_-]`); a random 128-bit one by default. */
  roomId?: string;
}

export interface JoinOptions {
  /** The display name the others see (sealed; the server never sees it). */
  name: string;
  /** The room password, for rooms that have one. */
  password?: string;
}

export interface DownloadOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** What `downloadFile` accepts: a file link, a file announced in a room, or a file id with its key. */
export type DownloadTarget = string | RoomFile | { fileId: string; key: Uint8Array };

/** How long the server limits are cached between uploads, in ms. */
const CONFIG_TTL_MS = 60_000;

export class SealroomClient<Source = WebFileSource> {
  private baseUrl: string | undefined;
  private restApi: RestApi | undefined;
  private connection: RealtimeConnection | undefined;
  private readonly rooms = new Set<Room<Source>>();
  private configCache: { value: ConfigResponse; at: number } | undefined;
  private readonly uploadTransport: UploadTransport;
  private defaultResumeStore: ResumeStore | undefined;
  /** Where identity keys, remembered keys and owner credentials are kept. */
  readonly identityStore: IdentityStore;

  constructor(protected readonly options: SealroomClientOptions = {}) {
    if (options.baseUrl !== undefined) this.baseUrl = checkBaseUrl(options.baseUrl);
    this.uploadTransport = options.uploadTransport ?? defaultUploadTransport();
    this.identityStore = options.identityStore ?? new MemoryIdentityStore();
  }

  /** The server's REST API (the generated client, with typed errors). */
  get rest(): RestApi {
    if (this.baseUrl === undefined) throw new InvalidInputError('no server yet: pass `baseUrl`, or a link first');
    this.restApi ??= new RestApi(this.baseUrl, this.options.fetch);
    return this.restApi;
  }

  /** Adopts a link's server when no baseUrl was given. */
  private useServerOf(linkBaseUrl: string): void {
    this.baseUrl ??= linkBaseUrl;
  }

  /**
   * The server's limits (max upload size, storage, lifetimes, KDF minimum, realtime limits).
   * @throws SealroomServerError, SealroomError `NETWORK_ERROR`
   */
  async getConfig(): Promise<ConfigResponse> {
    const value = await this.rest.call((api) => api.server.config());
    this.configCache = { value, at: Date.now() };
    return value;
  }

  private async cachedConfig(): Promise<ConfigResponse> {
    if (this.configCache && Date.now() - this.configCache.at < CONFIG_TTL_MS) return this.configCache.value;
    return this.getConfig();
  }

  /**
   * Checks that a file of `plainSize` bytes may be uploaded, before anything is encrypted or sent.
   * @throws SealroomError `FILE_TOO_LARGE` (its ciphertext, `encryptedSize(plainSize)`, is over the limit), `UPLOADS_DISABLED`
   */
  async checkUpload(plainSize: number): Promise<void> {
    const { max_upload_bytes: limit } = await this.cachedConfig();
    if (limit === 0) throw new SealroomError('UPLOADS_DISABLED', 'uploads are switched off on this server');
    const size = encryptedSize(plainSize);
    if (size > limit)
      throw new SealroomError('FILE_TOO_LARGE', `the file would be ${size} bytes encrypted; this server takes at most ${limit}`);
  }

  /**
   * Creates a room with a fresh owner key and returns its invite link `BASE_URL/r/<room_id>#<secret>` (without
   * `#secret` for a password-only room) and the owner credential. Anyone with the link (and the password, if
   * any) can join; keep it private. Only the holder of the owner credential can delete the room.
   * @throws SealroomServerError (ROOM_EXISTS, VALIDATION_FAILED, RATE_LIMITED), SealroomCryptoError (bad id or password)
   */
  async createRoom(options: CreateRoomOptions = {}): Promise<CreatedRoom> {
    const roomId = options.roomId === undefined ? randomId() : assertValidId(options.roomId, 'room_id');
    if (options.passwordOnly && !options.password) throw new InvalidInputError('a password-only room needs a password');
    const config = await this.cachedConfig();
    let password: PasswordParams | undefined;
    if (options.password !== undefined) {
      const params = newPasswordParams();
      password = { ...params, iterations: Math.max(params.iterations, config.kdf.min_iterations) };
    }
    const secret = options.passwordOnly ? null : generateRoomSecret();
    const keys = await deriveRoomKeys({
      roomId,
      secret,
      ...(password && options.password !== undefined ? { password: { ...password, password: options.password } } : {}),
    });
    const owner = await generateSigningKey();
    await this.rest.call((api) =>
      api.rooms.createRoom({
        requestBody: {
          protocol: PROTOCOL_VERSION,
          room_id: roomId,
          auth: base64urlEncode(keys.authRaw),
          owner_key: owner.publicKey,
          ...(password ? { password } : {}),
        },
      }),
    );
    await this.identityStore.set(storeKeys.owner(roomId), owner.seed);
    return { link: formatInviteLink(config.public_url, roomId, secret), roomId, ownerCredential: owner.seed };
  }

  /**
   * Deletes a room (and its files) as its owner, without joining it. `room` is an invite link or a room id (then
   * with a `baseUrl` or an earlier link); the owner credential defaults to the one in the identity store.
   * @throws SealroomError `OWNER_CREDENTIAL_REQUIRED`, SealroomServerError (`OWNER_SIGNATURE_INVALID`, `ROOM_NOT_FOUND`)
   */
  async deleteRoom(room: string, ownerCredential?: string): Promise<void> {
    let roomId: string;
    if (/^[A-Za-z0-9_-]{6,36}$/.test(room)) {
      roomId = room;
    } else {
      const link = parseInviteLink(room);
      this.useServerOf(link.baseUrl);
      roomId = link.roomId;
    }
    const credential = ownerCredential ?? (await this.identityStore.get(storeKeys.owner(roomId)));
    if (credential === undefined) throw new SealroomError('OWNER_CREDENTIAL_REQUIRED', "only the room's owner can delete it");
    await deleteRoomAsOwner(this.rest, roomId, credential);
  }

  /** The owner credential kept in the identity store for a room this client created, if any. */
  async ownerCredential(roomId: string): Promise<string | undefined> {
    return (await this.identityStore.get(storeKeys.owner(assertValidId(roomId, 'room_id')))) ?? undefined;
  }

  /** This client's identity key in a room: the stored one, or a new one (then stored). */
  private async identityFor(roomId: string): Promise<SigningKey> {
    const stored = await this.identityStore.get(storeKeys.identity(roomId));
    if (stored !== undefined) {
      try {
        return await signingKeyFromSeed(stored);
      } catch {
        // unreadable: replaced below
      }
    }
    const identity = await generateSigningKey();
    await this.identityStore.set(storeKeys.identity(roomId), identity.seed);
    return identity;
  }

  /**
   * Joins a room from its invite link. Resolves with the room handle once the server accepted the join;
   * add listeners right away (events are held until the caller's code after `await` has run).
   * @throws SealroomCryptoError `INVALID_LINK`, SealroomError `PASSWORD_REQUIRED`, SealroomServerError
   *   (`ROOM_NOT_FOUND`; `PROOF_INVALID` for a wrong password or secret; `ROOM_FULL`), SealroomError `NETWORK_ERROR`
   */
  async join(invite: string, options: JoinOptions): Promise<Room<Source>> {
    const link = parseInviteLink(invite);
    this.useServerOf(link.baseUrl);
    const room = await this.rest.call((api) => api.rooms.roomExists({ roomId: link.roomId }));
    if (room.password && options.password === undefined) throw new SealroomError('PASSWORD_REQUIRED', 'this room has a password');
    if (!room.password && link.secret === null) throw new InvalidLinkError('the invite link has no secret and the room has no password');
    const keys = await deriveRoomKeys({
      roomId: link.roomId,
      secret: link.secret,
      ...(room.password && options.password !== undefined ? { password: { ...room.password, password: options.password } } : {}),
    });
    const identity = await this.identityFor(link.roomId);
    const handle = new Room<Source>(this.roomContext(), {
      roomId: link.roomId,
      keys,
      linkBaseUrl: link.baseUrl,
      name: options.name,
      identity,
    });
    this.rooms.add(handle);
    try {
      await handle.join();
    } catch (error) {
      this.rooms.delete(handle);
      this.releaseConnectionIfIdle();
      if (error instanceof SealroomServerError && error.code === 'PROOF_INVALID') {
        throw new SealroomServerError(
          'PROOF_INVALID',
          room.password ? 'wrong password (or invite link)' : 'the invite link does not match this room',
          { cause: error },
        );
      }
      throw error;
    }
    return handle;
  }

  /**
   * Downloads a file and decrypts it as it arrives. Resolves once the server answered, with the plaintext
   * stream (see {@link FileDownload}: trust the data once the stream has closed without error).
   * @throws SealroomCryptoError `INVALID_LINK`, SealroomServerError `FILE_NOT_FOUND`, SealroomError `NETWORK_ERROR`, `ABORTED`
   */
  async downloadFile(target: DownloadTarget, options: DownloadOptions = {}): Promise<FileDownload & { name?: string; type?: string }> {
    const { fileId, fileKey, announced } = this.resolveTarget(target);
    const download = await downloadDecrypted(this.rest, {
      fileId,
      fileKey,
      ...(announced ? { expectedEncryptedSize: announced.encryptedSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(this.transferTransport() ? { sender: this.transferTransport() } : {}),
      ...(this.recordAead() ? { aead: this.recordAead() } : {}),
    });
    return announced ? { ...download, name: announced.name, type: announced.type } : download;
  }

  /**
   * What the server knows about a file, and its sealed info (name, type, size) opened with the file key: lets a
   * file link describe itself before anything is downloaded. Shows a download proof; not counted as a download.
   * @throws SealroomCryptoError `INVALID_LINK`, SealroomServerError (`FILE_NOT_FOUND`, `PROOF_INVALID`), SealroomError `NETWORK_ERROR`
   */
  async getFileInfo(target: DownloadTarget, options: { signal?: AbortSignal } = {}): Promise<FileInfo> {
    const { fileId, fileKey } = this.resolveTarget(target);
    const access = await deriveFileAccessKeys(fileKey);
    const proof = await makeDownloadProof(access.dk, fileId);
    const info = await this.rest.call((api) => api.files.fileInfo({ filename: fileId, xDownloadProof: proof }), options.signal);
    let sealed: { name: string; type: string; size: number } | undefined;
    if (info.file_info) {
      try {
        sealed = await openFileInfo(access.fm, info.file_info);
      } catch {
        sealed = undefined; // not openable with this key: shown as no info
      }
    }
    return {
      fileId: info.file_id,
      encryptedSize: info.size,
      expiresAt: info.expires_at,
      maxDownloads: info.max_downloads,
      downloadsLeft: info.downloads_left,
      ...(sealed ? { name: sealed.name, type: sealed.type } : {}),
      size: sealed ? sealed.size : plainSizeFromEncrypted(info.size),
    };
  }

  private resolveTarget(target: DownloadTarget): { fileId: string; fileKey: Uint8Array; announced?: RoomFile } {
    if (typeof target === 'string') {
      const link = parseFileLink(target);
      this.useServerOf(link.baseUrl);
      return { fileId: link.fileId, fileKey: link.fileKey };
    }
    if ('fileId' in target) return { fileId: assertValidId(target.fileId, 'file_id'), fileKey: target.key };
    return { fileId: target.id, fileKey: target.key, announced: target };
  }

  /** Leaves every room and closes the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.rooms].map((room) => room.leave()));
    this.connection?.close();
    this.connection = undefined;
  }

  /** How file transfers are sent; fetch when undefined. The Node entry's client uses node:http. */
  protected transferTransport(): TransferTransport | undefined {
    return undefined;
  }

  /** The AES-GCM implementation for file records; WebCrypto when undefined. The Node entry's client uses node:crypto. */
  /** How a range of ciphertext becomes a resumable upload's request body: a Blob here, a Readable in the Node entry. */
  protected rangeBody(): RangeBody {
    return blobRangeBody;
  }

  private resumableOptions(): ResumableUploadOptions | undefined {
    const option = this.options.resumableUploads;
    if (!option) return undefined;
    if (option !== true) return option;
    this.defaultResumeStore ??= typeof localStorage !== 'undefined' ? new LocalStorageResumeStore() : new MemoryResumeStore();
    return { store: this.defaultResumeStore };
  }

  protected recordAead(): RecordAeadFactory | undefined {
    return undefined;
  }

  /** Normalizes a file source; subclasses (the Node entry) accept more kinds. @throws SealroomError `INVALID_SOURCE` */
  protected async toPlainSource(source: Source, hints: SourceHints): Promise<PlainSource> {
    return webFileSource(source as WebFileSource, hints);
  }

  private roomContext(): RoomContext<Source> {
    this.connection ??= new RealtimeConnection(this.rest.baseUrl, this.options.realtime);
    return {
      rest: this.rest,
      connection: this.connection,
      uploadTransport: this.uploadTransport,
      ...(this.transferTransport() ? { transferTransport: this.transferTransport() } : {}),
      ...(this.recordAead() ? { recordAead: this.recordAead() } : {}),
      ...(this.resumableOptions() ? { resumable: { ...this.resumableOptions()!, body: this.rangeBody() } } : {}),
      toPlainSource: (source, hints) => this.toPlainSource(source, hints),
      checkUpload: (size) => this.checkUpload(size),
      store: this.identityStore,
      released: (room) => {
        this.rooms.delete(room);
        this.releaseConnectionIfIdle();
      },
    };
  }

  /** Closes the connection once no room uses it. */
  private releaseConnectionIfIdle(): void {
    if (this.connection && this.rooms.size === 0 && this.connection.roomCount === 0) {
      const connection = this.connection;
      this.connection = undefined;
      // After the current task, so that a `room:leave` being sent still goes out.
      setTimeout(() => connection.close(), 0);
    }
  }
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new InvalidInputError('baseUrl is not a valid URL', 'INVALID_INPUT', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInputError('baseUrl must be http or https');
  return url.origin + url.pathname.replace(/\/+$/, '');
}
