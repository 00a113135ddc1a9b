import type { TestDatabase } from './postgres';

/**
 * Tables the processor writes (everything the migrations create in `public` except the migrations
 * table and `deferred_index`, which holds index definitions during a backfill, not indexed data).
 */
export async function indexedTables(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'deferred_index')
     ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Every row of every indexed table, ordered by id, as JSON text: two equal snapshots mean two equal indexes. */
export async function snapshotIndex(db: TestDatabase): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await indexedTables(db)) {
    const rows = await db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x ORDER BY id`);
    out[t] = rows.map((r) => r.j);
  }
  return out;
}
