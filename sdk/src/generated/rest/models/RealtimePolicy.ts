// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
export type RealtimePolicy = {
  /**
   * Largest Socket.IO packet the server accepts, in bytes.
   */
  max_payload_bytes: number;
  /**
   * Messages and file shares one connection may send per second (short bursts of twice that pass).
   */
  sends_per_second: number;
  /**
   * Join attempts one connection may make per minute.
   */
  joins_per_minute: number;
  max_rooms_per_connection: number;
  max_members_per_room: number;
  max_connections_per_ip: number;
  /**
   * Ciphertexts kept per room for members who join later; 0 means the server keeps no messages.
   */
  message_backlog: number;
  /**
   * Bytes of backlog kept per room; the oldest entries are dropped first.
   */
  message_backlog_bytes: number;
  /**
   * Bytes of backlog kept over all rooms; the oldest entries (of any room) are dropped first.
   */
  message_backlog_total_bytes: number;
  /**
   * How long a dropped connection can come back and receive what it missed, in milliseconds.
   */
  recovery_window_ms: number;
};

