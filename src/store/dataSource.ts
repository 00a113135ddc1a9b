import path from 'node:path';
import { restoreDeferredIndexes } from './deferredIndexes';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SnakeNamingStrategy } from '@subsquid/typeorm-config/lib/namingStrategy';
import * as model from '../model';

/** The repository root (this file runs from `lib/store`). */
export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** The top-level migrations folder (plain JS files, TypeORM's migration interface). */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

/** The schema the Subsquid store keeps its processor state in. */
export const PROCESSOR_STATE_SCHEMA = 'squid_processor';

/** Creates (does not initialise) a TypeORM DataSource over the generated entities and top-level migrations. */
export function createDataSource(url: string, extra: { applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    namingStrategy: new SnakeNamingStrategy(),
    entities: Object.values(model).filter((v) => typeof v === 'function'),
    migrations: [path.join(MIGRATIONS_DIR, '*.js')],
    migrationsTableName: 'migrations',
    applicationName: extra.applicationName ?? 'openledger-indexer',
    logging: false,
  });
}

/**
 * Applies every pending migration in `migrations/`; returns the names applied. Indexes a backfill
 * deferred are built first when a migration is pending, so that migrations see every index.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = createDataSource(url, { applicationName: 'openledger-indexer-migrate' });
  await ds.initialize();
  try {
    if (await ds.showMigrations()) await restoreDeferredIndexes(url);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
