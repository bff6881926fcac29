import { Adapter, type BroadcastOptions, type PrivateSessionId, type Room, type Session } from 'socket.io-adapter';
import type { Namespace } from 'socket.io';

/** A Socket.IO packet as the adapter sees it (socket.io-parser's shape). */
interface AdapterPacket {
  type: number;
  data: unknown[];
  id?: number;
  nsp?: string;
}

type PersistedSession = Omit<Session, 'missedPackets'>;
/** Where a logged packet went: no rooms (everyone), one room, or several. */
type Target = Room | Room[] | null;

/** socket.io-adapter's internal encoder hook, wrapped to keep the encoding it makes anyway. */
interface EncoderHook {
  _encode(packet: AdapterPacket, packetOpts: unknown): unknown[];
}

const EVENT_PACKET = 2;

export interface RecoveryLogOptions {
  /** How long a dropped session can be recovered (Socket.IO's maxDisconnectionDuration). */
  maxDisconnectionDurationMs: number;
  /** Bytes of encoded packets kept for recovery; the oldest are dropped first. */
  maxBytes: number;
}

/**
 * The single-node adapter for Socket.IO connection-state recovery. It does what socket.io-adapter's
 * SessionAwareAdapter does (tags every broadcast with an offset, keeps it for the recovery window, replays
 * what a recovered session missed), but keeps the packets as their encoded bytes in one fixed-size buffer:
 *
 * - memory is bounded (SOCKET_RECOVERY_BUFFER) instead of growing with traffic x window (the stock adapter
 *   keeps every packet, with its objects, for the whole window: about 1 GB at 10,000 messages/s);
 * - the garbage collector has nothing to scan or copy for it, which is what made the stock adapter cost
 *   throughput and tail latency under load.
 *
 * A session whose offset is older than what the buffer holds is not recovered: the client gets a fresh
 * connection (`recovered: false`) and joins again, as after any longer outage. In a cluster the Redis
 * Streams adapter takes this one's place.
 */
export function recoveryLogAdapter(options: RecoveryLogOptions): typeof Adapter {
  return class RecoveryLogAdapter extends Adapter {
    private readonly log = new PacketLog(options.maxBytes);
    private readonly sessions = new Map<PrivateSessionId, PersistedSession & { disconnectedAt: number }>();
    private readonly timer: NodeJS.Timeout;
    private lastEncoded: unknown[] | undefined;

    constructor(nsp: Namespace) {
      super(nsp);
      const hook = this as unknown as EncoderHook;
      if (typeof hook._encode !== 'function') {
        throw new Error('socket.io-adapter no longer has _encode(): src/realtime/recovery-log.adapter.ts needs updating');
      }
      const encode = hook._encode.bind(this);
      hook._encode = (packet, packetOpts) => (this.lastEncoded = encode(packet, packetOpts));
      this.timer = setInterval(() => this.forgetExpiredSessions(), 60_000);
      this.timer.unref();
    }

    override broadcast(packet: AdapterPacket, opts: BroadcastOptions): void {
      // As the stock adapter: events only, not those awaiting an acknowledgement, not volatile ones.
      const logged = packet.type === EVENT_PACKET && packet.id === undefined && opts.flags?.volatile === undefined;
      if (!logged) return super.broadcast(packet, opts);
      const offset = this.log.nextOffset();
      // The offset goes last in the event's arguments: the client remembers the last one it received.
      packet.data.push(offset);
      this.lastEncoded = undefined;
      super.broadcast(packet, opts);
      const encoded = this.lastEncoded as unknown[] | undefined;
      const text = encoded?.length === 1 && typeof encoded[0] === 'string' ? encoded[0] : null;
      this.log.append(text, Date.now() - options.maxDisconnectionDurationMs, targetOf(opts.rooms), targetOf(opts.except));
    }

    override persistSession(session: PersistedSession): void {
      this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
    }

    override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
      const session = this.sessions.get(pid);
      if (!session || session.disconnectedAt + options.maxDisconnectionDurationMs < Date.now()) {
        this.sessions.delete(pid);
        return null as unknown as Promise<Session>; // socket.io reads null as "not recoverable"
      }
      const missedPackets = this.log.since(offset, session.rooms);
      if (!missedPackets) return null as unknown as Promise<Session>;
      const { disconnectedAt: _, ...persisted } = session;
      return Promise.resolve({ ...persisted, missedPackets });
    }

    override close(): void {
      clearInterval(this.timer);
    }

    private forgetExpiredSessions(): void {
      const threshold = Date.now() - options.maxDisconnectionDurationMs;
      for (const [pid, session] of this.sessions) if (session.disconnectedAt < threshold) this.sessions.delete(pid);
    }
  };
}

function targetOf(rooms: Set<Room> | undefined): Target {
  if (!rooms || rooms.size === 0) return null;
  if (rooms.size === 1) return rooms.values().next().value as Room;
  return [...rooms];
}

const inTarget = (target: Target, rooms: Room[]) =>
  target === null ? false : typeof target === 'string' ? rooms.includes(target) : target.some((r) => rooms.includes(r));

/** The part of the ring used at first; it doubles whenever the events still held fill half of it. */
const INITIAL_SPAN = 1 << 20;

/**
 * Encoded packets in a ring of bytes, oldest first, each numbered by its offset (consecutive integers,
 * written in base 36). Metadata lives in parallel arrays of numbers and shared strings, so the log adds no
 * objects per packet beyond the room name.
 *
 * The ring wraps at `span` bytes, not at the end of the buffer: the span starts small and doubles only while
 * the unexpired events fill more than half of it (up to `capacity`). Pages of a buffer count in the process's
 * RSS once written, so this keeps the memory used in proportion to traffic × recovery window instead of
 * growing, over the first hours of a quiet server, to the whole SOCKET_RECOVERY_BUFFER.
 */
export class PacketLog {
  private readonly bytes: Buffer;
  private spanBytes: number;
  private writeAt = 0;
  /** Offset number of the entry at index 0 of the arrays below; entries before `head` are dropped. */
  private base = 1;
  private head = 0;
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly times: number[] = [];
  private readonly rooms: Target[] = [];
  private readonly excepts: Target[] = [];

  constructor(
    private readonly capacity: number,
    initialSpan = INITIAL_SPAN,
  ) {
    this.bytes = Buffer.allocUnsafe(capacity);
    this.spanBytes = Math.min(capacity, initialSpan);
  }

  /** The offset the next appended packet gets. */
  nextOffset(): string {
    return (this.base + this.starts.length).toString(36);
  }

  /** Entries held (for tests and metrics). */
  get size(): number {
    return this.starts.length - this.head;
  }

  /** Bytes of the buffer the ring uses so far: at most this much of it was ever written (for tests and metrics). */
  get span(): number {
    return this.spanBytes;
  }

  /**
   * Keeps one encoded packet (the one `nextOffset()` numbered), dropping entries older than `expiredBefore`
   * and as many of the oldest as its bytes need. A packet that cannot be kept (`null`: binary, or larger than
   * the whole buffer) clears the log, so no session is ever restored with a packet missing.
   */
  append(encoded: string | null, expiredBefore: number, rooms: Target, except: Target): void {
    const length = encoded === null ? Infinity : Buffer.byteLength(encoded);
    while (this.head < this.starts.length && this.times[this.head] < expiredBefore) this.head++;
    if (length > this.capacity) {
      this.head = this.starts.length;
      this.compact();
      this.base += 1; // the offset numbered for this packet is used up: nobody before it can be restored
      return;
    }
    while (length > this.spanBytes) this.spanBytes = Math.min(this.capacity, this.spanBytes * 2);
    if (this.writeAt + length > this.spanBytes) {
      // Before the oldest held event is written over, make room if the events still held need it. `held` is
      // their extent while they sit in one run below the writer; after a wrap they sit in two runs and the
      // span is left as it is until the writer has passed the older run.
      const empty = this.head === this.starts.length;
      const held = empty || this.starts[this.head] > this.writeAt ? 0 : this.writeAt - this.starts[this.head];
      if (held > this.spanBytes / 2) this.spanBytes = Math.min(this.capacity, this.spanBytes * 2);
      if (this.writeAt + length > this.spanBytes) this.writeAt = 0;
    }
    const end = this.writeAt + length;
    while (
      this.head < this.starts.length &&
      this.starts[this.head] < end &&
      this.starts[this.head] + this.lengths[this.head] > this.writeAt
    ) {
      this.head++;
    }
    this.bytes.write(encoded as string, this.writeAt, 'utf8');
    this.starts.push(this.writeAt);
    this.lengths.push(length);
    this.times.push(Date.now());
    this.rooms.push(rooms);
    this.excepts.push(except);
    this.writeAt = end;
    this.compact();
  }

  /**
   * The events after `offset` that a session in `sessionRooms` would have received, or null when some of
   * them are no longer held (or the offset is not one of ours).
   */
  since(offset: string, sessionRooms: Room[]): unknown[][] | null {
    if (!/^[0-9a-z]{1,10}$/.test(offset)) return null;
    const after = parseInt(offset, 36);
    const first = this.base + this.head;
    const next = this.base + this.starts.length;
    if (after < first - 1 || after >= next) return null;
    const missed: unknown[][] = [];
    for (let i = after + 1 - this.base; i < this.starts.length; i++) {
      const included = this.rooms[i] === null || inTarget(this.rooms[i], sessionRooms);
      if (!included || inTarget(this.excepts[i], sessionRooms)) continue;
      const text = this.bytes.toString('utf8', this.starts[i], this.starts[i] + this.lengths[i]);
      // `2["event",...]` (or `2/nsp,["event",...]`): the arguments are the JSON array.
      missed.push(JSON.parse(text.slice(text.indexOf('['))) as unknown[]);
    }
    return missed;
  }

  /** Drops the arrays' dead prefix once it is large, so they do not grow forever. */
  private compact(): void {
    if (this.head < 4096 || this.head < this.starts.length / 2) return;
    for (const list of [this.starts, this.lengths, this.times, this.rooms, this.excepts] as unknown[][]) list.splice(0, this.head);
    this.base += this.head;
    this.head = 0;
  }
}
