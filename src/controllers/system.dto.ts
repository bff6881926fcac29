export interface HealthResponse {
  /** `ok` when every dependency answers; `unavailable` (with HTTP 503) otherwise. */
  status: 'ok' | 'unavailable';
  /** @example "0.1.0" */
  version: string;
  /**
   * Each dependency's state: `database` always, `redis` in a cluster.
   * @example {"database": "ok"}
   */
  dependencies: { [name: string]: 'ok' | 'down' };
  /** @example 3600 */
  uptime_s: number;
}

/** The minimum password-KDF parameters the server accepts for password rooms. */
export interface KdfPolicy {
  /** @example "PBKDF2-SHA256" */
  algorithm: 'PBKDF2-SHA256';
  /** @example 600000 */
  min_iterations: number;
}

export interface RealtimePolicy {
  /** Largest Socket.IO packet the server accepts, in bytes. */
  max_payload_bytes: number;
  /** Messages and file shares one connection may send per second (short bursts of twice that pass). */
  sends_per_second: number;
  /** Join attempts one connection may make per minute. */
  joins_per_minute: number;
  max_rooms_per_connection: number;
  max_members_per_room: number;
  max_connections_per_ip: number;
  /** Ciphertexts kept per room for members who join later; 0 means the server keeps no messages. */
  message_backlog: number;
  /** How long a dropped connection can come back and receive what it missed, in milliseconds. */
  recovery_window_ms: number;
}

export interface ConfigResponse {
  /** @example "0.1.0" */
  version: string;
  /**
   * The wire protocol this server speaks; clients send it as `protocol` in create_room, upload_file and room:join.
   * @example "sealroom/v2"
   */
  protocol: 'sealroom/v2';
  /**
   * Where links point: `<public_url>/r/<room_id>#<secret>`, `<public_url>/f/<file_id>#<key>`.
   * @example "http://localhost:5000"
   */
  public_url: string;
  /**
   * Largest ciphertext one upload may have, in bytes; 0 when uploads are off. Check before encrypting: the
   * ciphertext of n bytes is n + 16 x (floor(n / 65536) + 1) bytes.
   * @example 104857600
   */
  max_upload_bytes: number;
  /**
   * The storage quota for all files together, in bytes.
   * @example 1073741824
   */
  storage_limit_bytes: number;
  /**
   * How long a file lives after its upload, in milliseconds.
   * @example 600000
   */
  file_age_ms: number;
  /**
   * How long a room lives without activity, in milliseconds.
   * @example 86400000
   */
  room_idle_ms: number;
  kdf: KdfPolicy;
  /**
   * How long a proof lives in all, in seconds: room proofs, download proofs and owner signatures are accepted iff
   * `now - (proof_window_s - proof_future_skew_s) <= ts <= now + proof_future_skew_s`.
   * @example 120
   */
  proof_window_s: number;
  /**
   * How far ahead of the server's clock a proof's timestamp may be, in seconds (part of `proof_window_s`).
   * @example 10
   */
  proof_future_skew_s: number;
  realtime: RealtimePolicy;
}
