import { Controller, Example, Get, Response, Route, Tags } from '@tsoa/runtime';
import type { ErrorBody } from '../http/error-handler';
import { MIN_KDF_ITERATIONS, PROOF_WINDOW_SECONDS } from '../config';
import type { Services } from '../services/services';
import { VERSION } from '../version';

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
   * Room proofs are accepted within this many seconds of the server's clock.
   * @example 120
   */
  proof_window_s: number;
  realtime: RealtimePolicy;
}

/** Server state and the limits clients must respect. */
@Route('')
@Response<ErrorBody>(431, 'The request line and headers exceed 16 KiB (refused before any route runs)', { error: { code: 'HEADERS_TOO_LARGE', message: 'The request line and headers exceed 16 KiB' } })
@Tags('Server')
export class SystemController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /**
   * Reports whether the server and its dependencies (the database; Redis in a cluster) are usable. Answers
   * 503 with the same body while one is down, so load balancers and container health checks can act on it.
   * @summary Health check
   */
  @Get('health')
  @Example<HealthResponse>({ status: 'ok', version: '0.1.0', dependencies: { database: 'ok' }, uptime_s: 3600 })
  @Response<HealthResponse>(503, 'A dependency is down', { status: 'unavailable', version: '0.1.0', dependencies: { database: 'down' }, uptime_s: 3600 })
  async health(): Promise<HealthResponse> {
    const report = await this.services.health.check();
    if (report.status !== 'ok') this.setStatus(503);
    this.setHeader('Cache-Control', 'no-store');
    return { status: report.status, version: VERSION, dependencies: report.dependencies, uptime_s: report.uptimeSeconds };
  }

  /**
   * The limits a client must respect before it encrypts anything: upload size, storage, lifetimes, the KDF
   * minimum, the proof window and the realtime limits.
   * @summary Server limits
   */
  @Get('config')
  async config(): Promise<ConfigResponse> {
    const c = this.services.config;
    return {
      version: VERSION,
      public_url: c.publicUrl,
      max_upload_bytes: c.uploadLimitBytes,
      storage_limit_bytes: c.storageLimitBytes,
      file_age_ms: c.fileAgeMs,
      room_idle_ms: c.roomIdleMs,
      kdf: { algorithm: 'PBKDF2-SHA256', min_iterations: MIN_KDF_ITERATIONS },
      proof_window_s: PROOF_WINDOW_SECONDS,
      realtime: {
        max_payload_bytes: c.realtime.maxPayloadBytes,
        sends_per_second: c.realtime.sendsPerSecond,
        joins_per_minute: c.realtime.joinsPerMinute,
        max_rooms_per_connection: c.realtime.maxRoomsPerConnection,
        max_members_per_room: c.realtime.maxMembersPerRoom,
        max_connections_per_ip: c.realtime.maxConnectionsPerIp,
        message_backlog: c.messageBacklog,
        recovery_window_ms: c.realtime.recoveryWindowMs,
      },
    };
  }
}
