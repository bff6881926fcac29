/**
 * SealroomClient: the high-level API. It creates rooms, joins them from invite links, downloads files from
 * links or room announcements, and checks the server's limits before encrypting. Keys never leave it: the
 * server gets the `auth` key of the rooms it creates (to check room proofs) and ciphertext.
 *
 * One client talks to one server: the `baseUrl` given, or else the server of the first link it is handed.
 * Rooms joined by one client share one Socket.IO connection.
 */
import { encryptedSize } from './crypto/file-cipher.js';
import { generateRoomSecret, deriveRoomKeys, newPasswordParams, type PasswordParams } from './crypto/room-keys.js';
import { base64urlEncode } from './crypto/encoding.js';
import { InvalidInputError, InvalidLinkError } from './crypto/errors.js';
import { assertValidId, randomId } from './crypto/ids.js';
import { formatInviteLink, parseFileLink, parseInviteLink } from './crypto/links.js';
import { SealroomError, SealroomServerError } from './errors.js';
import { downloadDecrypted, type FileDownload } from './files/file-download.js';
import { webFileSource, type PlainSource, type SourceHints, type WebFileSource } from './files/file-source.js';
import { defaultUploadTransport, type UploadTransport } from './files/file-upload.js';
import type { TransferTransport } from './files/transfer-transport.js';
import type { RecordAeadFactory } from './crypto/record-aead.js';
import type { ProgressListener } from './files/transfer-progress.js';
import type { ConfigResponse } from './generated/rest/models/ConfigResponse.js';
import { RealtimeConnection, type RealtimeOptions } from './realtime/realtime-connection.js';
import { RestApi, type FetchFunction } from './rest/rest-api.js';
import type { RoomFile } from './room-events.js';
import { Room, type RoomContext } from './room.js';

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

  constructor(protected readonly options: SealroomClientOptions = {}) {
    if (options.baseUrl !== undefined) this.baseUrl = checkBaseUrl(options.baseUrl);
    this.uploadTransport = options.uploadTransport ?? defaultUploadTransport();
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
   * Creates a room and returns its invite link `BASE_URL/r/<room_id>#<secret>` (without `#secret` for a
   * password-only room). Anyone with the link (and the password, if any) can join; keep it private.
   * @throws SealroomServerError (ROOM_EXISTS, VALIDATION_FAILED, RATE_LIMITED), SealroomCryptoError (bad id or password)
   */
  async createRoom(options: CreateRoomOptions = {}): Promise<string> {
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
    await this.rest.call((api) =>
      api.rooms.createRoom({ requestBody: { room_id: roomId, auth: base64urlEncode(keys.authRaw), ...(password ? { password } : {}) } }),
    );
    return formatInviteLink(config.public_url, roomId, secret);
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
    const handle = new Room<Source>(this.roomContext(), { roomId: link.roomId, keys, linkBaseUrl: link.baseUrl, name: options.name });
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
    let fileId: string;
    let fileKey: Uint8Array;
    let announced: RoomFile | undefined;
    if (typeof target === 'string') {
      const link = parseFileLink(target);
      this.useServerOf(link.baseUrl);
      fileId = link.fileId;
      fileKey = link.fileKey;
    } else if ('fileId' in target) {
      fileId = assertValidId(target.fileId, 'file_id');
      fileKey = target.key;
    } else {
      announced = target;
      fileId = target.id;
      fileKey = target.key;
    }
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
      toPlainSource: (source, hints) => this.toPlainSource(source, hints),
      checkUpload: (size) => this.checkUpload(size),
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
