import { Controller, Example, Get, Response, Route, Tags } from '@tsoa/runtime';
import { MIN_KDF_ITERATIONS, PROOF_FUTURE_SKEW_SECONDS, PROOF_WINDOW_SECONDS, PROTOCOL, type Config } from '../config';
import type { ErrorBody } from '../errors';
import type { HealthService } from '../services/health.service';
import { VERSION } from '../version';
import { headersTooLarge } from './common.dto';
import type { ConfigResponse, HealthResponse } from './system.dto';

/** Server state and the limits clients must respect. */
@Route('')
@Response<ErrorBody>(431, 'The request line and headers exceed 16 KiB (refused before any route runs)', headersTooLarge)
@Tags('Server')
export class SystemController extends Controller {
  constructor(
    private readonly healthChecks: HealthService,
    private readonly settings: Config,
  ) {
    super();
  }

  /**
   * Reports whether the server and its dependencies (the database; Redis in a cluster; the S3 bucket with
   * BLOB_STORE=s3) are usable. Answers 503 with the same body while one is down, so load balancers and container
   * health checks can act on it.
   * @summary Health check
   */
  @Get('health')
  @Example<HealthResponse>({ status: 'ok', version: '0.1.0', dependencies: { database: 'ok' }, uptime_s: 3600 })
  @Response<HealthResponse>(503, 'A dependency is down', {
    status: 'unavailable',
    version: '0.1.0',
    dependencies: { database: 'down' },
    uptime_s: 3600,
  })
  async health(): Promise<HealthResponse> {
    const report = await this.healthChecks.check();
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
    const c = this.settings;
    return {
      version: VERSION,
      protocol: PROTOCOL,
      public_url: c.publicUrl,
      max_upload_bytes: c.uploadLimitBytes,
      storage_limit_bytes: c.storageLimitBytes,
      file_age_ms: c.fileAgeMs,
      room_idle_ms: c.roomIdleMs,
      kdf: { algorithm: 'PBKDF2-SHA256', min_iterations: MIN_KDF_ITERATIONS },
      proof_window_s: PROOF_WINDOW_SECONDS,
      proof_future_skew_s: PROOF_FUTURE_SKEW_SECONDS,
      realtime: {
        max_payload_bytes: c.realtime.maxPayloadBytes,
        sends_per_second: c.realtime.sendsPerSecond,
        joins_per_minute: c.realtime.joinsPerMinute,
        max_rooms_per_connection: c.realtime.maxRoomsPerConnection,
        max_members_per_room: c.realtime.maxMembersPerRoom,
        max_connections_per_ip: c.realtime.maxConnectionsPerIp,
        message_backlog: c.messageBacklog,
        message_backlog_bytes: c.messageBacklogBytes,
        message_backlog_total_bytes: c.messageBacklogTotalBytes,
        recovery_window_ms: c.realtime.recoveryWindowMs,
      },
      uploads: {
        max_bytes_per_ip: c.uploads.ipQuotaBytes,
        max_bytes_per_room: c.uploads.roomQuotaBytes,
        max_uploads_per_ip: c.uploads.maxPerIp,
        max_uploads_per_room: c.uploads.maxPerRoom,
        min_rate_bytes_per_s: c.uploads.minRateBytesPerSecond,
        rate_grace_ms: c.uploads.rateGraceMs,
      },
      rate_limits: {
        create_room_per_minute: c.rateLimits.createRoomPerMinute,
        upload_per_minute: c.rateLimits.uploadPerMinute,
        lookup_per_minute: c.rateLimits.lookupPerMinute,
        proof_failures_per_room_per_minute: c.rateLimits.proofFailuresPerMinute,
        proof_failures_per_minute: c.rateLimits.proofFailuresPerIpPerMinute,
      },
    };
  }
}
