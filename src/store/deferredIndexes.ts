import { Client } from 'pg';

/**
 * Secondary indexes deferred during a backfill (as Ponder does): a backfill from an empty database
 * drops the non-unique indexes of the indexed tables, remembering their definitions in
 * `deferred_index`, and builds them again, all at once, before it commits the batch that reaches the
 * chain head. Maintaining a dozen B-trees row by row while millions of rows arrive cost Postgres more
 * CPU than building them once from the finished tables (measured on the `large` scenario: Postgres
 * 69 s of CPU with the indexes, 44 s without them including the rebuild).
 *
 * Primary keys and unique indexes stay: upserts and duplicate checks need them. The API answers during
 * a backfill, only slower (`/ready` says 503 until the index is caught up anyway). A processor that
 * stops mid-backfill leaves the definitions in `deferred_index`, and the next one builds them when it
 * reaches the head; migrations build them first (`restoreDeferredIndexes` in runMigrations), so a
 * migration always sees every index it created.
 */

/** The table holding the definitions of the deferred indexes (created by the DeferredIndexes migration). */
export const DEFERRED_INDEX_TABLE = 'deferred_index';

/** Tables whose indexes are never deferred. */
const KEEP_TABLES = ['migrations', DEFERRED_INDEX_TABLE];

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url, application_name: 'openledger-indexer-indexes' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function deferredTableExists(c: Client): Promise<boolean> {
  const { rows } = await c.query(`SELECT to_regclass('public.${DEFERRED_INDEX_TABLE}') IS NOT NULL AS exists`);
  return rows[0].exists === true;
}

/**
 * Drops the secondary indexes of the indexed tables, recording them, when nothing is indexed yet (no
 * `indexer_status` row) and none are deferred already. Returns the number of indexes dropped (0 when
 * the database is not empty or the migrations that hold the table have not run).
 */
export async function deferIndexesForBackfill(url: string): Promise<number> {
  return withClient(url, async (c) => {
    if (!(await deferredTableExists(c))) return 0;
    await c.query('BEGIN');
    try {
      const { rows: indexed } = await c.query('SELECT 1 FROM indexer_status LIMIT 1');
      const { rows: already } = await c.query(`SELECT 1 FROM ${DEFERRED_INDEX_TABLE} LIMIT 1`);
      if (indexed.length || already.length) {
        await c.query('ROLLBACK');
        return 0;
      }
      const { rows } = await c.query<{ name: string; table: string; definition: string }>(
        `SELECT i.relname AS name, t.relname AS table, pg_get_indexdef(i.oid) AS definition
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND NOT x.indisunique AND NOT x.indisprimary AND t.relname <> ALL($1)
          ORDER BY t.relname, i.relname`,
        [KEEP_TABLES],
      );
      for (const r of rows) {
        await c.query(`INSERT INTO ${DEFERRED_INDEX_TABLE} (name, table_name, definition) VALUES ($1, $2, $3)`, [
          r.name,
          r.table,
          r.definition,
        ]);
        await c.query(`DROP INDEX public."${r.name.replace(/"/g, '""')}"`);
      }
      await c.query('COMMIT');
      return rows.length;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/**
 * Builds every deferred index (on `connections` sessions at once, the largest tables first) and
 * forgets each once built; idempotent, and safe to rerun after a crash halfway. Returns how many were
 * built and how long it took.
 */
export async function restoreDeferredIndexes(
  url: string,
  { connections = 2, maintenanceWorkMem = '256MB' }: { connections?: number; maintenanceWorkMem?: string } = {},
): Promise<{ built: number; ms: number }> {
  const started = performance.now();
  const pending = await withClient(url, async (c) => {
    if (!(await deferredTableExists(c))) return [];
    const { rows } = await c.query<{ name: string; definition: string }>(
      `SELECT d.name, d.definition FROM ${DEFERRED_INDEX_TABLE} d
         LEFT JOIN pg_class t ON t.relname = d.table_name AND t.relnamespace = 'public'::regnamespace
        ORDER BY t.reltuples DESC NULLS LAST, d.name`,
    );
    return rows;
  });
  if (pending.length === 0) return { built: 0, ms: 0 };
  let next = 0;
  const worker = () =>
    withClient(url, async (c) => {
      await c.query(`SET maintenance_work_mem = '${maintenanceWorkMem.replace(/'/g, '')}'`);
      // One process per build: with `connections` builds at once, Postgres' parallel workers only
      // oversubscribe the CPUs (measured on the large scenario, 2 connections: 7.9 s with the default 2
      // workers per build, 6.7 s without).
      await c.query('SET max_parallel_maintenance_workers = 0');
      for (let i = next++; i < pending.length; i = next++) {
        const { name, definition } = pending[i];
        await c.query(definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
        await c.query(`DELETE FROM ${DEFERRED_INDEX_TABLE} WHERE name = $1`, [name]);
      }
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(connections, pending.length)) }, worker));
  return { built: pending.length, ms: Math.round(performance.now() - started) };
}
