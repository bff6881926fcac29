import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { AppError } from '../errors';

/** Every rate-limited action, with what it protects. */
export type LimitName =
  | 'createRoom' // storage of room rows by one IP
  | 'upload' // uploads started by one IP
  | 'lookup' // room-id and file-id enumeration
  | 'proofFailure' // brute force of room proofs, per address group and room
  | 'proofFailureIp' // the same over all rooms: a much higher ceiling
  | 'socketSend' // messages and file shares per connection
  | 'socketIpSend' // the same, per IP over all its connections
  | 'socketJoin' // join attempts per connection
  | 'socketIpJoin'; // join attempts per IP

interface LimitRule {
  points: number;
  durationSeconds: number;
}

/** Builds a limiter for a rule; swapped for a Redis-backed one in a cluster so all nodes share counts. */
export type LimiterFactory = (name: LimitName, rule: LimitRule) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (name, rule) =>
  new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationSeconds });

/**
 * A cluster's limiters: counts live in Redis (keys `<prefix>rl:<limit>:<key>`), so a client cannot multiply
 * its allowance by spreading requests over nodes. While Redis is unreachable each node falls back to its own
 * in-memory counts (rate-limiter-flexible's insurance limiter) instead of refusing or waiting.
 */
export function redisLimiters(redis: Redis, prefix: string): LimiterFactory {
  return (name, rule) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}rl:${name}`,
      points: rule.points,
      duration: rule.durationSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memoryLimiters(name, rule),
    });
}

/** Token-bucket-style limits on actions by key (an IP or a connection id), backed by rate-limiter-flexible. */
export class RateLimitService {
  private readonly limiters: Record<LimitName, RateLimiterAbstract>;

  constructor(config: Pick<Config, 'rateLimits' | 'realtime'>, factory: LimiterFactory = memoryLimiters) {
    const { rateLimits: r, realtime: rt } = config;
    const rules: Record<LimitName, LimitRule> = {
      createRoom: { points: r.createRoomPerMinute, durationSeconds: 60 },
      upload: { points: r.uploadPerMinute, durationSeconds: 60 },
      lookup: { points: r.lookupPerMinute, durationSeconds: 60 },
      proofFailure: { points: r.proofFailuresPerMinute, durationSeconds: 60 },
      proofFailureIp: { points: r.proofFailuresPerIpPerMinute, durationSeconds: 60 },
      // Two seconds' worth of points: a short burst is fine, a sustained flood is not.
      socketSend: { points: rt.sendsPerSecond * 2, durationSeconds: 2 },
      socketIpSend: { points: rt.ipSendsPerSecond * 2, durationSeconds: 2 },
      socketJoin: { points: rt.joinsPerMinute, durationSeconds: 60 },
      socketIpJoin: { points: rt.ipJoinsPerMinute, durationSeconds: 60 },
    };
    this.limiters = Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, factory(name as LimitName, rule)])) as Record<
      LimitName,
      RateLimiterAbstract
    >;
  }

  /** Takes one point for `key`, or throws RATE_LIMITED with the seconds until a retry may succeed. */
  async consume(name: LimitName, key: string, points = 1): Promise<void> {
    try {
      await this.limiters[name].consume(key, points);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
      }
      throw e;
    }
  }

  /** Throws RATE_LIMITED when `key` has no points left, without taking one. */
  async check(name: LimitName, key: string): Promise<void> {
    const res = await this.limiters[name].get(key);
    if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) {
      const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `Too many failed attempts; retry in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
    }
  }
}
