import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';

/** Bytes a relayed event takes in the Redis stream, roughly, to size the stream like the single-node buffer. */
const STREAM_ENTRY_BYTES = 1_024;

export interface ClusterAdapter {
  /** What Socket.IO's `adapter` option takes. */
  adapter: ReturnType<typeof createAdapter>;
  /** The connection the adapter publishes broadcasts on: a command sent on it after a broadcast runs after it. */
  publisher: Redis;
  /**
   * Closes the adapter's connections (after Socket.IO closed the adapter): the publisher once its commands are
   * sent, the reader and subscriber at once, since while Redis is away their reads would wait for it forever.
   */
  close(): Promise<void>;
}

/**
 * Socket.IO's Redis Streams adapter: every broadcast goes through one Redis stream that all nodes read, and
 * sessions are saved in Redis, so a client recovers its session on whichever node it reconnects to. The
 * stream is capped like the single-node recovery buffer (SOCKET_RECOVERY_BUFFER); every key and channel
 * carries REDIS_KEY_PREFIX.
 */
export function redisStreamsAdapter(redis: Redis, config: Pick<Config, 'redisKeyPrefix' | 'realtime'>): ClusterAdapter {
  const prefix = config.redisKeyPrefix;
  const { publisher, readers } = adapterConnections(redis);
  const adapter = createAdapter(publisher, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    sessionKeyPrefix: `${prefix}sio:session:`,
    maxLen: Math.max(10_000, Math.floor(config.realtime.recoveryBufferBytes / STREAM_ENTRY_BYTES)),
    onlyPlaintext: true, // every event is JSON (ciphertexts travel as base64url strings)
  });
  return {
    adapter,
    publisher,
    close: async () => {
      for (const reader of readers) reader.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}

/**
 * The adapter's own connection. It publishes each broadcast with a command that fails within a second while
 * Redis is away (the node still delivers to its own clients meanwhile). Its reader and subscriber connections
 * (made with `duplicate()`) instead wait for Redis however long it takes: a SUBSCRIBE refused at start-up
 * would otherwise be an unhandled rejection inside the adapter, and a refused stream read would spin.
 */
function adapterConnections(redis: Redis): { publisher: Redis; readers: Redis[] } {
  const publisher = redis.duplicate();
  const readers: Redis[] = [];
  publisher.on('error', () => undefined); // the main connection logs outages
  publisher.duplicate = (override) => {
    const patient = redis.duplicate({ maxRetriesPerRequest: null, ...override });
    patient.on('error', () => undefined);
    readers.push(patient);
    return patient;
  };
  return { publisher, readers };
}
