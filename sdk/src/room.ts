/**
 * A joined room: its members, the decrypted messages and files that arrive, and sending. Incoming events are
 * decrypted one at a time in arrival order (the server's `seq` order) and duplicates are dropped by id.
 * After a dropped connection the room is usable again either through Socket.IO's session recovery (the server
 * replays what was missed) or by joining again under the same member id; sends made meanwhile wait in the
 * outbox and go out afterwards with their original ids.
 */
import { base64urlDecode, base64urlEncode } from './crypto/encoding.js';
import { deriveFileAccessKeys, generateFileKey } from './crypto/file-cipher.js';
import { formatFileLink } from './crypto/links.js';
import {
  validateFileInfoPayload,
  validateFileMetaPayload,
  validateMessagePayload,
  type Unsigned,
  type MessagePayload,
} from './crypto/payloads.js';
import { makeProof } from './crypto/proof.js';
import { randomId } from './crypto/ids.js';
import type { RoomKeys } from './crypto/room-keys.js';
import {
  openSignedFileMeta,
  openSignedMessage,
  openSignedProfile,
  sealFileInfo,
  sealSignedFileMeta,
  sealSignedMessage,
  sealSignedProfile,
  type SealedValue,
} from './crypto/sealed.js';
import { makeOwnerSignature, safetyCode, signingKeyFromSeed, type SigningKey } from './crypto/signing.js';
import { isSealroomCryptoError } from './crypto/errors.js';
import { readTrust, storeKeys, writeTrust, type IdentityStore } from './identity-store.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { SealroomError, SealroomServerError, isSealroomError } from './errors.js';
import type { PlainSource, SourceHints } from './files/file-source.js';
import { uploadEncrypted, type UploadTransport } from './files/file-upload.js';
import { uploadResumable, type RangeBody, type ResumableUploadOptions, type ResumeRecord } from './files/resumable-upload.js';
import type { UploadResponse } from './generated/rest/models/UploadResponse.js';
import type { TransferTransport } from './files/transfer-transport.js';
import type { RecordAeadFactory } from './crypto/record-aead.js';
import type { ProgressListener } from './files/transfer-progress.js';
import type { BacklogEntry, FileNewPayload, Member, MessageNewPayload, RoomJoinAck } from '@sealroom/contracts';
import { Outbox } from './realtime/outbox.js';
import type { RealtimeConnection, RoomChannel, ServerEvent } from './realtime/realtime-connection.js';
import { SeenIds } from './realtime/seen-ids.js';
import { TypedEmitter } from './realtime/typed-emitter.js';
import type { RestApi } from './rest/rest-api.js';
import type {
  DropReason,
  DroppedEvent,
  MemberEvent,
  RoomClosedEvent,
  RoomEventMap,
  RoomFile,
  RoomMember,
  RoomMessage,
} from './room-events.js';

/** What a room uses of its client. */
export interface RoomContext<Source> {
  rest: RestApi;
  connection: RealtimeConnection;
  uploadTransport: UploadTransport;
  /** How file transfers are sent (the Node entry's uses node:http); fetch when absent. */
  transferTransport?: TransferTransport;
  recordAead?: RecordAeadFactory;
  /** Resumable uploads, when the client has them on. */
  resumable?: ResumableUploadOptions & { body: RangeBody };
  /** Normalizes a file source. @throws SealroomError `INVALID_SOURCE` */
  toPlainSource(source: Source, hints: SourceHints): Promise<PlainSource>;
  /** Checks the server's upload limit for a plaintext size. @throws SealroomError `FILE_TOO_LARGE`, `UPLOADS_DISABLED` */
  checkUpload(plainSize: number): Promise<void>;
  /** The room was left or closed. */
  released(room: Room<Source>): void;
  /** Where identity keys, remembered keys and owner credentials are kept. */
  store: IdentityStore;
}

export interface RoomSetup {
  roomId: string;
  keys: RoomKeys;
  /** The base URL of the invite link, for the file links made in this room. */
  linkBaseUrl: string;
  name: string;
  /** This client's identity key in the room. */
  identity: SigningKey;
}

export interface SendOptions {
  /** The id of the message this one answers. */
  replyTo?: string;
}

export interface ShareFileOptions extends SourceHints {
  /** The file name shown to the others (default: the File's or file's own name). */
  name?: string;
  /** MIME type (default: the Blob's type, else empty). */
  type?: string;
  /** Delete the file after this many downloads (1-1000). */
  maxDownloads?: number;
  /**
   * Attach the file's sealed info (name, type, size; readable only with the file key) to the upload, so that a
   * file link describes itself before downloading ({@link SealroomClient.getFileInfo}). Default true.
   */
  fileInfo?: boolean;
  /**
   * Delete the file this many seconds after the upload instead of at the server's file age limit
   * (1 to `file_age_ms` / 1000 from `GET /config`).
   */
  expiresIn?: number;
  onProgress?: ProgressListener;
  /**
   * With resumable uploads on: called when this share resumes an earlier, interrupted upload of the same file
   * into this room, with the plaintext bytes the server already held (e.g. to say "resuming at 47 %").
   */
  onResume?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

export type RoomState = 'joining' | 'joined' | 'reconnecting' | 'closed' | 'left';

/** Attempts at rejoining under the same member id before taking a fresh one (the server may not have noticed the drop yet). */
const SAME_ID_REJOIN_ATTEMPTS = 3;
const REJOIN_RETRY_MS = [250, 1000, 2000, 5000, 10_000];
/** The server relays `room:typing` at most this often per member (asyncapi.yaml, operation `typing`). */
const TYPING_INTERVAL_MS = 2_000;

export class Room<Source = unknown> extends TypedEmitter<RoomEventMap> implements RoomChannel {
  readonly id: string;
  private readonly keys: RoomKeys;
  private readonly linkBaseUrl: string;
  private readonly name: string;
  private readonly identity: SigningKey;
  /** Identity keys of every member seen (null: its profile failed), also after they left, to verify late messages. */
  private readonly identities = new Map<string, string | null>();
  private memberIdValue = randomId();
  private readonly self: RoomMember;
  private profile: SealedValue | undefined;
  private stateValue: RoomState = 'joining';
  private readonly others = new Map<string, RoomMember>();
  /** Names of everyone seen in the room, also after they left, to attribute late messages. */
  private readonly names = new Map<string, string | null>();
  private readonly seen = new SeenIds();
  private readonly outbox: Outbox;
  private inbox: Promise<void>;
  private openInbox!: () => void;
  private rejoining = false;
  /** While joining again: events that arrived before the join's ack, handled after its backlog. */
  private held: ServerEvent[] | null = null;
  private backlogValue: Array<RoomMessage | RoomFile> = [];
  /** When `typing()` last sent `room:typing`. */
  private lastTyping = -Infinity;

  constructor(
    private readonly context: RoomContext<Source>,
    setup: RoomSetup,
  ) {
    super();
    this.id = setup.roomId;
    this.keys = setup.keys;
    this.linkBaseUrl = setup.linkBaseUrl;
    this.name = setup.name;
    this.identity = setup.identity;
    this.self = {
      id: this.memberIdValue,
      name: this.name,
      self: true,
      identityKey: this.identity.publicKey,
      verified: true,
      keyChanged: false,
      sameName: false,
    };
    // Events are held until join() has returned the room, so that listeners added right after it miss nothing.
    this.inbox = new Promise<void>((resolve) => (this.openInbox = resolve));
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below read the room's live state
    const room = this;
    this.outbox = new Outbox({
      get canSend() {
        return room.stateValue === 'joined' && room.context.connection.connected;
      },
      get memberId() {
        return room.memberIdValue;
      },
      membershipLost: () => this.membershipLost(),
    });
  }

  /** This client's member id in the room. */
  get memberId(): string {
    return this.memberIdValue;
  }

  get state(): RoomState {
    return this.stateValue;
  }

  /** This client as a member. */
  get me(): RoomMember {
    this.self.id = this.memberIdValue;
    return this.self;
  }

  /** Everyone present, this client first. */
  get members(): RoomMember[] {
    return [this.me, ...this.others.values()];
  }

  /** This client's identity key in the room (base64url). */
  get identityKey(): string {
    return this.identity.publicKey;
  }

  // ---- identity and trust ----------------------------------------------------------------------------

  /**
   * The safety code of this client and `member`: 30 digits in 6 groups (e.g. `"04211 93310 …"`), the same on
   * both sides. Compare it out of band (in person, on a call); if it matches, {@link verify} the member.
   * @throws SealroomError `INVALID_INPUT` for a member without an identity key (its profile failed)
   */
  async safetyCode(member: RoomMember): Promise<string> {
    if (member.identityKey === null) throw new SealroomError('INVALID_INPUT', 'this member has no verified identity key');
    return safetyCode(this.id, this.identity.publicKey, member.identityKey);
  }

  /**
   * Marks `member` as verified (after comparing safety codes): remembered for its display name and identity
   * key, so it stays verified across joins until the key changes.
   * @throws SealroomError `INVALID_INPUT` for a member without an identity key or name
   */
  async verify(member: RoomMember): Promise<void> {
    if (member.identityKey === null || member.name === null)
      throw new SealroomError('INVALID_INPUT', 'this member has no verified identity key');
    await writeTrust(this.context.store, this.id, member.name, { identity_key: member.identityKey, verified: true });
    for (const other of this.others.values()) {
      if (other.name === member.name && other.identityKey === member.identityKey) {
        other.verified = true;
        other.keyChanged = false;
      }
    }
    member.verified = true;
    member.keyChanged = false;
  }

  /** Checks a member's key against the one remembered for its name (trust on first use). */
  private async applyTrust(member: RoomMember): Promise<void> {
    if (member.name === null || member.identityKey === null) return;
    const known = await readTrust(this.context.store, this.id, member.name);
    if (known === undefined) {
      await writeTrust(this.context.store, this.id, member.name, { identity_key: member.identityKey, verified: false });
    } else if (known.identity_key === member.identityKey) {
      member.verified = known.verified;
    } else {
      member.keyChanged = true;
      member.verified = false;
      // The new key is remembered from now on (unverified); the warning is for this appearance.
      await writeTrust(this.context.store, this.id, member.name, { identity_key: member.identityKey, verified: false });
      this.emitSoon('key_changed', { member, previousKey: known.identity_key });
    }
  }

  /** Recomputes `sameName` on everyone present. */
  private markSameNames(): void {
    const counts = new Map<string, number>();
    for (const member of this.members) if (member.name !== null) counts.set(member.name, (counts.get(member.name) ?? 0) + 1);
    for (const member of this.members) member.sameName = member.name !== null && (counts.get(member.name) ?? 0) > 1;
  }

  /**
   * With MESSAGE_BACKLOG set on the server: the messages and files it kept from before this client joined,
   * oldest first (they are not emitted as events). Empty otherwise.
   */
  get backlog(): ReadonlyArray<RoomMessage | RoomFile> {
    return this.backlogValue;
  }

  // ---- joining ---------------------------------------------------------------------------------------

  /**
   * Joins on the connection (called once by the client). The room is registered before the request so
   * events that arrive before the ack are kept.
   * @throws SealroomServerError (e.g. PROOF_INVALID: wrong password or link; ROOM_FULL), SealroomError
   */
  async join(): Promise<void> {
    this.context.connection.register(this.id, this);
    try {
      await this.context.connection.ready();
      const ack = await this.sendJoin();
      await this.applyMembers(ack.members, false);
      this.backlogValue = await this.openBacklog(ack.backlog);
      this.stateValue = 'joined';
      setTimeout(() => this.openInbox(), 0);
    } catch (error) {
      this.context.connection.unregister(this.id, this);
      this.stateValue = 'left';
      throw error;
    }
  }

  private async sendJoin(): Promise<RoomJoinAck> {
    this.profile ??= await sealSignedProfile(this.keys.msg, this.identity, { roomId: this.id, memberId: this.memberIdValue }, this.name);
    this.identities.set(this.memberIdValue, this.identity.publicKey);
    const proof = await makeProof(this.keys.auth, 'join', this.id);
    return this.context.connection.join({
      protocol: PROTOCOL_VERSION,
      room_id: this.id,
      member_id: this.memberIdValue,
      proof,
      profile: this.profile,
    });
  }

  // ---- sending ---------------------------------------------------------------------------------------

  private ensureUsable(): void {
    if (this.stateValue === 'closed') throw new SealroomError('ROOM_CLOSED', 'the room is closed');
    if (this.stateValue === 'left') throw new SealroomError('ROOM_CLOSED', 'this client left the room');
  }

  /**
   * Sends a message; resolves once the server acknowledged it (after reconnects if need be).
   * @throws SealroomCryptoError `INVALID_INPUT` (e.g. text over 16,000 characters), SealroomError `ROOM_CLOSED`,
   *   SealroomServerError (e.g. PAYLOAD_TOO_LARGE)
   */
  async send(text: string, options: SendOptions = {}): Promise<RoomMessage> {
    this.ensureUsable();
    const id = randomId();
    const payload: Unsigned<MessagePayload> = {
      text,
      sent_at: Date.now(),
      ...(options.replyTo !== undefined ? { reply_to: options.replyTo } : {}),
    };
    // Checks the text now, synchronously, so sends keep their order (the signature's shape is a placeholder).
    validateMessagePayload({ ...payload, sig: 'A'.repeat(86) }, 'seal');
    // Signed and sealed for the member id current when it goes out (a rejoin may have changed it).
    const seal = (memberId: string) =>
      sealSignedMessage(this.keys.msg, this.identity, { roomId: this.id, messageId: id, memberId }, payload);
    this.seen.add(id);
    const ack = await this.outbox.submit(id, async (memberId) => {
      const sealed = await seal(memberId);
      return () => this.context.connection.sendMessage({ room_id: this.id, id, ...sealed });
    });
    return {
      id,
      roomId: this.id,
      from: this.me,
      text,
      ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}),
      sentAt: ack.sent_at,
      senderSentAt: payload.sent_at,
      seq: ack.seq,
    };
  }

  /**
   * Encrypts and uploads a file, then announces it to the room. The server's upload limit is checked first:
   * a file over it fails with `FILE_TOO_LARGE` before any byte is read or sent.
   * @throws SealroomError (`FILE_TOO_LARGE`, `UPLOADS_DISABLED`, `INVALID_SOURCE`, `ABORTED`, `NETWORK_ERROR`,
   *   `ROOM_CLOSED`), SealroomServerError (e.g. STORAGE_FULL), SealroomCryptoError `INVALID_INPUT` (bad name or type)
   */
  async shareFile(source: Source, options: ShareFileOptions = {}): Promise<RoomFile> {
    this.ensureUsable();
    const plain = await this.context.toPlainSource(source, options);
    const name = options.name ?? plain.name;
    if (name === undefined) throw new SealroomError('INVALID_INPUT', 'a file name is needed (the `name` option)');
    const type = options.type ?? plain.type ?? '';
    // A resumable upload of the same file into this room picks up its file key: the ciphertext must be the same.
    const resumable = this.context.resumable && plain.streamFrom ? this.context.resumable : undefined;
    const resumeKey = resumable && plain.fingerprint ? `${this.context.rest.baseUrl}|${this.id}|${plain.fingerprint}` : undefined;
    const saved = resumeKey ? await resumable!.store.get(resumeKey) : undefined;
    const fileKey = saved && saved.size === plain.size ? base64urlDecode(saved.fileKey) : generateFileKey();
    const { sig: _placeholder, ...meta } = validateFileMetaPayload(
      { name, type, size: plain.size, key: base64urlEncode(fileKey), sig: 'A'.repeat(86) },
      'seal',
    );
    await this.context.checkUpload(plain.size);
    const access = await deriveFileAccessKeys(fileKey);
    const fileInfo =
      options.fileInfo === false
        ? undefined
        : await sealFileInfo(access.fm, validateFileInfoPayload({ name, type, size: plain.size }, 'seal'));
    const uploaded = resumable
      ? await this.uploadResumably(plain, fileKey, resumable, resumeKey, saved, access.dkRaw, fileInfo, options)
      : await uploadEncrypted(this.context.rest, {
          roomId: this.id,
          proof: await makeProof(this.keys.auth, 'upload', this.id),
          source: plain,
          fileKey,
          downloadKey: base64urlEncode(access.dkRaw),
          ...(fileInfo ? { fileInfo: JSON.stringify(fileInfo) } : {}),
          ...(options.maxDownloads !== undefined ? { maxDownloads: options.maxDownloads } : {}),
          ...(options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          transport: this.context.uploadTransport,
          ...(this.context.transferTransport ? { sender: this.context.transferTransport } : {}),
          ...(this.context.recordAead ? { aead: this.context.recordAead } : {}),
        });
    this.ensureUsable();
    const fileId = uploaded.file_id;
    this.seen.add(fileId);
    // Signed and sealed for the member id current when it goes out: the sender is in the AAD and the signature.
    const ack = await this.outbox.submit(fileId, async (memberId) => {
      const sealed = await sealSignedFileMeta(this.keys.meta, this.identity, { roomId: this.id, fileId, memberId }, meta);
      return () => this.context.connection.shareFile({ room_id: this.id, file_id: fileId, ...sealed });
    });
    return this.fileFrom(fileId, this.me, meta, { size: uploaded.size, expiresAt: uploaded.expires_at, sentAt: ack.sent_at, seq: ack.seq });
  }

  /** Uploads over tus, saving resume state under `resumeKey` once the server named the upload; removed once done. */
  private async uploadResumably(
    plain: PlainSource,
    fileKey: Uint8Array,
    resumable: ResumableUploadOptions & { body: RangeBody },
    resumeKey: string | undefined,
    saved: ResumeRecord | undefined,
    dkRaw: Uint8Array,
    fileInfo: object | undefined,
    options: ShareFileOptions,
  ): Promise<UploadResponse> {
    const uploaded = await uploadResumable({
      baseUrl: this.context.rest.baseUrl,
      roomId: this.id,
      proof: () => makeProof(this.keys.auth, 'upload', this.id),
      source: plain,
      fileKey,
      downloadKey: base64urlEncode(dkRaw),
      ...(fileInfo ? { fileInfo: JSON.stringify(fileInfo) } : {}),
      ...(options.maxDownloads !== undefined ? { maxDownloads: options.maxDownloads } : {}),
      ...(options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {}),
      ...(saved && saved.size === plain.size ? { uploadUrl: saved.uploadUrl } : {}),
      ...(resumeKey
        ? {
            onUploadUrl: (url: string) =>
              resumable.store.set(resumeKey, {
                uploadUrl: url,
                fileKey: base64urlEncode(fileKey),
                size: plain.size,
                createdAt: Date.now(),
              }),
          }
        : {}),
      ...(options.onResume ? { onResumed: options.onResume } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      options: resumable,
      body: resumable.body,
      ...(this.context.recordAead ? { aead: this.context.recordAead } : {}),
    });
    if (resumeKey) await resumable.store.remove(resumeKey);
    return uploaded;
  }

  /**
   * Tells the others this member is typing (`room:typing`). Call it as the person types: it sends at most one
   * event every 2 seconds (the server's limit) and never fails: while disconnected, or if the server does not
   * answer, nothing happens. Resolves whether or not an event was sent.
   */
  async typing(): Promise<void> {
    const now = Date.now();
    if (this.stateValue !== 'joined' || !this.context.connection.connected || now - this.lastTyping < TYPING_INTERVAL_MS) return;
    this.lastTyping = now;
    await this.context.connection.typing({ room_id: this.id }).catch(() => undefined);
  }

  /** Leaves the room; pending sends fail with ROOM_CLOSED. Does nothing if already left or closed. */
  async leave(): Promise<void> {
    if (this.stateValue === 'closed' || this.stateValue === 'left') return;
    const wasJoined = this.context.connection.connected && this.stateValue === 'joined';
    this.stateValue = 'left';
    this.outbox.failAll(new SealroomError('ROOM_CLOSED', 'this client left the room'));
    try {
      // Wait for the server to take the leave before the connection may close: the others then hear `left`,
      // not `disconnected`. A failure changes nothing: the room is left either way.
      if (wasJoined) await this.context.connection.leave({ room_id: this.id });
    } catch {
      // not connected, or no answer in time
    } finally {
      this.finish('left');
    }
  }

  /**
   * Deletes the room and its files for everyone. Only the room's owner can: the deletion is signed with the
   * owner credential that `createRoom` returned (given here, or kept in the client's identity store). Members,
   * this one included, then get `closed`. A member without it can only {@link leave}.
   * @throws SealroomError `OWNER_CREDENTIAL_REQUIRED`, SealroomServerError (`OWNER_SIGNATURE_INVALID`, ...)
   */
  async deleteRoom(ownerCredential?: string): Promise<void> {
    const credential = ownerCredential ?? (await this.context.store.get(storeKeys.owner(this.id)));
    if (credential === undefined) {
      throw new SealroomError('OWNER_CREDENTIAL_REQUIRED', "only the room's owner can delete it (this client has no owner credential)");
    }
    await deleteRoomAsOwner(this.context.rest, this.id, credential);
  }

  // ---- connection events (RoomChannel) ---------------------------------------------------------------

  receive(event: ServerEvent): void {
    if (this.held) this.held.push(event);
    else this.enqueue(() => this.handle(event));
  }

  disconnected(): void {
    if (this.stateValue !== 'joined') return;
    this.stateValue = 'reconnecting';
    this.enqueue(async () => this.emit('disconnect'));
  }

  reconnected(recovered: boolean): void {
    if (this.stateValue !== 'reconnecting' && this.stateValue !== 'joined') return;
    if (recovered) {
      this.stateValue = 'joined';
      this.enqueue(async () => this.emit('reconnect', { recovered: true }));
      this.outbox.flush();
    } else {
      void this.rejoin();
    }
  }

  // ---- internals -------------------------------------------------------------------------------------

  private enqueue(task: () => Promise<void>): void {
    this.inbox = this.inbox.then(task).catch((error: unknown) => {
      this.emit('error', isSealroomError(error) ? error : new SealroomError('UNEXPECTED_RESPONSE', String(error), { cause: error }));
    });
  }

  private async handle(incoming: ServerEvent): Promise<void> {
    if (this.stateValue === 'closed' || this.stateValue === 'left') return;
    switch (incoming.event) {
      case 'message:new': {
        const message = await this.openMessageEvent(incoming.payload);
        if (message) this.emit('message', message);
        return;
      }
      case 'file:new': {
        const file = await this.openFileEvent(incoming.payload);
        if (file) this.emit('file', file);
        return;
      }
      case 'member:joined': {
        if (incoming.payload.member_id === this.memberIdValue) return;
        const member = await this.openMember(incoming.payload);
        this.others.set(member.id, member);
        this.markSameNames();
        this.emit('member', { type: 'joined', member });
        return;
      }
      case 'member:left': {
        const member = this.others.get(incoming.payload.member_id);
        if (!member) return;
        this.others.delete(member.id);
        this.markSameNames();
        this.emit('member', { type: 'left', member, reason: incoming.payload.reason });
        return;
      }
      case 'room:closed':
        this.close(incoming.payload.reason);
        return;
      case 'member:typing': {
        const member = this.others.get(incoming.payload.member_id);
        if (member) this.emit('typing', member);
        return;
      }
    }
  }

  private sender(memberId: string): RoomMember {
    if (memberId === this.memberIdValue) return this.me;
    return (
      this.others.get(memberId) ?? {
        id: memberId,
        name: this.names.get(memberId) ?? null,
        self: false,
        identityKey: this.identities.get(memberId) ?? null,
        verified: false,
        keyChanged: false,
        sameName: false,
      }
    );
  }

  /** The identity key to check what `memberId` sent; undefined (after a `dropped` event) when there is none. */
  private senderKey(kind: DroppedEvent['kind'], memberId: string, id: string): string | undefined {
    const key = this.identities.get(memberId);
    if (key) return key;
    this.drop(kind, memberId, id, 'unknown_sender');
    return undefined;
  }

  private drop(kind: DroppedEvent['kind'], memberId: string, id: string, reason: DropReason): void {
    this.emitSoon('dropped', { roomId: this.id, kind, memberId, id, reason });
  }

  /**
   * Emits now, or, while the first join is under way (the caller has no listeners yet), once join() has
   * returned the room, like every other event.
   */
  private emitSoon<E extends 'dropped' | 'key_changed'>(event: E, payload: Parameters<RoomEventMap[E]>[0]): void {
    const emit = () => (this.emit as (event: E, payload: Parameters<RoomEventMap[E]>[0]) => void)(event, payload);
    if (this.stateValue === 'joining') this.enqueue(async () => emit());
    else emit();
  }

  private dropFor(kind: DroppedEvent['kind'], memberId: string, id: string, error: unknown): void {
    let reason: DropReason = 'undecryptable';
    if (isSealroomCryptoError(error, 'BAD_SIGNATURE')) reason = 'bad_signature';
    else if (isSealroomCryptoError(error, 'INVALID_PAYLOAD') || isSealroomCryptoError(error, 'INVALID_PADDING')) reason = 'invalid_payload';
    this.drop(kind, memberId, id, reason);
  }

  private async openMember(member: Member): Promise<RoomMember> {
    let name: string | null = null;
    let identityKey: string | null = null;
    try {
      const profile = await openSignedProfile(this.keys.msg, { roomId: this.id, memberId: member.member_id }, member.profile);
      name = profile.name;
      identityKey = profile.identity_key;
    } catch (error) {
      this.dropFor('profile', member.member_id, member.member_id, error);
    }
    this.names.set(member.member_id, name);
    this.identities.set(member.member_id, identityKey);
    const opened: RoomMember = {
      id: member.member_id,
      name,
      self: false,
      identityKey,
      verified: false,
      keyChanged: false,
      sameName: false,
    };
    await this.applyTrust(opened);
    return opened;
  }

  /** Replaces the member list with the server's, reporting the differences when `announce` is set. */
  private async applyMembers(members: Member[], announce: boolean): Promise<void> {
    const present = new Set(members.map((m) => m.member_id));
    for (const [id, member] of [...this.others]) {
      if (present.has(id)) continue;
      this.others.delete(id);
      this.markSameNames();
      if (announce) this.emit('member', { type: 'left', member, reason: 'disconnected' } satisfies MemberEvent);
    }
    for (const m of members) {
      if (m.member_id === this.memberIdValue || this.others.has(m.member_id)) continue;
      const member = await this.openMember(m);
      this.others.set(member.id, member);
      this.markSameNames();
      if (announce) this.emit('member', { type: 'joined', member });
    }
    this.markSameNames();
  }

  private async openMessageEvent(payload: MessageNewPayload): Promise<RoomMessage | undefined> {
    if (!this.seen.add(payload.id)) return undefined;
    const identityKey = this.senderKey('message', payload.member_id, payload.id);
    if (identityKey === undefined) return undefined;
    try {
      const ref = { roomId: this.id, messageId: payload.id, memberId: payload.member_id };
      const content = await openSignedMessage(this.keys.msg, ref, { iv: payload.iv, ct: payload.ct }, identityKey);
      return {
        id: payload.id,
        roomId: this.id,
        from: this.sender(payload.member_id),
        text: content.text,
        ...(content.reply_to !== undefined ? { replyTo: content.reply_to } : {}),
        sentAt: payload.sent_at,
        senderSentAt: content.sent_at,
        seq: payload.seq,
      };
    } catch (error) {
      this.dropFor('message', payload.member_id, payload.id, error);
      return undefined;
    }
  }

  private async openFileEvent(payload: FileNewPayload): Promise<RoomFile | undefined> {
    if (!this.seen.add(payload.file_id)) return undefined;
    const identityKey = this.senderKey('file', payload.member_id, payload.file_id);
    if (identityKey === undefined) return undefined;
    try {
      const ref = { roomId: this.id, fileId: payload.file_id, memberId: payload.member_id };
      const meta = await openSignedFileMeta(this.keys.meta, ref, { iv: payload.iv, ct: payload.ct }, identityKey);
      return this.fileFrom(payload.file_id, this.sender(payload.member_id), meta, {
        size: payload.size,
        expiresAt: payload.expires_at,
        sentAt: payload.sent_at,
        seq: payload.seq,
      });
    } catch (error) {
      this.dropFor('file', payload.member_id, payload.file_id, error);
      return undefined;
    }
  }

  private fileFrom(
    fileId: string,
    from: RoomMember,
    meta: { name: string; type: string; size: number; key: string },
    stored: { size: number; expiresAt: number; sentAt: number; seq: number },
  ): RoomFile {
    const key = base64urlDecode(meta.key);
    return {
      id: fileId,
      roomId: this.id,
      from,
      name: meta.name,
      type: meta.type,
      size: meta.size,
      encryptedSize: stored.size,
      expiresAt: stored.expiresAt,
      sentAt: stored.sentAt,
      seq: stored.seq,
      key,
      link: formatFileLink(this.linkBaseUrl, fileId, key),
    };
  }

  private async openBacklog(entries: BacklogEntry[]): Promise<Array<RoomMessage | RoomFile>> {
    const opened: Array<RoomMessage | RoomFile> = [];
    for (const entry of [...entries].sort((a, b) => a.data.seq - b.data.seq)) {
      const item = entry.event === 'message:new' ? await this.openMessageEvent(entry.data) : await this.openFileEvent(entry.data);
      if (item) opened.push(item);
    }
    return opened;
  }

  /** The server no longer has this connection in the room (a send said NOT_IN_ROOM): join again. */
  private membershipLost(): void {
    if (this.stateValue !== 'joined') return;
    this.stateValue = 'reconnecting';
    void this.rejoin();
  }

  /** Joins again after a connection that was not recovered, then flushes the outbox. */
  private async rejoin(): Promise<void> {
    if (this.rejoining) return;
    this.rejoining = true;
    this.stateValue = 'reconnecting';
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.stateValue !== 'reconnecting' || !this.context.connection.connected) return; // the next reconnect retries
        try {
          this.held ??= [];
          const ack = await this.sendJoin();
          this.stateValue = 'joined';
          // The backlog is older than anything that arrived since the server took this connection back.
          const arrived = this.releaseHeld();
          this.enqueue(async () => {
            await this.applyMembers(ack.members, true);
            for (const item of await this.openBacklog(ack.backlog)) {
              if ('text' in item) this.emit('message', item);
              else this.emit('file', item);
            }
            this.emit('reconnect', { recovered: false });
            for (const event of arrived) await this.handle(event);
          });
          this.outbox.flush();
          return;
        } catch (error) {
          const code = isSealroomError(error) ? error.code : undefined;
          if (code === 'ALREADY_IN_ROOM') {
            this.stateValue = 'joined'; // the server kept this connection in the room after all
            this.enqueue(async () => this.emit('reconnect', { recovered: true }));
            this.outbox.flush();
            return;
          }
          if (code === 'ROOM_NOT_FOUND') {
            this.close('not_found');
            return;
          }
          if (code === 'MEMBER_ID_TAKEN' && attempt + 1 >= SAME_ID_REJOIN_ATTEMPTS) {
            this.memberIdValue = randomId(); // pending messages are sealed again for the new id when sent
            this.profile = undefined;
          }
          if (code !== 'NETWORK_ERROR' && code !== 'TIMEOUT' && code !== 'MEMBER_ID_TAKEN') {
            this.emit('error', isSealroomError(error) ? error : new SealroomError('NETWORK_ERROR', String(error), { cause: error }));
          }
          const retryAfter =
            error instanceof SealroomServerError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
          await new Promise((resolve) =>
            setTimeout(resolve, Math.max(retryAfter, REJOIN_RETRY_MS[Math.min(attempt, REJOIN_RETRY_MS.length - 1)])),
          );
        }
      }
    } finally {
      this.rejoining = false;
      for (const event of this.releaseHeld()) this.enqueue(() => this.handle(event));
    }
  }

  private releaseHeld(): ServerEvent[] {
    const held = this.held ?? [];
    this.held = null;
    return held;
  }

  private close(reason: RoomClosedEvent['reason']): void {
    if (this.stateValue === 'closed' || this.stateValue === 'left') return;
    this.finish('closed');
    this.emit('closed', { reason });
  }

  private finish(state: 'closed' | 'left'): void {
    this.stateValue = state;
    this.outbox.failAll(new SealroomError('ROOM_CLOSED', state === 'left' ? 'this client left the room' : 'the room was closed'));
    this.context.connection.unregister(this.id, this);
    this.context.released(this);
  }
}

/**
 * Deletes a room with its owner credential: `DELETE /rooms/{room_id}` signed in `X-Owner-Signature`.
 * @throws SealroomCryptoError (malformed credential), SealroomServerError (`OWNER_SIGNATURE_INVALID`, `ROOM_NOT_FOUND`, ...)
 */
export async function deleteRoomAsOwner(rest: RestApi, roomId: string, ownerCredential: string): Promise<void> {
  const owner = await signingKeyFromSeed(ownerCredential);
  const signature = await makeOwnerSignature(owner, roomId);
  await rest.call((api) => api.rooms.deleteRoom({ roomId, xOwnerSignature: signature }));
}
