import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Opens the Redis connection a cluster node shares between the Socket.IO adapter, the room state and the
 * rate limits. It never gives up: while Redis is away, it retries every second at most, and a command waits
 * for at most one reconnect attempt before it fails (so a chat ack says SERVICE_UNAVAILABLE within a second
 * or two instead of hanging), and /health says 503. When Redis is back, everything carries on by itself.
 */
export function openRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    // A cut connection is usually a restarted Redis: reconnect at once rather than wait for a timeout.
    keepAlive: 5_000,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.error({ err: err.message }, 'Redis is unreachable; retrying');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('Redis is reachable again');
    down = false;
  });
  return redis;
}

/** Resolves once the connection is ready, or after `timeoutMs` (the node starts either way, and says so on /health). */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}

/** The health probe: a PING that must come back, refused at once when the connection is not up. */
export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
  await redis.ping();
}

/**
 * Errors that mean "Redis cannot be used right now": ioredis gave up on a command after a reconnect attempt,
 * the connection is closed, or the socket failed.
 */
export function isRedisDown(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string } | null;
  if (!e) return false;
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e.code ?? '') ||
    /Connection is closed|Stream isn't writeable|LOADING/.test(e.message ?? '')
  );
}
