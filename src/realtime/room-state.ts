import type { BacklogEntry, Member } from '../../sdk/src/generated/realtime/events';

export type AddMemberResult = 'added' | 'taken' | 'full';

/** What the server recorded when it first accepted a message or file announcement. */
export interface Delivery {
  seq: number;
  sentAt: number;
}

/**
 * Per-room realtime state: presence, the sequence counter, recently delivered ids (to drop retries) and the
 * optional backlog. Kept behind this interface so that a cluster can hold it in Redis and every node sees
 * the same room; this file has the single-node, in-memory implementation.
 */
export interface RoomStateStore {
  /** Adds a member unless its id is in use in the room or the room has `maxMembers` members. */
  addMember(roomId: string, member: Member, maxMembers: number): Promise<AddMemberResult>;
  /** Removes a member; false when it was not there (already removed). */
  removeMember(roomId: string, memberId: string): Promise<boolean>;
  members(roomId: string): Promise<Member[]>;
  /**
   * Records a new id and gives it the room's next sequence number, atomically; for an id already delivered
   * returns the original record with `duplicate: true`, and nothing changes.
   */
  claim(roomId: string, id: string, now: number): Promise<Delivery & { duplicate: boolean }>;
  /** Keeps an event for late joiners, at most `limit` per room. */
  appendBacklog(roomId: string, entry: BacklogEntry, limit: number): Promise<void>;
  backlog(roomId: string): Promise<BacklogEntry[]>;
  /** Forgets everything about a room (it was deleted or expired). */
  clear(roomId: string): Promise<void>;
}

/** How many recent ids per room are remembered to drop retries; a retry comes within seconds, not thousands of messages. */
export const DEDUPE_WINDOW = 1024;
/** A room with nobody in it is forgotten after this long (its retries window and sequence with it). */
export const IDLE_ROOM_TTL_MS = 15 * 60_000;

interface RoomRecord {
  members: Map<string, Member>;
  seq: number;
  delivered: Map<string, Delivery>;
  /** The ids in `delivered`, oldest first, as a ring of DEDUPE_WINDOW slots. */
  deliveredOrder: string[];
  backlog: BacklogEntry[];
  lastUsed: number;
}

/** One process's rooms, in memory. Single-threaded JavaScript makes each method atomic. */
export class MemoryRoomStateStore implements RoomStateStore {
  private readonly rooms = new Map<string, RoomRecord>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.timer = setInterval(() => this.forgetIdleRooms(), 60_000);
    this.timer.unref();
  }

  async addMember(roomId: string, member: Member, maxMembers: number): Promise<AddMemberResult> {
    const room = this.room(roomId);
    if (room.members.has(member.member_id)) return 'taken';
    if (room.members.size >= maxMembers) return 'full';
    room.members.set(member.member_id, member);
    return 'added';
  }

  async removeMember(roomId: string, memberId: string): Promise<boolean> {
    return this.rooms.get(roomId)?.members.delete(memberId) ?? false;
  }

  async members(roomId: string): Promise<Member[]> {
    return [...(this.rooms.get(roomId)?.members.values() ?? [])];
  }

  async claim(roomId: string, id: string, now: number): Promise<Delivery & { duplicate: boolean }> {
    const room = this.room(roomId);
    const known = room.delivered.get(id);
    if (known) return { ...known, duplicate: true };
    const delivery = { seq: ++room.seq, sentAt: now };
    const slot = delivery.seq % DEDUPE_WINDOW;
    const evicted = room.deliveredOrder[slot];
    if (evicted !== undefined) room.delivered.delete(evicted);
    room.deliveredOrder[slot] = id;
    room.delivered.set(id, delivery);
    return { ...delivery, duplicate: false };
  }

  async appendBacklog(roomId: string, entry: BacklogEntry, limit: number): Promise<void> {
    const room = this.room(roomId);
    room.backlog.push(entry);
    if (room.backlog.length > limit) room.backlog.splice(0, room.backlog.length - limit);
  }

  async backlog(roomId: string): Promise<BacklogEntry[]> {
    return [...(this.rooms.get(roomId)?.backlog ?? [])];
  }

  async clear(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private room(roomId: string): RoomRecord {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { members: new Map(), seq: 0, delivered: new Map(), deliveredOrder: [], backlog: [], lastUsed: 0 };
      this.rooms.set(roomId, room);
    }
    room.lastUsed = this.now();
    return room;
  }

  private forgetIdleRooms(): void {
    const cutoff = this.now() - IDLE_ROOM_TTL_MS;
    for (const [id, room] of this.rooms) if (room.members.size === 0 && room.lastUsed < cutoff) this.rooms.delete(id);
  }
}
