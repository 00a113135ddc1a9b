import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../db/embedded';
import { wipeIndexedData } from '../start/wipe';
import { runMigrations } from '../store/dataSource';

/** A migrated test database: DB_URL's server when set (a fresh database on it), else a temp embedded cluster. */
export interface TestDatabase {
  url: string;
  /** Runs a query and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops all indexed data and processor state, then migrates again (a fresh, empty index). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a throwaway Postgres with the migrations applied. */
export async function setupTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-test-pg-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
  const url = pg.url;
  await runMigrations(url);
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  return {
    url,
    query,
    async reset() {
      await wipeIndexedData(url);
      await runMigrations(url);
    },
    async stop() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
