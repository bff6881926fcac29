import { EventEmitter } from 'node:events';

export type RoomClosedReason = 'deleted' | 'expired';

interface RoomEventMap {
  /** A room (this incarnation of its id) is gone: its members must be told and removed. */
  closed: [roomId: string, reason: RoomClosedReason, incarnation: string];
}

/** In-process domain events that the REST side raises and the realtime side turns into socket events. */
export class RoomEvents extends EventEmitter<RoomEventMap> {}
