/**
 * A room's unacknowledged sends (messages and file announcements). Each keeps its id until the server
 * acknowledges it: a send cut off by a dropped connection or a lost ack is sent again with the same id after
 * the reconnect, and the server drops the repeat (its ack says `duplicate`), so nothing is lost or doubled.
 * Sends go out in the order they were made (sealing is asynchronous, so they are sealed and emitted one after
 * the other); their acks are awaited concurrently. A flush starts a new round: sends still queued from before it
 * stand down and go out again in the flush's round, oldest first, so a reconnect that comes while later
 * messages are still being sealed cannot let them overtake the ones the dropped connection lost. A send that
 * must wait before its retry (rate limited, or its ack timed out) holds the whole outbox for that long, and the
 * hold ends in a flush: the sends made meanwhile go out after it, not before.
 */
import { SealroomError, SealroomServerError, isSealroomError } from '../errors.js';
import type { SendAck } from '@sealroom/contracts';

/** What the outbox needs from its room. */
export interface OutboxHost {
  /** True while the room is joined and connected. */
  readonly canSend: boolean;
  /** The member id to seal with now (it may change if the room had to be joined under a fresh id). */
  readonly memberId: string;
  /** The server says this connection is not in the room: join it again, then flush. */
  membershipLost(): void;
}

/** Seals a send for a member id and returns the function that emits it (and resolves with its ack). */
export type PrepareSend = (memberId: string) => Promise<() => Promise<SendAck>>;

interface Entry {
  id: string;
  prepare: PrepareSend;
  resolve: (ack: SendAck) => void;
  reject: (error: unknown) => void;
  /** An attempt is queued, being sealed or awaiting its ack. */
  pending: boolean;
}

/** Wait before resending when an ack timed out on a live connection, in ms. */
const TIMEOUT_RETRY_MS = 500;

export class Outbox {
  private readonly entries = new Map<string, Entry>();
  /** Set while a retry waits: nothing is emitted until it fires and flushes. */
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** The tail of the sealing-and-emitting sequence. */
  private emitting: Promise<unknown> = Promise.resolve();
  /** Bumped by each flush: attempts queued in an earlier round do not emit. */
  private round = 0;

  constructor(private readonly host: OutboxHost) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Queues a send under `id` and resolves with its ack. `prepare` seals for the given member id; it runs
   * again on each retry (with a fresh IV).
   */
  submit(id: string, prepare: PrepareSend): Promise<SendAck> {
    return new Promise<SendAck>((resolve, reject) => {
      const entry: Entry = { id, prepare, resolve, reject, pending: false };
      this.entries.set(id, entry);
      void this.attempt(entry);
    });
  }

  /** Sends everything not yet acknowledged, oldest first (after a (re)join). */
  flush(): void {
    this.round++;
    for (const entry of [...this.entries.values()]) {
      entry.pending = false; // an attempt from an earlier round stands down (see attempt)
      void this.attempt(entry);
    }
  }

  /** Fails every pending send with `error` (the room closed or was left). */
  failAll(error: SealroomError): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) entry.reject(error);
  }

  /**
   * Holds every send for `delayMs`, then sends all that are not acknowledged, oldest first. The new round
   * makes the attempts queued behind the refused one stand down; later refusals of the same burst find the
   * hold already set.
   */
  private hold(delayMs: number): void {
    this.round++;
    this.holdTimer ??= setTimeout(() => {
      this.holdTimer = undefined;
      this.flush();
    }, delayMs);
  }

  private async attempt(entry: Entry): Promise<void> {
    if (!this.host.canSend || this.holdTimer !== undefined || entry.pending || this.entries.get(entry.id) !== entry) return;
    entry.pending = true;
    const round = this.round;
    // False once a flush took the entry over (or it was settled): this attempt then does nothing more.
    const current = () => this.round === round && this.entries.get(entry.id) === entry;
    try {
      // Emitted in turn; the object keeps the ack's promise from being awaited by the sequence.
      const started = this.emitting.then(async () => {
        if (!current()) return undefined;
        const emit = await entry.prepare(this.host.memberId);
        if (!current()) return undefined;
        // Not on a connection that dropped (or a room not joined again yet): the next flush sends it in order.
        if (!this.host.canSend) throw new SealroomError('NETWORK_ERROR', 'not connected to the room');
        return { ack: emit() };
      });
      this.emitting = started.catch(() => undefined);
      const sent = await started;
      if (!sent) return;
      const ack = await sent.ack;
      // An ack from an earlier round still counts: the server knows the message by its id.
      if (this.entries.get(entry.id) !== entry) return; // failed meanwhile (room closed)
      this.entries.delete(entry.id);
      entry.resolve(ack);
    } catch (error) {
      if (!current()) return; // a flush has sent it again since
      entry.pending = false;
      if (error instanceof SealroomServerError && error.code === 'NOT_IN_ROOM') {
        this.host.membershipLost();
      } else if (error instanceof SealroomServerError && error.code === 'RATE_LIMITED') {
        this.hold(Math.max(1, error.retryAfterSeconds ?? 1) * 1000);
      } else if (isSealroomError(error, 'TIMEOUT') && this.host.canSend) {
        this.hold(TIMEOUT_RETRY_MS);
      } else if (!isSealroomError(error, 'NETWORK_ERROR') && !isSealroomError(error, 'TIMEOUT')) {
        this.entries.delete(entry.id);
        entry.reject(error);
      }
      // NETWORK_ERROR (or TIMEOUT while disconnected): the flush after the reconnect sends it again.
    }
  }
}
