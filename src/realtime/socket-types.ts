import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@sealroom/contracts';

/** What the server remembers per connection; Socket.IO keeps it across a recovered disconnect. */
export interface SocketData {
  /** The client's IP address, as rate limits and connection caps count it. */
  ip: string;
  /** Rooms this connection joined, with the member id and sealed profile it joined with. */
  memberships: Record<string, Membership>;
}

export interface Membership {
  memberId: string;
  /** The room's incarnation when this connection joined it: a room re-created under the same id has another. */
  incarnation: string;
  /**
   * The Socket.IO room of this membership, `channelOf(room id, incarnation)`, made once at join: every event
   * names the same string, so the recovery log holds one copy of it rather than one per event.
   */
  channel: string;
  profile: { iv: string; ct: string };
}

/** The Socket.IO server, typed from asyncapi.yaml (the same generated types the SDK uses). */
export type SealroomServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type SealroomSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
