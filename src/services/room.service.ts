import { MIN_KDF_ITERATIONS, type Config } from '../config';
import type { RoomEntity } from '../entities';
import { AppError, fieldError as invalid } from '../errors';
import type { FileRepository } from '../repositories/file.repository';
import type { RoomRepository } from '../repositories/room.repository';
import type { BlobStore } from '../storage/blob-store';
import type { Clock } from './clock';
import { isBase64Url, isId, randomId } from '../ids';
import { importOwnerKey, verifyOwnerSignature, verifyProof, type ProofPurpose } from './proof';
import type { RateLimitService } from './rate-limit.service';
import type { RoomEvents } from './room-events';

export interface PasswordParams {
  salt: string;
  iterations: number;
}

export interface CreateRoomInput {
  roomId?: string;
  auth: string;
  /** The owner's Ed25519 public key, 32 bytes base64url. */
  ownerKey: string;
  password?: PasswordParams;
}

export interface RoomInfo {
  roomId: string;
  /** Random per creation: a room re-created under the same id has another. */
  incarnation: string;
  createdAt: number;
  expiresAt: number;
  password: PasswordParams | null;
}

/** How often at most a room's activity is written down; activity matters at the scale of ROOM_AGE_LIMIT. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

/**
 * Rooms: creation, public description, proof checks, activity and removal. The server only ever holds a
 * room's `auth` key and password KDF parameters; nothing from which the content keys could be derived.
 */
export class RoomService {
  /** When each room's expiry was last pushed back by this node; only entries younger than the interval matter. */
  private readonly lastActivityWrite = new Map<string, number>();
  private prunedAt = 0;

  constructor(
    private readonly rooms: RoomRepository,
    private readonly files: FileRepository,
    private readonly blobs: BlobStore,
    private readonly config: Pick<Config, 'roomIdleMs'>,
    private readonly clock: Clock,
    private readonly limits: RateLimitService,
    private readonly events: RoomEvents,
  ) {}

  async create(input: CreateRoomInput): Promise<RoomInfo> {
    const roomId = input.roomId ?? randomId();
    if (!isId(roomId)) throw invalid('body.room_id', 'must be 6-36 characters of A-Z, a-z, 0-9, "_" and "-"');
    if (!isBase64Url(input.auth, 32)) throw invalid('body.auth', 'must be 32 bytes in base64url without padding');
    if (!importOwnerKey(input.ownerKey))
      throw invalid('body.owner_key', 'must be an Ed25519 public key: 32 bytes in base64url without padding');
    if (input.password) {
      if (!isBase64Url(input.password.salt, 16)) throw invalid('body.password.salt', 'must be 16 bytes in base64url without padding');
      if (input.password.iterations < MIN_KDF_ITERATIONS) {
        throw invalid('body.password.iterations', `must be at least ${MIN_KDF_ITERATIONS} (PBKDF2-SHA256)`);
      }
    }

    const now = this.clock.now();
    // An expired room that the sweeper has not reached yet no longer exists for anyone: free its id.
    await this.purge(roomId, 'expired', now);
    const room: RoomEntity = {
      id: roomId,
      authKey: input.auth,
      ownerKey: input.ownerKey,
      incarnation: randomId(),
      passwordSalt: input.password?.salt ?? null,
      passwordIterations: input.password?.iterations ?? null,
      createdAt: now,
      lastActiveAt: now,
      expiresAt: now + this.config.roomIdleMs,
    };
    if (!(await this.rooms.insert(room))) throw new AppError('ROOM_EXISTS', `A room with the id ${roomId} already exists`);
    return toInfo(room);
  }

  /** The public facts about a live room; 404 for a missing or expired one. */
  async describe(roomId: string): Promise<RoomInfo> {
    return toInfo(await this.requireLive(roomId));
  }

  /** The live room, or ROOM_NOT_FOUND. */
  async requireLive(roomId: string): Promise<RoomEntity> {
    const room = isId(roomId) ? await this.rooms.findById(roomId) : null;
    if (!room || room.expiresAt <= this.clock.now())
      throw new AppError('ROOM_NOT_FOUND', 'No such room (it may have expired or been deleted)');
    return room;
  }

  /**
   * Checks a room proof for `purpose` and returns the room. Failed proofs count against the caller (see
   * checkFailedProofs), and a caller over its allowance is refused before any check, so proofs cannot be
   * brute-forced.
   */
  async authorize(roomId: string, purpose: ProofPurpose, proof: string, clientKey: string): Promise<RoomEntity> {
    await this.checkFailedProofs(roomId, clientKey);
    const room = await this.requireLive(roomId);
    const verdict = verifyProof(room.authKey, purpose, room.id, proof, this.clock.now());
    if (verdict === 'valid') return room;
    await this.countFailedProof(roomId, clientKey);
    throw verdict === 'expired'
      ? new AppError('PROOF_EXPIRED', "The room proof is outside the accepted time window; check this device's clock")
      : new AppError('PROOF_INVALID', `The room proof is not valid for ${purpose} in this room`);
  }

  /**
   * Refuses a caller that has failed too many download proofs lately, before any check. Download proofs are
   * per file, sent with a header a foreign page cannot set without CORS, so they count against the address
   * group's ceiling only.
   */
  async checkProofAllowance(clientKey: string): Promise<void> {
    await this.limits.check('proofFailureIp', clientKey);
  }

  /** Counts a failed download proof against the caller. */
  async recordProofFailure(clientKey: string): Promise<void> {
    await this.limits.consume('proofFailureIp', clientKey).catch(() => undefined);
  }

  /**
   * Deletes a room and all its files, after checking the owner's signature; members are told. A failed
   * signature counts against the caller like a failed proof.
   */
  async remove(roomId: string, ownerSignature: string, clientKey: string): Promise<void> {
    await this.checkFailedProofs(roomId, clientKey);
    const room = await this.requireLive(roomId);
    const verdict = verifyOwnerSignature(room.ownerKey, room.id, ownerSignature, this.clock.now());
    if (verdict !== 'valid') {
      await this.countFailedProof(roomId, clientKey);
      throw verdict === 'expired'
        ? new AppError('PROOF_EXPIRED', "The owner signature is outside the accepted time window; check this device's clock")
        : new AppError('OWNER_SIGNATURE_INVALID', "The owner signature does not verify with this room's owner key");
    }
    if (!(await this.purge(roomId, 'deleted', this.clock.now()))) {
      throw new AppError('ROOM_NOT_FOUND', 'No such room (it may have expired or been deleted)');
    }
  }
  /*
   * Failed proofs and owner signatures count per address group *and* room, so that a stranger who makes a
   * victim's address fail proofs (a foreign page posting bad proofs, a shared NAT) locks it out of that room
   * only; a much higher ceiling per address group still bounds guessing over many rooms.
   */
  private async checkFailedProofs(roomId: string, clientKey: string): Promise<void> {
    await this.limits.check('proofFailure', `${clientKey}|${roomId}`);
    await this.limits.check('proofFailureIp', clientKey);
  }

  private async countFailedProof(roomId: string, clientKey: string): Promise<void> {
    await this.limits.consume('proofFailure', `${clientKey}|${roomId}`).catch(() => undefined);
    await this.limits.consume('proofFailureIp', clientKey).catch(() => undefined);
  }

  /** Keeps a room alive while it is used: joins, messages and uploads push its idle expiry back. */
  async markActive(roomId: string): Promise<void> {
    const now = this.clock.now();
    const interval = Math.min(ACTIVITY_WRITE_INTERVAL_MS, this.config.roomIdleMs / 10);
    const last = this.lastActivityWrite.get(roomId) ?? 0;
    if (now - last < interval) return;
    this.lastActivityWrite.set(roomId, now);
    // An entry older than the interval changes nothing (the room's next activity is written either way), and
    // rooms removed by another node's sweeper are never purged here: drop such entries once per interval, so
    // the map holds only the rooms active lately, not every room this node has ever seen.
    if (now - this.prunedAt >= interval) {
      this.prunedAt = now;
      for (const [id, at] of this.lastActivityWrite) if (now - at >= interval) this.lastActivityWrite.delete(id);
    }
    await this.rooms.touch(roomId, now, now + this.config.roomIdleMs);
  }

  /** Rooms whose last activity write this node remembers (for tests and metrics). */
  get rememberedActivity(): number {
    return this.lastActivityWrite.size;
  }

  /** Removes every expired room (the sweeper calls this); returns their ids. */
  async removeExpired(): Promise<string[]> {
    const now = this.clock.now();
    const removed: string[] = [];
    for (const id of await this.rooms.expiredIds(now)) {
      if (await this.purge(id, 'expired', now)) removed.push(id);
    }
    return removed;
  }

  /**
   * Deletes a room row (its file rows go with it, by cascade), then the blobs those rows named, and tells
   * members. With reason `expired` only an expired room is removed. Returns whether a room was removed.
   */
  private async purge(roomId: string, reason: 'deleted' | 'expired', now: number): Promise<boolean> {
    const room = await this.rooms.findById(roomId);
    if (!room) return false;
    const fileIds = await this.files.idsInRoom(roomId);
    if (!(await this.rooms.delete(roomId, reason === 'expired' ? now : undefined, room.incarnation))) return false;
    this.lastActivityWrite.delete(roomId);
    // A file added between the SELECT and the DELETE loses its row by cascade; its blob is an orphan that
    // the sweeper's orphan pass removes.
    await Promise.all(fileIds.map((id) => this.blobs.remove(id)));
    this.events.emit('closed', roomId, reason, room.incarnation);
    return true;
  }
}

function toInfo(room: RoomEntity): RoomInfo {
  return {
    roomId: room.id,
    incarnation: room.incarnation,
    createdAt: room.createdAt,
    expiresAt: room.expiresAt,
    password:
      room.passwordSalt !== null && room.passwordIterations !== null
        ? { salt: room.passwordSalt, iterations: room.passwordIterations }
        : null,
  };
}
