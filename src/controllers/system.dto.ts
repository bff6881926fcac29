export interface HealthResponse {
  /** `ok` when every dependency answers; `unavailable` (with HTTP 503) otherwise. */
  status: 'ok' | 'unavailable';
  /** @example "0.1.0" */
  version: string;
  /**
   * Each dependency's state: `database` always, `redis` in a cluster, `blob_store` with BLOB_STORE=s3.
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
  /** Bytes of backlog kept per room; the oldest entries are dropped first. */
  message_backlog_bytes: number;
  /** Bytes of backlog kept over all rooms; the oldest entries (of any room) are dropped first. */
  message_backlog_total_bytes: number;
  /** How long a dropped connection can come back and receive what it missed, in milliseconds. */
  recovery_window_ms: number;
}

/** How much of the storage quota and of the uploads at once one client or one room may hold, and how slow an upload may be. */
export interface UploadPolicy {
  /** Bytes of the quota one address group (an IPv4 address, an IPv6 /64) may hold, stored files and uploads in progress. */
  max_bytes_per_ip: number;
  /** Bytes of the quota one room may hold, stored files and uploads in progress. */
  max_bytes_per_room: number;
  /** Uploads in progress at once from one address group. */
  max_uploads_per_ip: number;
  /** Uploads in progress at once into one room. */
  max_uploads_per_room: number;
  /** Bytes per second an upload must keep up over any `rate_grace_ms` window, its first included; 0: no minimum. */
  min_rate_bytes_per_s: number;
  rate_grace_ms: number;
}

/** Requests per minute one address group (an IPv4 address, an IPv6 /64) may make, by kind. */
export interface RateLimitPolicy {
  create_room_per_minute: number;
  upload_per_minute: number;
  /** Everything that tells whether a room exists: room_exists, DELETE /rooms, uploads and socket joins. */
  lookup_per_minute: number;
  /** Failed room proofs for one room. */
  proof_failures_per_room_per_minute: number;
  /** Failed room proofs over all rooms. */
  proof_failures_per_minute: number;
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
  uploads: UploadPolicy;
  rate_limits: RateLimitPolicy;
}
