import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Services } from '../services/services';
import { answer } from './acks';
import { limitConnections } from './connection-limits';
import { RealtimeContract } from './contract';
import { checkHandshakeOrigin } from './origin-check';
import { shareFile } from './handlers/file-share.handler';
import { joinRoom } from './handlers/join.handler';
import { sendMessage } from './handlers/message.handler';
import { dropPresence, leaveRoom, rejoinAfterRecovery } from './handlers/presence.handler';
import type { RealtimeContext } from './realtime-context';
import { redisStreamsAdapter } from './cluster/cluster-adapter';
import { ClusterPresence } from './cluster/cluster-presence';
import { closeRoomsOnEvents } from './handlers/room-closed.handler';
import { announceTyping } from './handlers/typing.handler';
import { recoveryLogAdapter } from './recovery-log.adapter';
import { RedisRoomStateStore } from './state/redis-room-state';
import { MemoryRoomStateStore, type RoomStateStore } from './state/room-state';
import type { SealroomServer } from './socket-types';
import { validatePackets } from './validation.middleware';
import { coalesceWrites } from './write-coalescing';

export interface Realtime {
  io: SealroomServer;
  state: RoomStateStore;
  contract: RealtimeContract;
  /** Drops every connection (clients reconnect, here when we are back or to another node) and stops. */
  close(): Promise<void>;
}

export interface RealtimeOptions {
  /** This process's id in presence records. */
  nodeId: string;
  /** Set in a cluster (REDIS_URL): events, sessions and room state go through Redis. */
  redis: Redis | null;
}

/**
 * The Socket.IO chat channel described by asyncapi.yaml, attached to the HTTP server: connection limits at
 * the handshake, contract validation on every packet, then one handler per event.
 */
export function attachRealtime(server: http.Server, app: Express, services: Services, log: Logger, options: RealtimeOptions): Realtime {
  const { config } = services;
  const { recoveryWindowMs, recoveryBufferBytes } = config.realtime;
  const { redis, nodeId } = options;
  // One node: recovery from a bounded in-memory log. A cluster: the Redis Streams adapter, which relays
  // every broadcast to the other nodes and lets a session recover on any node.
  const cluster = redis ? redisStreamsAdapter(redis, config) : null;
  const adapter = cluster
    ? cluster.adapter
    : recoveryWindowMs > 0
      ? recoveryLogAdapter({ maxDisconnectionDurationMs: recoveryWindowMs, maxBytes: recoveryBufferBytes })
      : undefined;
  const io: SealroomServer = new Server(server, {
    serveClient: false,
    maxHttpBufferSize: config.realtime.maxPayloadBytes,
    // SOCKET_RECOVERY_WINDOW=0 switches recovery off. Recovered connections still pass the handshake
    // middlewares: skipping them would let recovered connections escape the per-IP connection count.
    ...(recoveryWindowMs > 0 && {
      connectionStateRecovery: { maxDisconnectionDuration: recoveryWindowMs, skipMiddlewares: false },
    }),
    ...(adapter && { adapter }),
    cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins } : undefined,
  });
  // Rooms are closed by the sweeper after ROOM_AGE_LIMIT idle; their Redis keys outlive that by an hour at most.
  const redisState =
    redis && cluster ? new RedisRoomStateStore(redis, config.redisKeyPrefix, config.roomIdleMs + 3_600_000, cluster.publisher) : null;
  const state: RoomStateStore = redisState ?? new MemoryRoomStateStore(() => services.clock.now());
  const ctx: RealtimeContext = { io, services, state, nodeId, log };
  const presence = redis && redisState ? new ClusterPresence(ctx, redis, redisState, config.redisKeyPrefix) : null;
  void presence?.start();
  const contract = new RealtimeContract();

  // A connection's frames of one event-loop turn leave in one system call (see write-coalescing.ts).
  server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => coalesceWrites(socket));
  checkHandshakeOrigin(io, config);
  limitConnections(io, app.get('trust proxy fn'), config.realtime.maxConnectionsPerIp);
  const stopClosingRooms = closeRoomsOnEvents(ctx);

  /** Presence updates of closed connections still in flight: shutdown lets them reach the other nodes first. */
  const departures = new Set<Promise<void>>();
  io.on('connection', (socket) => {
    if (socket.recovered) {
      // Events from a recovered connection wait until its memberships are checked (a room it was in may be gone
      // or re-created meanwhile), so that nothing it sends reaches a room it is no longer a member of.
      const restored = rejoinAfterRecovery(ctx, socket).catch((err: unknown) => log.warn({ err }, 'could not restore presence'));
      socket.use((_packet, next) => void restored.then(() => next()));
    }
    socket.use(validatePackets(ctx, contract));
    socket.on('room:join', (payload, ack) => answer(ack, log, () => joinRoom(ctx, socket, payload)));
    socket.on('room:leave', (payload, ack) => answer(ack, log, () => leaveRoom(ctx, socket, payload.room_id)));
    socket.on('message:send', (payload, ack) => answer(ack, log, () => sendMessage(ctx, socket, payload)));
    socket.on('file:share', (payload, ack) => answer(ack, log, () => shareFile(ctx, socket, payload)));
    // When this connection last relayed `member:typing`, per room (one member per room and connection).
    const typingRelays = new Map<string, number>();
    socket.on('room:typing', (payload, ack) => answer(ack, log, async () => announceTyping(ctx, socket, payload.room_id, typingRelays)));
    socket.on('disconnect', () => {
      const dropping = dropPresence(ctx, socket).catch((err: unknown) => log.warn({ err }, 'could not drop presence'));
      departures.add(dropping);
      void dropping.finally(() => departures.delete(dropping));
    });
  });

  return {
    io,
    state,
    contract,
    close: async () => {
      stopClosingRooms();
      io.engine.close();
      await Promise.all(departures);
      await presence?.stop();
      await io.of('/').adapter.close();
      await cluster?.close();
      if (state instanceof MemoryRoomStateStore) state.close();
    },
  };
}
