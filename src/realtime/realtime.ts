import type http from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Services } from '../services/services';
import { answer } from './acks';
import { limitConnections } from './connection-limits';
import { RealtimeContract } from './contract';
import { shareFile } from './file-share.handler';
import { joinRoom } from './join.handler';
import { sendMessage } from './message.handler';
import { dropPresence, leaveRoom, rejoinAfterRecovery } from './presence';
import type { RealtimeContext } from './realtime-context';
import { closeRoomsOnEvents } from './room-closed';
import { recoveryLogAdapter } from './recovery-log.adapter';
import { MemoryRoomStateStore, type RoomStateStore } from './room-state';
import type { SealroomServer } from './socket-types';
import { validatePackets } from './validation.middleware';

export interface Realtime {
  io: SealroomServer;
  state: RoomStateStore;
  contract: RealtimeContract;
  /** Drops every connection (clients reconnect, here when we are back or to another node) and stops. */
  close(): Promise<void>;
}

/**
 * The Socket.IO chat channel described by asyncapi.yaml, attached to the HTTP server: connection limits at
 * the handshake, contract validation on every packet, then one handler per event.
 */
export function attachRealtime(server: http.Server, app: Express, services: Services, log: Logger): Realtime {
  const { config } = services;
  const { recoveryWindowMs, recoveryBufferBytes } = config.realtime;
  const io: SealroomServer = new Server(server, {
    serveClient: false,
    maxHttpBufferSize: config.realtime.maxPayloadBytes,
    // SOCKET_RECOVERY_WINDOW=0 switches recovery off. Recovered connections still pass the handshake
    // middlewares: skipping them would let recovered connections escape the per-IP connection count.
    ...(recoveryWindowMs > 0 && {
      connectionStateRecovery: { maxDisconnectionDuration: recoveryWindowMs, skipMiddlewares: false },
      adapter: recoveryLogAdapter({ maxDisconnectionDurationMs: recoveryWindowMs, maxBytes: recoveryBufferBytes }),
    }),
    cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins } : undefined,
  });
  const memoryState = new MemoryRoomStateStore(() => services.clock.now());
  const ctx: RealtimeContext = { io, services, state: memoryState, log };
  const contract = new RealtimeContract();

  limitConnections(io, app.get('trust proxy fn'), config.realtime.maxConnectionsPerIp);
  const stopClosingRooms = closeRoomsOnEvents(ctx);

  io.on('connection', (socket) => {
    if (socket.recovered) void rejoinAfterRecovery(ctx, socket).catch((err: unknown) => log.warn({ err }, 'could not restore presence'));
    socket.use(validatePackets(ctx, contract));
    socket.on('room:join', (payload, ack) => answer(ack, log, () => joinRoom(ctx, socket, payload)));
    socket.on('room:leave', (payload, ack) => answer(ack, log, () => leaveRoom(ctx, socket, payload.room_id)));
    socket.on('message:send', (payload, ack) => answer(ack, log, () => sendMessage(ctx, socket, payload)));
    socket.on('file:share', (payload, ack) => answer(ack, log, () => shareFile(ctx, socket, payload)));
    socket.on('disconnect', () => {
      dropPresence(ctx, socket).catch((err: unknown) => log.warn({ err }, 'could not drop presence'));
    });
  });

  return {
    io,
    state: memoryState,
    contract,
    close: async () => {
      stopClosingRooms();
      io.engine.close();
      await io.of('/').adapter.close();
      memoryState.close();
    },
  };
}
