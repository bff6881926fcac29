import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { DownloadTokenEntity, LeaseEntity, RoomEntity, StoredFileEntity } from '../entities';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { ProtocolV21764900000000 } from './migrations/1764900000000-protocol-v2';
import { UploadClientGroup1765000000000 } from './migrations/1765000000000-upload-client-group';

export const entities = [RoomEntity, StoredFileEntity, LeaseEntity, DownloadTokenEntity];
export const migrations = [InitialSchema1764000000000, ProtocolV21764900000000, UploadClientGroup1765000000000];

/** The database file used when DATABASE_URL is not set. */
export const sqlitePath = (dataDir: string) => path.join(dataDir, 'sealroom.sqlite');

/**
 * SQLite under DATA_DIR by default; PostgreSQL when DATABASE_URL is set. Same entities, same migrations.
 * Schema changes go through migrations only (never `synchronize`).
 */
export function createDataSource(config: Pick<Config, 'dataDir' | 'databaseUrl'>, purpose: 'serve' | 'migrate' = 'serve'): DataSource {
  if (config.databaseUrl) {
    return new DataSource({
      type: 'postgres',
      url: config.databaseUrl,
      entities,
      migrations,
      migrationsRun: false,
      synchronize: false,
      // Fail fast when the database is down, so that requests get a 503 instead of hanging: a refused or reset
      // connection fails at once, a new connection into a partition after connectionTimeoutMillis, and a query
      // sent on a pooled connection that a partition swallows after query_timeout (without it, that request
      // would wait until the partition heals; tests/reliability/db-outage.test.ts cuts the path both ways).
      // Migrations, and the wait for their lock, may rightly take longer: they get no query_timeout.
      connectTimeoutMS: 5_000,
      extra:
        purpose === 'serve'
          ? { max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, query_timeout: 5_000 }
          : { max: 2, connectionTimeoutMillis: 5_000 },
    });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return new DataSource({
    type: 'sqlite',
    database: sqlitePath(config.dataDir),
    entities,
    migrations,
    synchronize: false,
    enableWAL: true,
    busyTimeout: 5_000,
  });
}

/** Connects and brings the schema up to date. */
export async function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<DataSource> {
  if (!config.databaseUrl) {
    const dataSource = createDataSource(config);
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  }
  // PostgreSQL: migrate on a short-lived data source of its own (no query_timeout), then serve on the pool.
  const migrator = createDataSource(config, 'migrate');
  await migrator.initialize();
  try {
    // Cluster nodes often start together: a session advisory lock lets one migrate while the others wait,
    // then they find nothing left to run (without it, both would try to create the same tables).
    const lockHolder = migrator.createQueryRunner();
    try {
      await lockHolder.query(`SELECT pg_advisory_lock(hashtext('sealroom:migrations'))`);
      await migrator.runMigrations({ transaction: 'each' });
    } finally {
      await lockHolder.query(`SELECT pg_advisory_unlock(hashtext('sealroom:migrations'))`).catch(() => undefined);
      await lockHolder.release();
    }
  } finally {
    await migrator.destroy();
  }
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  return dataSource;
}

/** The health probe: a trivial query that must come back. */
export async function pingDatabase(db: DataSource): Promise<void> {
  await db.query('SELECT 1');
}
