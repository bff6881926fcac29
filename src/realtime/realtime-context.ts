import type { Logger } from 'pino';
import type { Services } from '../services/services';
import type { RoomStateStore } from './state/room-state';
import type { SealroomServer } from './socket-types';

/** What every handler needs: the Socket.IO server, the services, and the per-room realtime state. */
export interface RealtimeContext {
  io: SealroomServer;
  services: Services;
  state: RoomStateStore;
  /** This server process, as presence records it (a cluster reaps the members of nodes that died). */
  nodeId: string;
  log: Logger;
}
