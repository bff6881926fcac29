import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Readable } from 'node:stream';
import express, { type Express } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { openDatabase, pingDatabase } from './db/data-source';
import { RegisterRoutes } from './generated/routes';
import { mountApiDocs } from './http/api-docs';
import { mountRealtimeDocs } from './http/asyncapi-docs';
import { answerClientErrors } from './http/client-errors';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { requireProtocolInBody } from './http/protocol-version';
import { checkOrigin } from './http/origin-check.middleware';
import { applySecurity } from './http/security';
import { discardRefusedUploads, mountUploadPipeline } from './http/upload/upload-pipeline';
import { createResumableUploads, mountResumableUploads } from './http/upload/resumable-upload.handler';
import { mountWebClient } from './http/web-client';
import { attachRealtime, type Realtime } from './realtime/realtime';
import type { SealroomServer } from './realtime/socket-types';
import { openRedis, pingRedis } from './redis/redis-connection';
import { DownloadTokenRepository } from './repositories/download-token.repository';
import { FileRepository } from './repositories/file.repository';
import { LeaseRepository } from './repositories/lease.repository';
import { RoomRepository } from './repositories/room.repository';
import { systemClock, type Clock } from './services/clock';
import { FileService } from './services/file.service';
import { HealthService } from './services/health.service';
import { RateLimitService, redisLimiters } from './services/rate-limit.service';
import { RoomEvents } from './services/room-events';
import { RoomService } from './services/room.service';
import type { Services } from './services/services';
import { ResumableUploadService } from './services/resumable-upload.service';
import { SweeperService } from './services/sweeper.service';
import type { BlobStore } from './storage/blob-store';
import { LocalBlobStore } from './storage/local-blob-store';
import type { S3BlobStoreOptions } from './storage/s3-blob-store';
import { LocalResumableUploadStore } from './storage/local-resumable-upload-store';
import type { ResumableUploadStore } from './storage/resumable-upload-store';
import { RedisUploadLocker } from './redis/redis-upload-locker';

export interface BuildOptions {
  logger?: Logger;
  clock?: Clock;
}

/** A built Sealroom server: everything wired, nothing listening yet. */
export interface Sealroom {
  app: Express;
  server: http.Server;
  /** The Socket.IO server (the chat channel of asyncapi.yaml). */
  io: SealroomServer;
  realtime: Realtime;
  services: Services;
  db: DataSource;
  /** Where file blobs live (BLOB_STORE). */
  blobs: BlobStore;
  sweeper: SweeperService;
  log: Logger;
  /** Stops accepting, lets requests in flight finish for up to SHUTDOWN_GRACE, then closes everything. */
  close(): Promise<void>;
}

/**
 * The composition root: builds the database, services, Express app, HTTP server and Socket.IO server from a
 * Config. It does not listen; `main.ts` does, and tests do on a free port with a temporary database.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Sealroom> {
  const log = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const nodeId = randomUUID();

  const db = await openDatabase(config);
  const blobs = await openBlobStore(config);
  try {
    await blobs.init();
  } catch (e) {
    await blobs.close();
    await db.destroy();
    throw e;
  }

  const events = new RoomEvents();
  // A cluster (REDIS_URL): one connection for the Socket.IO adapter, room state and rate limits. The node
  // starts even if Redis is down for now, reports 503 on /health, and carries on when Redis is back.
  const redis = config.redisUrl ? openRedis(config.redisUrl, log.child({ component: 'redis' })) : null;
  const limits = new RateLimitService(config, redis ? redisLimiters(redis, config.redisKeyPrefix) : undefined);
  const roomRows = new RoomRepository(db);
  const fileRows = new FileRepository(db);
  const rooms = new RoomService(roomRows, fileRows, blobs, config, clock, limits, events);
  const files = new FileService(fileRows, blobs, rooms, config, clock, new DownloadTokenRepository(db));
  // Resumable (tus) uploads: their PATCH bodies must keep the minimum upload rate, like form uploads.
  const resumableStore = await openResumableUploadStore(config, blobs, (body) => files.rateLimited(body));
  await resumableStore.init();
  // A cluster locks each upload in Redis, so that a retry through another node waits for the first to let go.
  const uploadLocker = redis
    ? new RedisUploadLocker(redis, log.child({ component: 'upload-locks' }), { keyPrefix: config.redisKeyPrefix })
    : null;
  const resumable = new ResumableUploadService(files, resumableStore, config);
  // A bucket is a remote dependency like the database and Redis; the local folder (on this machine) has no probe.
  const health = new HealthService({
    database: () => pingDatabase(db),
    ...(redis && { redis: () => pingRedis(redis) }),
    ...(blobs.kind === 's3' && { blob_store: () => blobs.check() }),
  });
  const services: Services = { config, clock, rooms, files, health, limits, events };

  const sweeper = new SweeperService(
    rooms,
    fileRows,
    new LeaseRepository(db),
    blobs,
    clock,
    log.child({ component: 'sweeper' }),
    {
      nodeId,
      intervalMs: config.sweepIntervalMs,
      singleNode: config.databaseUrl === null,
    },
    resumableStore,
  );
  await sweeper.startup();
  sweeper.start();

  const app = express();
  app.locals.services = services;
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    pinoHttp({
      logger: log,
      genReqId: () => randomUUID(),
      // Only what an operator needs: never bodies, headers (proofs travel in them) or query strings beyond ids.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    }),
  );
  applySecurity(app, config);
  app.use(checkOrigin(config));
  app.use(express.json({ limit: '16kb' }));

  // The upload pipeline's first step must run before tsoa's route for it (see upload-pipeline.ts).
  const uploadMulter = mountUploadPipeline(app, files, limits, config);
  // Resumable uploads: the creation preflight before tsoa's routes, which hand each request to the tus server.
  app.locals.resumableUploads = createResumableUploads(resumable, resumableStore, config, uploadLocker ?? undefined);
  mountResumableUploads(app, files, limits, app.locals.resumableUploads);
  // The protocol version is checked before the body's schema (see protocol-version.ts).
  app.post('/create_room', requireProtocolInBody);
  RegisterRoutes(app, { multer: uploadMulter });
  app.use('/upload_file', discardRefusedUploads(files));
  mountApiDocs(app);
  mountRealtimeDocs(app);
  mountWebClient(app, undefined, config.publicUrl);

  app.use(notFoundHandler);
  app.use(errorHandler);

  const server = http.createServer(app);
  // Large uploads may take long: no overall request deadline, but a connection that goes quiet is cut off.
  server.requestTimeout = 0;
  server.headersTimeout = 20_000;
  server.timeout = config.idleTimeoutMs;
  server.keepAliveTimeout = 5_000;
  answerClientErrors(server);
  const realtime = attachRealtime(server, app, services, log.child({ component: 'realtime' }), { nodeId, redis });

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await sweeper.stop();
      await realtime.close();
      await shutdownHttp(server, config.shutdownGraceMs);
      await db.destroy();
      await blobs.close();
      await resumableStore.close();
      await uploadLocker?.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    })());

  return { app, server, io: realtime.io, realtime, services, db, blobs, sweeper, log, close };
}

/**
 * The blob store BLOB_STORE names: DATA_DIR/files, or an S3-compatible bucket (credentials from the AWS SDK's
 * chain). The S3 stores are loaded only when used: the AWS SDK adds about 20 MB to a node's memory.
 */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  const options = s3Options(config);
  if (!options) return new LocalBlobStore(config.dataDir);
  const { S3BlobStore } = await import('./storage/s3-blob-store');
  return new S3BlobStore(options);
}

/** Resumable uploads in progress live beside the blobs: DATA_DIR/resumable, or the same bucket. */
async function openResumableUploadStore(
  config: Config,
  blobs: BlobStore,
  watchBody: (body: Readable) => Readable,
): Promise<ResumableUploadStore> {
  const options = s3Options(config);
  if (options) {
    const { S3ResumableUploadStore } = await import('./storage/s3-resumable-upload-store');
    return new S3ResumableUploadStore(options, config.resumableExpiryMs, watchBody);
  }
  const adopt = blobs instanceof LocalBlobStore ? (id: string, file: string) => blobs.adoptTemp(id, file) : undefined;
  return new LocalResumableUploadStore(config.dataDir, config.resumableExpiryMs, watchBody, adopt);
}

function s3Options(config: Config): S3BlobStoreOptions | null {
  const store = config.blobStore;
  if (store.kind === 'local') return null;
  return {
    bucket: store.bucket,
    endpoint: store.endpoint ?? undefined,
    region: store.region,
    forcePathStyle: store.forcePathStyle,
    prefix: store.prefix,
    createBucket: store.createBucket,
  };
}

/**
 * Stops accepting connections and closes each kept-alive connection as soon as it is idle (a response in
 * flight finishes first); whatever is still busy after the grace period is cut.
 */
function shutdownHttp(server: http.Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const reapIdle = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(reapIdle);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
