import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { LeaseEntity, RoomEntity, StoredFileEntity } from '../entities';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';

export const entities = [RoomEntity, StoredFileEntity, LeaseEntity];
export const migrations = [InitialSchema1764000000000];

/** The database file used when DATABASE_URL is not set. */
export const sqlitePath = (dataDir: string) => path.join(dataDir, 'sealroom.sqlite');

/**
 * SQLite under DATA_DIR by default; PostgreSQL when DATABASE_URL is set. Same entities, same migrations.
 * Schema changes go through migrations only (never `synchronize`).
 */
export function createDataSource(config: Pick<Config, 'dataDir' | 'databaseUrl'>): DataSource {
  if (config.databaseUrl) {
    return new DataSource({
      type: 'postgres',
      url: config.databaseUrl,
      entities,
      migrations,
      migrationsRun: false,
      synchronize: false,
      // Fail fast when the database is down, so that requests get a 503 instead of hanging.
      connectTimeoutMS: 5_000,
      extra: { max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 },
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
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
