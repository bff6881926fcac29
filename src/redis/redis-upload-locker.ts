import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Mutex } from 'redis-semaphore';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';

export interface RedisUploadLockerOptions {
  /** Prepended to the lock keys and the release channel (REDIS_KEY_PREFIX). */
  keyPrefix: string;
  /** A lock not refreshed for this long (its node died) is free again. */
  lockTimeoutMs?: number;
  /** How long a request waits for the holder to let go before it fails. */
  acquireTimeoutMs?: number;
}

/**
 * tus's per-upload lock across the nodes of a cluster, so that two nodes never write one upload at once (a
 * client that lost its connection retries through whichever node the proxy picks, while the first node may still
 * be draining the old request). The lock is a Redis mutex (redis-semaphore), refreshed while held and free again
 * once its node stops refreshing it. Like tus's own in-memory locker, a request that finds the upload locked asks
 * the holder to let go (over Redis pub/sub, so the holder may be on any node) and then waits for the lock.
 */
export class RedisUploadLocker implements Locker {
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly holders = new Map<string, RequestRelease>();

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly options: RedisUploadLockerOptions,
  ) {
    this.channel = `${options.keyPrefix}tus-release`;
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => undefined); // the main connection reports outages
    this.subscriber.on('message', (_channel: string, id: string) => {
      const release = this.holders.get(id);
      if (release) void Promise.resolve(release()).catch((err: unknown) => this.log.warn({ err, id }, 'could not release an upload lock'));
    });
    // Subscribes on every (re)connection, and never waits for it: like the rest of a node, the locker starts
    // while Redis is away (a lock then fails its request with 503) and carries on once Redis is back.
    this.subscriber.on('ready', () => void this.subscriber.subscribe(this.channel).catch(() => undefined));
  }

  newLock(id: string): Lock {
    let held: Mutex | null = null;
    let release: RequestRelease | null = null;
    return {
      lock: async (signal, requestRelease) => {
        // A lock lost while held (Redis away for longer than its lifetime) ends the request: its writes stop.
        const onLost = () => void requestRelease();
        let mutex = this.mutex(id, onLost, 0);
        if (!(await mutex.tryAcquire())) {
          await this.redis.publish(this.channel, id);
          mutex = this.mutex(id, onLost, this.options.acquireTimeoutMs ?? 25_000);
          if (!(await mutex.tryAcquire(signal))) throw ERRORS.ERR_LOCK_TIMEOUT;
        }
        held = mutex;
        release = requestRelease;
        this.holders.set(id, requestRelease);
      },
      unlock: async () => {
        if (!held) throw new Error('Releasing an unlocked lock!');
        const mutex = held;
        held = null;
        if (this.holders.get(id) === release) this.holders.delete(id);
        await mutex.release();
      },
    };
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  /** One attempt (`waitMs` 0), or attempts every 50 ms for up to `waitMs`. */
  private mutex(id: string, onLost: () => void, waitMs: number): Mutex {
    const lockTimeout = this.options.lockTimeoutMs ?? 20_000;
    return new Mutex(this.redis, `${this.options.keyPrefix}tus-lock:${id}`, {
      lockTimeout,
      acquireTimeout: Math.max(waitMs, 1),
      acquireAttemptsLimit: waitMs === 0 ? 1 : Number.POSITIVE_INFINITY,
      retryInterval: 50,
      refreshInterval: Math.floor(lockTimeout / 3),
      onLockLost: onLost,
    });
  }
}
