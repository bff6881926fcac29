/** What a room handle reports: members, messages, files, and changes of the room or the connection. */
import type { SealroomError } from './errors.js';

/** A member of a room, as this client knows it. */
export interface RoomMember {
  /** The member id, chosen at random by the member's client at each join. */
  id: string;
  /** The display name from the member's sealed profile; null if it could not be opened. */
  name: string | null;
  /** True for this client. */
  self: boolean;
}

/** A chat message (decrypted and authenticated). */
export interface RoomMessage {
  id: string;
  roomId: string;
  /** The sender (as the server attributed it; the message's AAD binds it to this member id). */
  from: RoomMember;
  text: string;
  /** The id of the message this one answers. */
  replyTo?: string;
  /** When the server relayed it, Unix milliseconds (the server's clock). */
  sentAt: number;
  /** When the sender sent it, by the sender's clock (inside the ciphertext). */
  senderSentAt: number;
  /** The room's sequence number (messages and files share one sequence). */
  seq: number;
}

/** A file shared in a room: its decrypted metadata, and the key to download and decrypt it. */
export interface RoomFile {
  /** The file id. */
  id: string;
  roomId: string;
  from: RoomMember;
  /** File name (a plain name, no path). */
  name: string;
  /** MIME type; may be empty. */
  type: string;
  /** Plaintext size in bytes. */
  size: number;
  /** Ciphertext size in bytes, as stored. */
  encryptedSize: number;
  /** When the server deletes it, Unix milliseconds. */
  expiresAt: number;
  sentAt: number;
  seq: number;
  /** The 32-byte file key. */
  key: Uint8Array;
  /** A file link `BASE_URL/f/<file_id>#<key>` that can be shared outside the room. */
  link: string;
}

/** A member joined or left. */
export interface MemberEvent {
  type: 'joined' | 'left';
  member: RoomMember;
  /** Why a member left: on purpose (`left`) or its connection dropped (`disconnected`). */
  reason?: 'left' | 'disconnected';
}

/** The room was closed for everyone: deleted, expired, or found gone when reconnecting. */
export interface RoomClosedEvent {
  reason: 'deleted' | 'expired' | 'not_found';
}

/** The connection came back and the room is usable again. */
export interface ReconnectEvent {
  /**
   * True when Socket.IO restored the session, with the events missed meanwhile; false when the room was
   * joined again (then events sent while away are lost unless the server keeps a backlog).
   */
  recovered: boolean;
}

export interface RoomEventMap {
  [event: string]: (...args: never[]) => void;
  message: (message: RoomMessage) => void;
  file: (file: RoomFile) => void;
  member: (event: MemberEvent) => void;
  /**
   * Another member is writing a message (`member:typing`): show it for a few seconds (e.g. 4) after the last
   * one. The server relays at most one per member every 2 seconds, and never replays them.
   */
  typing: (member: RoomMember) => void;
  closed: (event: RoomClosedEvent) => void;
  /** The connection dropped; sends wait and are retried when it is back. */
  disconnect: () => void;
  reconnect: (event: ReconnectEvent) => void;
  /**
   * Something arrived that could not be opened (e.g. a message that fails to authenticate) and was dropped,
   * or rejoining after a reconnect failed for now. The room carries on.
   */
  error: (error: SealroomError) => void;
}
