import path from 'node:path';
import { z } from 'zod';

/**
 * Server configuration, read from the environment once at start-up.
 * The original server's variables and units are kept (UPLOAD_SIZE_LIMIT in MB, FOLDER_SIZE_LIMIT in GB,
 * FILE_AGE_LIMIT in minutes); everything is converted to bytes and milliseconds here so the rest of the
 * code never deals with units.
 */
export interface Config {
  port: number;
  /** Origin (and optional path prefix) that links point at, without a trailing slash. */
  publicUrl: string;
  dataDir: string;
  /** 0 disables uploads. */
  uploadLimitBytes: number;
  storageLimitBytes: number;
  fileAgeMs: number;
  /** How long a resumable (tus) upload may take from its creation before it expires and its reservation is given back. */
  resumableExpiryMs: number;
  roomIdleMs: number;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Prepended to every Redis key and channel Sealroom uses, so that several deployments can share one Redis. */
  redisKeyPrefix: string;
  messageBacklog: number;
  /** Bytes of backlog kept per room and over all rooms; the oldest entries go first. */
  messageBacklogBytes: number;
  messageBacklogTotalBytes: number;
  /** Shares of the quota and of concurrent uploads that one address group or one room may hold. */
  uploads: UploadLimits;
  corsOrigins: string[];
  trustProxy: boolean | number | string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sweepIntervalMs: number;
  shutdownGraceMs: number;
  /** A connection that sends or receives nothing for this long is cut (slow uploads, stalled readers). */
  idleTimeoutMs: number;
  rateLimits: RateLimitConfig;
  realtime: RealtimeLimits;
  /** Where encrypted file blobs live (BLOB_STORE). */
  blobStore: BlobStoreConfig;
}

/** A local folder (DATA_DIR/files) for one machine, or an S3-compatible bucket for a cluster. */
export type BlobStoreConfig = { kind: 'local' } | S3StoreConfig;

export interface S3StoreConfig {
  kind: 's3';
  bucket: string;
  /** An S3-compatible server's URL (MinIO and the like); null for AWS S3. */
  endpoint: string | null;
  region: string;
  forcePathStyle: boolean;
  /** Prepended to every key; empty, or ends with `/`. */
  prefix: string;
  /** Create the bucket at start-up when it is missing. */
  createBucket: boolean;
}

export interface UploadLimits {
  /** Bytes of the storage quota one address group (IPv4 address, IPv6 /64) may hold, stored and in progress. */
  ipQuotaBytes: number;
  /** Bytes of the storage quota one room may hold, stored and in progress. */
  roomQuotaBytes: number;
  /** Uploads in progress at once from one address group. */
  maxPerIp: number;
  /** Uploads in progress at once into one room. */
  maxPerRoom: number;
  /** Bytes per second an upload must keep up after the grace period (0: no minimum). */
  minRateBytesPerSecond: number;
  /** How long an upload may go slower than that at its start (and over any window of this length after). */
  rateGraceMs: number;
}

export interface RateLimitConfig {
  /** Rooms one IP may create per minute. */
  createRoomPerMinute: number;
  /** Uploads one IP may start per minute. */
  uploadPerMinute: number;
  /** Room look-ups (`/room_exists`) one IP may make per minute (slows room-id enumeration). */
  lookupPerMinute: number;
  /** Failed room proofs one IP may present per minute for one room (slows proof brute force). */
  proofFailuresPerMinute: number;
  /** Failed room proofs one IP may present per minute over all rooms (a much higher ceiling). */
  proofFailuresPerIpPerMinute: number;
}

export interface RealtimeLimits {
  /** Largest Socket.IO packet accepted, in bytes. */
  maxPayloadBytes: number;
  /** Messages and file shares one connection may send per second (token bucket, burst = 2x). */
  sendsPerSecond: number;
  /** Messages and file shares one IP may send per second over all its connections. */
  ipSendsPerSecond: number;
  /** Joins one connection may attempt per minute. */
  joinsPerMinute: number;
  /** Joins one IP may attempt per minute over all its connections. */
  ipJoinsPerMinute: number;
  maxRoomsPerConnection: number;
  maxMembersPerRoom: number;
  maxConnectionsPerIp: number;
  /** How long Socket.IO keeps a dropped session so that the client can recover the missed events (0: off). */
  recoveryWindowMs: number;
  /** Bytes of recent events kept for connection-state recovery (single node; Redis holds them in a cluster). */
  recoveryBufferBytes: number;
}

/** PBKDF2-SHA256 iterations below this are refused for password rooms (OWASP 2023 guidance). */
export const MIN_KDF_ITERATIONS = 600_000;
/** The wire protocol this server speaks; requests must name it (anything else gets UNSUPPORTED_VERSION). */
export const PROTOCOL = 'sealroom/v2';
/**
 * Proofs (room proofs, download proofs, owner signatures) live PROOF_WINDOW_SECONDS in all: a timestamp `ts` is
 * accepted iff `now - (PROOF_WINDOW_SECONDS - PROOF_FUTURE_SKEW_SECONDS) <= ts <= now + PROOF_FUTURE_SKEW_SECONDS`.
 */
export const PROOF_WINDOW_SECONDS = 120;
/** How far ahead of the server's clock a proof's timestamp may be (client clocks a little fast). */
export const PROOF_FUTURE_SKEW_SECONDS = 10;

const MB = 1024 * 1024;
const GB = 1024 * MB;
const MINUTE = 60_000;

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const decimal = (min: number) => z.coerce.number().finite().min(min);
const bool = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

const EnvSchema = z.object({
  PORT: int(0, 65535).default(5000),
  BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('http://localhost'),
  DATA_DIR: z.string().min(1).default('./data'),
  UPLOAD_SIZE_LIMIT: decimal(0).default(100),
  FOLDER_SIZE_LIMIT: decimal(0).default(1),
  FILE_AGE_LIMIT: decimal(0.05).default(10),
  RESUMABLE_UPLOAD_EXPIRY: decimal(0.05).default(60),
  ROOM_AGE_LIMIT: decimal(0.05).default(1440),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite database)')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{0,64}$/, 'must be up to 64 of A-Z a-z 0-9 : _ . -')
    .default('sealroom:'),
  MESSAGE_BACKLOG: int(0, 10_000).default(0),
  CORS_ORIGINS: z.string().default(''),
  TRUST_PROXY: z.string().default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWEEP_INTERVAL: int(1, 86_400).default(30),
  SHUTDOWN_GRACE: int(0, 3_600).default(10),
  IDLE_TIMEOUT: int(1, 3_600).default(30),
  RATE_LIMIT_CREATE_ROOM: int(1).default(30),
  RATE_LIMIT_UPLOAD: int(1).default(60),
  RATE_LIMIT_LOOKUP: int(1).default(300),
  RATE_LIMIT_PROOF_FAILURES: int(1).default(30),
  RATE_LIMIT_PROOF_FAILURES_IP: int(1).default(300),
  UPLOAD_IP_SHARE: decimal(0.01).max(100).default(25),
  UPLOAD_ROOM_SHARE: decimal(0.01).max(100).default(50),
  UPLOAD_MAX_PER_IP: int(1).default(4),
  UPLOAD_MAX_PER_ROOM: int(1).default(8),
  UPLOAD_MIN_RATE: int(0).default(10_240),
  UPLOAD_RATE_GRACE: int(1, 3_600).default(10),
  MESSAGE_BACKLOG_BYTES: int(1024).default(MB),
  MESSAGE_BACKLOG_TOTAL_BYTES: int(1024).default(64 * MB),
  SOCKET_MAX_PAYLOAD: int(16 * 1024, 16 * MB).default(128 * 1024),
  SOCKET_SENDS_PER_SECOND: int(1).default(20),
  SOCKET_IP_SENDS_PER_SECOND: int(1).default(200),
  SOCKET_JOINS_PER_MINUTE: int(1).default(30),
  SOCKET_IP_JOINS_PER_MINUTE: int(1).default(120),
  SOCKET_MAX_ROOMS: int(1).default(10),
  ROOM_MAX_MEMBERS: int(2).default(100),
  SOCKET_MAX_PER_IP: int(1).default(50),
  SOCKET_RECOVERY_WINDOW: int(0, 3_600).default(120),
  SOCKET_RECOVERY_BUFFER: int(1, 4_096).default(64),
  BLOB_STORE: z.enum(['local', 's3'], { error: 'must be local or s3' }).default('local'),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  // S3's bucket naming rules (lower case, digits, dots and hyphens, 3-63 characters).
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z 0-9 . -)')
    .optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'must be a region name such as us-east-1')
    .default('us-east-1'),
  S3_FORCE_PATH_STYLE: bool.optional(),
  S3_PREFIX: z
    .string()
    .regex(/^(?!\/)[A-Za-z0-9_./-]{0,200}$/, 'must be up to 200 of A-Z a-z 0-9 _ . / - and not start with /')
    .default(''),
  S3_CREATE_BUCKET: bool.default(false),
});

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws a ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  // Empty strings mean "unset", as they do in most shells and compose files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const storageLimitBytes = Math.floor(e.FOLDER_SIZE_LIMIT * GB);
  const uploadLimitBytes = Math.floor(e.UPLOAD_SIZE_LIMIT * MB);
  const blobStore = blobStoreConfig(e, uploadLimitBytes);
  return {
    port: e.PORT,
    publicUrl: publicUrl(e.BASE_URL, e.PORT),
    dataDir: path.resolve(e.DATA_DIR),
    uploadLimitBytes,
    storageLimitBytes,
    fileAgeMs: Math.round(e.FILE_AGE_LIMIT * MINUTE),
    resumableExpiryMs: Math.round(e.RESUMABLE_UPLOAD_EXPIRY * MINUTE),
    roomIdleMs: Math.round(e.ROOM_AGE_LIMIT * MINUTE),
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    messageBacklog: e.MESSAGE_BACKLOG,
    messageBacklogBytes: e.MESSAGE_BACKLOG_BYTES,
    messageBacklogTotalBytes: e.MESSAGE_BACKLOG_TOTAL_BYTES,
    uploads: {
      ipQuotaBytes: Math.floor((storageLimitBytes * e.UPLOAD_IP_SHARE) / 100),
      roomQuotaBytes: Math.floor((storageLimitBytes * e.UPLOAD_ROOM_SHARE) / 100),
      maxPerIp: e.UPLOAD_MAX_PER_IP,
      maxPerRoom: e.UPLOAD_MAX_PER_ROOM,
      minRateBytesPerSecond: e.UPLOAD_MIN_RATE,
      rateGraceMs: e.UPLOAD_RATE_GRACE * 1000,
    },
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    sweepIntervalMs: e.SWEEP_INTERVAL * 1000,
    shutdownGraceMs: e.SHUTDOWN_GRACE * 1000,
    idleTimeoutMs: e.IDLE_TIMEOUT * 1000,
    rateLimits: {
      createRoomPerMinute: e.RATE_LIMIT_CREATE_ROOM,
      uploadPerMinute: e.RATE_LIMIT_UPLOAD,
      lookupPerMinute: e.RATE_LIMIT_LOOKUP,
      proofFailuresPerMinute: e.RATE_LIMIT_PROOF_FAILURES,
      proofFailuresPerIpPerMinute: e.RATE_LIMIT_PROOF_FAILURES_IP,
    },
    realtime: {
      maxPayloadBytes: e.SOCKET_MAX_PAYLOAD,
      sendsPerSecond: e.SOCKET_SENDS_PER_SECOND,
      ipSendsPerSecond: e.SOCKET_IP_SENDS_PER_SECOND,
      joinsPerMinute: e.SOCKET_JOINS_PER_MINUTE,
      ipJoinsPerMinute: e.SOCKET_IP_JOINS_PER_MINUTE,
      maxRoomsPerConnection: e.SOCKET_MAX_ROOMS,
      maxMembersPerRoom: e.ROOM_MAX_MEMBERS,
      maxConnectionsPerIp: e.SOCKET_MAX_PER_IP,
      recoveryWindowMs: e.SOCKET_RECOVERY_WINDOW * 1000,
      recoveryBufferBytes: e.SOCKET_RECOVERY_BUFFER * MB,
    },
    blobStore,
  };
}

/** S3 CopyObject's limit: a committed upload is copied from its temporary key in one request. */
const S3_MAX_UPLOAD_BYTES = 5 * GB;

/** The blob store's settings; S3 settings without BLOB_STORE=s3 are refused rather than silently ignored. */
function blobStoreConfig(e: z.infer<typeof EnvSchema>, uploadLimitBytes: number): BlobStoreConfig {
  const s3Only = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_FORCE_PATH_STYLE'] as const).filter((k) => e[k] !== undefined);
  if (e.BLOB_STORE === 'local') {
    if (s3Only.length > 0) throw new ConfigError(s3Only.map((k) => `${k}: is only used with BLOB_STORE=s3`));
    return { kind: 'local' };
  }
  const problems: string[] = [];
  if (e.S3_BUCKET === undefined) problems.push('S3_BUCKET: is required with BLOB_STORE=s3');
  if (uploadLimitBytes > S3_MAX_UPLOAD_BYTES) {
    problems.push('UPLOAD_SIZE_LIMIT: must be at most 5120 (MB) with BLOB_STORE=s3 (the largest object S3 copies in one request)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind: 's3',
    bucket: e.S3_BUCKET as string,
    endpoint: e.S3_ENDPOINT ?? null,
    region: e.S3_REGION,
    // Self-hosted servers rarely have a DNS name per bucket; AWS S3 wants virtual-hosted style.
    forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
    prefix: e.S3_PREFIX === '' || e.S3_PREFIX.endsWith('/') ? e.S3_PREFIX : `${e.S3_PREFIX}/`,
    createBucket: e.S3_CREATE_BUCKET,
  };
}

/**
 * Links are `BASE_URL:PORT` unless BASE_URL names a port itself or is https (then a proxy in front owns
 * the port), as in the original server.
 */
function publicUrl(baseUrl: string, port: number): string {
  const url = new URL(baseUrl);
  if (url.protocol === 'http:' && url.port === '' && port !== 80) url.port = String(port);
  return url.toString().replace(/\/+$/, '');
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // an IP, subnet or Express preset list such as "loopback, 10.0.0.0/8"
}
