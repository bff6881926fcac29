import type { Logger } from 'pino';
import type { Services } from '../services/services';
import type { RoomStateStore } from './room-state';
import type { SealroomServer } from './socket-types';

/** What every handler needs: the Socket.IO server, the services, and the per-room realtime state. */
export interface RealtimeContext {
  io: SealroomServer;
  services: Services;
  state: RoomStateStore;
  log: Logger;
}
