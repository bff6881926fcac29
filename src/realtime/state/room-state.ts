import type { BacklogEntry, Member } from '@sealroom/contracts';

/**
 * `kept`: the same connection already held the id (a session recovered on another node after its first node
 * died without saying goodbye); nothing changed for the others, so nothing is announced.
 */
export type AddMemberResult = 'added' | 'kept' | 'taken' | 'full';

/**
 * Which connection holds a member id: its Socket.IO id (which connection-state recovery keeps, on any node)
 * and the node it is connected to now.
 */
export interface PresenceOwner {
  socketId: string;
  nodeId: string;
}

/** What the server recorded when it first accepted a message or file announcement. */
export interface Delivery {
  seq: number;
  sentAt: number;
}

export type Claim = Delivery & { duplicate: boolean; relayed: boolean };

/**
 * Per-room realtime state: presence, the sequence counter, recently delivered ids (to drop retries) and the
 * optional backlog. Kept behind this interface so that a cluster can hold it in Redis and every node sees
 * the same room; this file has the single-node, in-memory implementation.
 */
export interface RoomStateStore {
  /** Adds a member unless its id is held by another connection or the room has `maxMembers` members. */
  addMember(roomId: string, member: Member, maxMembers: number, owner: PresenceOwner): Promise<AddMemberResult>;
  /**
   * Removes a member if `owner` still holds it; false when it was not there (already removed) or another
   * connection, or the same one on another node, holds it now.
   */
  removeMember(roomId: string, memberId: string, owner: PresenceOwner): Promise<boolean>;
  members(roomId: string): Promise<Member[]>;
  /**
   * Records a new id and gives it the room's next sequence number, atomically; for an id already delivered
   * returns the original record with `duplicate: true`, and nothing changes. `relayed` says whether the
   * event of a known id is known to have reached the adapter (see markRelayed).
   */
  claim(roomId: string, id: string, now: number): Promise<Claim>;
  /**
   * Records that the event claimed as `id` has been handed to every node. In a cluster a node can die between
   * numbering an event and relaying it; the client's retry then finds the id claimed but not relayed, and the
   * node it reaches relays it (so the crash loses nothing; at worst a receiver drops a duplicate by id).
   */
  markRelayed(roomId: string, id: string): Promise<void>;
  /**
   * Keeps an event for late joiners, within `limits`: entries and bytes per room, bytes over all rooms. The
   * oldest entries go first (of the room, then of any room for the total).
   */
  appendBacklog(roomId: string, entry: BacklogEntry, limits: BacklogLimits): Promise<void>;
  backlog(roomId: string): Promise<BacklogEntry[]>;
  /** Bytes of backlog kept over all rooms (what MESSAGE_BACKLOG_TOTAL_BYTES caps), as backlogEntryBytes counts them. */
  totalBacklogBytes(): Promise<number>;
  /** Forgets everything about a room (it was deleted or expired). */
  clear(roomId: string): Promise<void>;
}

/** MESSAGE_BACKLOG, MESSAGE_BACKLOG_BYTES and MESSAGE_BACKLOG_TOTAL_BYTES. */
export interface BacklogLimits {
  entries: number;
  bytes: number;
  totalBytes: number;
}

/** What an entry counts against the byte caps: its JSON, as it is kept in Redis and sent to joiners. */
export const backlogEntryBytes = (json: string): number => Buffer.byteLength(json);

/** How many recent ids per room are remembered to drop retries; a retry comes within seconds, not thousands of messages. */
export const DEDUPE_WINDOW = 1024;
/** A room with nobody in it is forgotten after this long (its retries window and sequence with it). */
export const IDLE_ROOM_TTL_MS = 15 * 60_000;

interface RoomRecord {
  members: Map<string, Member & { owner: PresenceOwner }>;
  seq: number;
  delivered: Map<string, Delivery>;
  /** The ids in `delivered`, oldest first, as a ring of DEDUPE_WINDOW slots. */
  deliveredOrder: string[];
  backlog: KeptEntry[];
  backlogBytes: number;
  lastUsed: number;
}

interface KeptEntry {
  entry: BacklogEntry;
  bytes: number;
  roomId: string;
  /** Set when the room dropped it (its own caps, or the room was forgotten): the total's queue skips it. */
  dropped: boolean;
}

/** One process's rooms, in memory. Single-threaded JavaScript makes each method atomic. */
export class MemoryRoomStateStore implements RoomStateStore {
  private readonly rooms = new Map<string, RoomRecord>();
  private readonly timer: NodeJS.Timeout;
  /** Every room's kept entries in the order they were added, for the total cap (dropped ones are skipped). */
  private allEntries: KeptEntry[] = [];
  private allHead = 0;
  /** Bytes of the entries kept over all rooms. */
  private keptBytes = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.timer = setInterval(() => this.forgetIdleRooms(), 60_000);
    this.timer.unref();
  }

  async addMember(roomId: string, member: Member, maxMembers: number, owner: PresenceOwner): Promise<AddMemberResult> {
    const room = this.room(roomId);
    const held = room.members.get(member.member_id);
    if (held) {
      if (held.owner.socketId !== owner.socketId) return 'taken';
      held.owner = { ...owner };
      return 'kept';
    }
    if (room.members.size >= maxMembers) return 'full';
    room.members.set(member.member_id, { ...member, owner: { ...owner } });
    return 'added';
  }

  async removeMember(roomId: string, memberId: string, owner: PresenceOwner): Promise<boolean> {
    const room = this.rooms.get(roomId);
    const held = room?.members.get(memberId);
    if (!room || !held || held.owner.socketId !== owner.socketId || held.owner.nodeId !== owner.nodeId) return false;
    return room.members.delete(memberId);
  }

  async members(roomId: string): Promise<Member[]> {
    return [...(this.rooms.get(roomId)?.members.values() ?? [])].map(({ member_id, profile }) => ({ member_id, profile }));
  }

  async claim(roomId: string, id: string, now: number): Promise<Claim> {
    const room = this.room(roomId);
    const known = room.delivered.get(id);
    // One process: the event was relayed in the same turn as its claim, or the process (and this map) died.
    // (Object literals, not spreads: `{...delivery, duplicate}` took V8's slow path, ~5 µs per message.)
    if (known) return { seq: known.seq, sentAt: known.sentAt, duplicate: true, relayed: true };
    const delivery = { seq: ++room.seq, sentAt: now };
    const slot = delivery.seq % DEDUPE_WINDOW;
    const evicted = room.deliveredOrder[slot];
    if (evicted !== undefined) room.delivered.delete(evicted);
    room.deliveredOrder[slot] = id;
    room.delivered.set(id, delivery);
    return { seq: delivery.seq, sentAt: now, duplicate: false, relayed: false };
  }

  async markRelayed(): Promise<void> {
    // Nothing to record: see claim().
  }

  async appendBacklog(roomId: string, entry: BacklogEntry, limits: BacklogLimits): Promise<void> {
    const room = this.room(roomId);
    const kept: KeptEntry = { entry, bytes: backlogEntryBytes(JSON.stringify(entry)), roomId, dropped: false };
    room.backlog.push(kept);
    room.backlogBytes += kept.bytes;
    this.keptBytes += kept.bytes;
    this.allEntries.push(kept);
    while (room.backlog.length > 0 && (room.backlog.length > limits.entries || room.backlogBytes > limits.bytes)) {
      this.drop(room, room.backlog[0]);
    }
    while (this.keptBytes > limits.totalBytes && this.allHead < this.allEntries.length) {
      const oldest = this.allEntries[this.allHead++];
      if (oldest.dropped) continue;
      const owner = this.rooms.get(oldest.roomId);
      if (owner) this.drop(owner, oldest);
    }
    this.compactQueue();
  }

  async totalBacklogBytes(): Promise<number> {
    return this.keptBytes;
  }

  async backlog(roomId: string): Promise<BacklogEntry[]> {
    return (this.rooms.get(roomId)?.backlog ?? []).map((k) => k.entry);
  }

  /** Drops a room's oldest entry (`kept` is always its first: every cap drops oldest first). */
  private drop(room: RoomRecord, kept: KeptEntry): void {
    if (room.backlog[0] === kept) room.backlog.shift();
    else room.backlog.splice(room.backlog.indexOf(kept), 1);
    kept.dropped = true;
    room.backlogBytes -= kept.bytes;
    this.keptBytes -= kept.bytes;
  }

  private forgetBacklog(room: RoomRecord): void {
    while (room.backlog.length > 0) this.drop(room, room.backlog[0]);
    this.compactQueue();
  }

  /** Lets go of the queue's skipped head once it is half of it, so the queue stays proportional to what is kept. */
  private compactQueue(): void {
    if (this.allHead > 1024 && this.allHead * 2 > this.allEntries.length) {
      this.allEntries = this.allEntries.slice(this.allHead).filter((k) => !k.dropped);
      this.allHead = 0;
    }
  }

  async clear(roomId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    if (room) this.forgetBacklog(room);
    this.rooms.delete(roomId);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private room(roomId: string): RoomRecord {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { members: new Map(), seq: 0, delivered: new Map(), deliveredOrder: [], backlog: [], backlogBytes: 0, lastUsed: 0 };
      this.rooms.set(roomId, room);
    }
    room.lastUsed = this.now();
    return room;
  }

  private forgetIdleRooms(): void {
    const cutoff = this.now() - IDLE_ROOM_TTL_MS;
    for (const [id, room] of this.rooms) {
      if (room.members.size === 0 && room.lastUsed < cutoff) {
        this.forgetBacklog(room);
        this.rooms.delete(id);
      }
    }
  }
}
