// DO NOT EDIT. Generated from asyncapi.yaml by contracts/codegen/socketio-types (npm run generate:contracts).
// The server's Socket.IO handlers and the SDK are typed with these same declarations.

/** 6-36 characters of the base64url alphabet; random ids are 16 bytes (22 characters). */
export type Id = string;

/** `<unix seconds>.<base64url HMAC-SHA256>`: a room proof for the purpose `join`. */
export type Proof = string;

/** A 12-byte AES-GCM nonce, base64url without padding. */
export type Iv = string;

/** Unix time in milliseconds. */
export type Millis = number;

/** The room's sequence number, counting messages and file announcements together. */
export type Seq = number;

/** `{name, identity_key, sig}` sealed with the room's `msg` key; at most 1 KiB of padded plaintext. */
export interface SealedProfile {
  iv: Iv;
  ct: string;
}

/** The sealed message; at most 64 KiB of padded plaintext. */
export type MessageCiphertext = string;

/** The sealed file metadata; at most 4 KiB of padded plaintext. */
export type FileMetaCiphertext = string;

export interface Member {
  member_id: Id;
  profile: SealedProfile;
}

export interface RoomJoinPayload {
  /** The wire protocol version the client speaks. Checked before the rest of the payload: a join without `protocol: sealroom/v2` (a v1 client) is refused with `UNSUPPORTED_VERSION`. */
  protocol: "sealroom/v2";
  room_id: Id;
  member_id: Id;
  proof: Proof;
  profile: SealedProfile;
}

export interface RoomLeavePayload {
  room_id: Id;
}

export interface MessageSendPayload {
  room_id: Id;
  id: Id;
  iv: Iv;
  ct: MessageCiphertext;
}

export interface FileSharePayload {
  room_id: Id;
  file_id: Id;
  iv: Iv;
  ct: FileMetaCiphertext;
}

export interface RoomTypingPayload {
  room_id: Id;
}

export interface MemberTypingPayload {
  room_id: Id;
  member_id: Id;
}

export interface MemberJoinedPayload {
  room_id: Id;
  member_id: Id;
  profile: SealedProfile;
}

export interface MemberLeftPayload {
  room_id: Id;
  member_id: Id;
  reason: "left" | "disconnected";
}

export interface MessageNewPayload {
  room_id: Id;
  id: Id;
  member_id: Id;
  seq: Seq;
  sent_at: Millis;
  iv: Iv;
  ct: MessageCiphertext;
}

export interface FileNewPayload {
  room_id: Id;
  file_id: Id;
  member_id: Id;
  seq: Seq;
  sent_at: Millis;
  /** Ciphertext bytes stored (the plaintext is `size - 16 x records`). */
  size: number;
  expires_at: Millis;
  iv: Iv;
  ct: FileMetaCiphertext;
}

export interface RoomClosedPayload {
  room_id: Id;
  reason: "deleted" | "expired";
}

export interface OkAck {
  ok: true;
}

export interface RoomJoinAck {
  ok: true;
  room_id: Id;
  member_id: Id;
  /** The other members present, with their sealed profiles. */
  members: Array<Member>;
  /** With MESSAGE_BACKLOG set, the room's latest events in `seq` order; otherwise empty. */
  backlog: Array<BacklogEntry>;
}

export type BacklogEntry = {
  event: "message:new";
  data: MessageNewPayload;
} | {
  event: "file:new";
  data: FileNewPayload;
};

export interface SendAck {
  ok: true;
  id: Id;
  seq: Seq;
  sent_at: Millis;
  /** True when this `id` was delivered before; nothing was sent again. */
  duplicate: boolean;
}

export interface ErrorAck {
  ok: false;
  error: {
    code: AckErrorCode;
    message: string;
    /** Seconds after which a retry may succeed (rate limits). */
    retry_after?: number;
  };
}

/** The codes an acknowledgement can carry: a subset of the REST API's `ErrorCode` list, with the same meanings.
 * `UNSUPPORTED_VERSION`: a `room:join` without `protocol: sealroom/v2` (update the client);
 * `INVALID_PAYLOAD`: the payload does not match this document; `NOT_IN_ROOM`: join first; `TOO_MANY_ROOMS`:
 * this connection is in as many rooms as it may be; `RATE_LIMITED` comes with `retry_after`.
 * A connection refused at the handshake gets `TOO_MANY_CONNECTIONS` as its `connect_error` message. */
export const ACK_ERROR_CODES = ["UNSUPPORTED_VERSION", "INVALID_PAYLOAD", "PAYLOAD_TOO_LARGE", "UNKNOWN_EVENT", "PROOF_INVALID", "PROOF_EXPIRED", "ROOM_NOT_FOUND", "FILE_NOT_FOUND", "NOT_IN_ROOM", "ALREADY_IN_ROOM", "MEMBER_ID_TAKEN", "ROOM_FULL", "TOO_MANY_ROOMS", "RATE_LIMITED", "SERVICE_UNAVAILABLE", "INTERNAL"] as const;
/** The codes an acknowledgement can carry: a subset of the REST API's `ErrorCode` list, with the same meanings.
 * `UNSUPPORTED_VERSION`: a `room:join` without `protocol: sealroom/v2` (update the client);
 * `INVALID_PAYLOAD`: the payload does not match this document; `NOT_IN_ROOM`: join first; `TOO_MANY_ROOMS`:
 * this connection is in as many rooms as it may be; `RATE_LIMITED` comes with `retry_after`.
 * A connection refused at the handshake gets `TOO_MANY_CONNECTIONS` as its `connect_error` message. */
export type AckErrorCode = (typeof ACK_ERROR_CODES)[number];

/** Events a client emits; each takes an acknowledgement callback. */
export interface ClientToServerEvents {
  /** A client joins a room with a room proof for joining and its sealed profile. */
  "room:join": (payload: RoomJoinPayload, ack: (reply: RoomJoinAck | ErrorAck) => void) => void;
  /** A client leaves a room it joined; the others receive member:left (reason: left). */
  "room:leave": (payload: RoomLeavePayload, ack: (reply: OkAck | ErrorAck) => void) => void;
  /** A member sends an encrypted message to a room it joined. */
  "message:send": (payload: MessageSendPayload, ack: (reply: SendAck | ErrorAck) => void) => void;
  /** A member announces a file it uploaded to this room, with its sealed metadata (name, type, size, key). */
  "file:share": (payload: FileSharePayload, ack: (reply: SendAck | ErrorAck) => void) => void;
  /** A member tells the room it is writing a message; the others receive member:typing. */
  "room:typing": (payload: RoomTypingPayload, ack: (reply: OkAck | ErrorAck) => void) => void;
}

/** Events the server emits to clients. */
export interface ServerToClientEvents {
  /** Sent (volatile) to the other members when one of them is writing; at most once per member every 2 seconds. */
  "member:typing": (payload: MemberTypingPayload) => void;
  /** Sent to the other members of a room when someone joins it (or comes back after a dropped connection). */
  "member:joined": (payload: MemberJoinedPayload) => void;
  /** Sent to the other members when someone leaves (reason: left) or loses its connection (reason: disconnected). */
  "member:left": (payload: MemberLeftPayload) => void;
  /** An encrypted message from another member, in order of its seq number. */
  "message:new": (payload: MessageNewPayload) => void;
  /** A file announced by another member, with its sealed metadata and the server's size and expiry. */
  "file:new": (payload: FileNewPayload) => void;
  /** The room was deleted or expired; the server has removed every member from it. */
  "room:closed": (payload: RoomClosedPayload) => void;
}

/** Each client event's payload schema in asyncapi.yaml (components.schemas), for validation at run time. */
export const CLIENT_EVENT_SCHEMAS = {
  "room:join": "RoomJoinPayload",
  "room:leave": "RoomLeavePayload",
  "message:send": "MessageSendPayload",
  "file:share": "FileSharePayload",
  "room:typing": "RoomTypingPayload",
} as const;

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;
/** The payload of a client event. */
export type ClientEventPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
/** The acknowledgement a client event receives. */
export type ClientEventReply<E extends ClientEventName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
/** The payload of a server event. */
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** The AsyncAPI document's version these types were generated from. */
export const ASYNCAPI_VERSION = "0.3.0";

