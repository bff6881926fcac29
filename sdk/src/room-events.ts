/** What a room handle reports: members, messages, files, and changes of the room or the connection. */
import type { SealroomError } from './errors.js';

/**
 * A member of a room, as this client knows it. The same object is updated in place (e.g. `verified` after
 * {@link Room.verify}), so a message's `from` shows the member's current state.
 */
export interface RoomMember {
  /** The member id, chosen at random by the member's client at each join. */
  id: string;
  /** The display name from the member's signed profile; null if the profile could not be opened or verified. */
  name: string | null;
  /** True for this client. */
  self: boolean;
  /**
   * The member's Ed25519 identity key (base64url, 43 characters) from its signed profile; null when the profile
   * could not be opened or its signature failed (nothing the member sends is then shown).
   */
  identityKey: string | null;
  /** True once this client's user compared safety codes with the member ({@link Room.verify}) for this key. */
  verified: boolean;
  /**
   * True when this client remembered another identity key for the member's display name in this room: the
   * member may be someone else using the name (or the same person on a new device). Compare safety codes.
   */
  keyChanged: boolean;
  /** True while another present member (this client included) shows the same display name. */
  sameName: boolean;
}

/** A chat message (decrypted and authenticated). */
export interface RoomMessage {
  id: string;
  roomId: string;
  /** The sender: its signature, checked with the identity key of its profile, binds the message to it. */
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

/** Why something a member sent was not shown. */
export type DropReason =
  /** It opened, but its signature does not verify with the sender's identity key (forged, relabelled or altered). */
  | 'bad_signature'
  /** The sender has no verified profile here (unknown member id, or its profile failed), so it cannot be checked. */
  | 'unknown_sender'
  /** It does not decrypt with the room's keys for that sender and id (wrong key, or moved by the relay). */
  | 'undecryptable'
  /** It decrypted and verified but is not a valid payload of its kind. */
  | 'invalid_payload';

/**
 * A message, file announcement or profile that arrived but is not shown: it failed to open or to verify.
 * Show a notice: the server (or a member) sent something that is not what it claims to be.
 */
export interface DroppedEvent {
  roomId: string;
  kind: 'message' | 'file' | 'profile';
  /** The member id the server attributed it to. */
  memberId: string;
  /** The message id, file id, or (for a profile) the member id. */
  id: string;
  reason: DropReason;
}

/** A member showed a display name that this client remembers with another identity key. */
export interface KeyChangedEvent {
  member: RoomMember;
  /** The identity key remembered for the name before. */
  previousKey: string;
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
  /** Something a member sent failed to open or to verify and was not shown. */
  dropped: (event: DroppedEvent) => void;
  /** A member's display name came with another identity key than the one remembered for it. */
  key_changed: (event: KeyChangedEvent) => void;
  /** Something went wrong that the room survives, e.g. rejoining after a reconnect failed for now. */
  error: (error: SealroomError) => void;
}
