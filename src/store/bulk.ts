import type { Store } from '@subsquid/typeorm-store';
import type { EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

type Entity = { id: string };
/** An entity class, as the store's change tracker and TypeORM's metadata lookup take it. */
type EntityClass = abstract new (...args: never[]) => unknown;

/** Postgres accepts 65,535 bind parameters per statement; stay below. */
const MAX_PARAMS = 60_000;

/**
 * The parts of `@subsquid/typeorm-store`'s Store this writer needs. The store exposes them only
 * privately; they are the same objects its own insert/upsert use, so hot-block change tracking (and
 * with it reorg rollback) stays exactly as the store would do it.
 */
interface StoreInternals {
  em(): EntityManager;
  changes?: {
    trackInsert(cls: EntityClass, rows: Entity[]): Promise<void>;
    trackUpsert(cls: EntityClass, rows: Entity[]): Promise<void>;
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes rows of one entity kind with multi-row INSERT statements built directly from the entity
 * metadata (TypeORM's query builder is quadratic in the number of parameters). `upsert` replaces every
 * column of rows whose id exists. Changes are recorded for hot-block rollback first, as the store does.
 */
export async function bulkWrite(store: Store, rows: Entity[], mode: 'insert' | 'upsert'): Promise<void> {
  if (rows.length === 0) return;
  const internals = store as unknown as StoreInternals;
  const cls = (rows[0] as object).constructor as EntityClass;
  if (mode === 'insert') await internals.changes?.trackInsert(cls, rows);
  else await internals.changes?.trackUpsert(cls, rows);
  const em = internals.em();
  const meta = em.connection.getMetadata(cls);
  const columns: ColumnMetadata[] = meta.columns;
  // A relation left undefined (not loaded) would be written as NULL: refuse instead of losing it.
  for (const column of columns) {
    const relation = column.relationMetadata;
    if (!relation) continue;
    const missing = rows.find((r) => (r as Record<string, unknown>)[relation.propertyName] === undefined);
    if (missing) {
      throw new Error(
        `${meta.tableName} ${missing.id}: relation ${relation.propertyName} is not loaded; load it (Table relations) or set it to null`,
      );
    }
  }
  const names = columns.map((c) => quote(c.databaseName));
  const conflict =
    mode === 'upsert'
      ? ` ON CONFLICT ("id") DO UPDATE SET ${names
          .filter((n) => n !== '"id"')
          .map((n) => `${n} = EXCLUDED.${n}`)
          .join(', ')}`
      : '';
  if (!columns.some((c) => c.isArray)) {
    // One parameter per column: each column's values travel as one Postgres array, unnested server-side.
    const types = columns.map((c) => em.connection.driver.normalizeType(c));
    const values = columns.map(() => new Array<unknown>(rows.length));
    rows.forEach((row, r) => {
      columns.forEach((column, k) => {
        const v = column.getEntityValue(row, true);
        values[k][r] = v === undefined ? null : v instanceof Date ? v.toISOString() : v;
      });
    });
    const selects = types.map((t, k) => `$${k + 1}::${t}[]`).join(', ');
    await em.query(
      `INSERT INTO ${quote(meta.tableName)} (${names.join(', ')}) SELECT * FROM unnest(${selects})${conflict}`,
      values,
    );
    return;
  }
  const head = `INSERT INTO ${quote(meta.tableName)} (${names.join(', ')}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const slots: string[] = [];
      for (const column of columns) {
        const value = column.getEntityValue(row, true);
        params.push(value === undefined ? null : value);
        slots.push(`$${params.length}`);
      }
      tuples.push(`(${slots.join(', ')})`);
    }
    await em.query(head + tuples.join(', ') + conflict, params);
  }
}
