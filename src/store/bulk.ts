import type { Store } from '@subsquid/typeorm-store';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { CopyText, copyable, fieldFormatters, type FieldFormatter } from './copyText';

type Entity = { id: string };
/** An entity class, as the store's change tracker and TypeORM's metadata lookup take it. */
type EntityClass = abstract new (...args: never[]) => unknown;

/** Postgres accepts 65,535 bind parameters per statement; stay below. */
const MAX_PARAMS = 60_000;

/**
 * From this many rows on, rows travel with COPY; below, one INSERT statement is cheaper than the extra
 * round trips of COPY (and, for upserts, of the staging table).
 */
export const COPY_MIN_ROWS = 200;

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
 * Writes rows of one entity kind. `insert` adds rows (a duplicate id fails the statement and with it
 * the transaction); `upsert` replaces every column of rows whose id exists and adds the others.
 * Changes are recorded for hot-block rollback first, as the store does: `trackInsert` (the ids, to
 * delete on rollback) for inserts, `trackUpsert` (the rows' previous values, read now) for upserts.
 *
 * From COPY_MIN_ROWS rows on, rows are streamed with COPY on the store's own connection (inside its
 * transaction): straight into the table for inserts, into a per-session staging table for upserts,
 * merged with one INSERT ... SELECT ... ON CONFLICT. Fewer rows go in one multi-row INSERT built from
 * the entity metadata (TypeORM's query builder is quadratic in the number of parameters).
 */
/**
 * The subset of `ids` that exist in the entity's table, in one indexed `= ANY` lookup. Loading through
 * TypeORM's query builder costs tens of microseconds per id even when nothing matches, and most ids a
 * batch asks for are new; this filters them out cheaply first.
 */
export async function existingIds(store: Store, cls: EntityClass, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const em = (store as unknown as StoreInternals).em();
  const meta = em.connection.getMetadata(cls);
  const rows: { id: string }[] = await em.query(`SELECT id FROM ${quote(meta.tableName)} WHERE id = ANY($1::text[])`, [
    ids,
  ]);
  return rows.map((r) => r.id);
}

/** Whether the entity's table holds no row (one index probe). */
export async function tableIsEmpty(store: Store, cls: EntityClass): Promise<boolean> {
  const em = (store as unknown as StoreInternals).em();
  const meta = em.connection.getMetadata(cls);
  const rows: { empty: boolean }[] = await em.query(
    `SELECT NOT EXISTS (SELECT 1 FROM ${quote(meta.tableName)}) AS empty`,
  );
  return rows[0].empty;
}

export async function bulkWrite(store: Store, rows: Entity[], mode: 'insert' | 'upsert'): Promise<void> {
  if (rows.length === 0) return;
  const internals = store as unknown as StoreInternals;
  const cls = (rows[0] as object).constructor as EntityClass;
  const em = internals.em();
  const meta = em.connection.getMetadata(cls);
  const columns: ColumnMetadata[] = meta.columns;
  assertRelationsLoaded(meta, rows);
  if (mode === 'insert') await internals.changes?.trackInsert(cls, rows);
  else await internals.changes?.trackUpsert(cls, rows);
  const client = rows.length >= COPY_MIN_ROWS ? await transactionClient(em) : undefined;
  if (client && copyable(em, columns)) {
    if (mode === 'insert') await copyInsert(client, meta, columns, rows);
    else await stagedUpsert(em, client, meta, columns, rows);
  } else {
    await statementWrite(em, meta, columns, rows, mode);
  }
}

/** A relation left undefined (not loaded) would be written as NULL: refuse instead of losing it. */
function assertRelationsLoaded(meta: EntityMetadata, rows: Entity[]): void {
  for (const column of meta.columns) {
    const relation = column.relationMetadata;
    if (!relation) continue;
    const missing = rows.find((r) => (r as Record<string, unknown>)[relation.propertyName] === undefined);
    if (missing) {
      throw new Error(
        `${meta.tableName} ${missing.id}: relation ${relation.propertyName} is not loaded; load it (Table relations) or set it to null`,
      );
    }
  }
}

/**
 * A write of one entity kind whose rows were already formatted as COPY text: a snapshot of their
 * values at the time `prepareWrite` ran, so the rows may change afterwards (the next batch folds into
 * them) without changing what this write stores. Executing it again (a retried transaction) writes the
 * same data.
 */
export interface PreparedWrite {
  table: string;
  mode: 'insert' | 'upsert';
  rows: number;
  /** Quoted column names, in the order of the fields of each line. */
  names: string[];
  /**
   * The COPY text, in UTF-8 chunks of about COPY_CHUNK_BYTES (see CopyText): bytes, compact while
   * the write waits for its commit.
   */
  chunks: Buffer[];
}

/** Formats rows of one entity kind for a later `executePrepared` (see PreparedWrite). */
export async function prepareWrite(
  em: EntityManager,
  rows: Entity[],
  mode: 'insert' | 'upsert',
  maybeYield: () => Promise<void> | undefined = () => undefined,
): Promise<PreparedWrite> {
  const cls = (rows[0] as object).constructor as EntityClass;
  const meta = em.connection.getMetadata(cls);
  const columns: ColumnMetadata[] = meta.columns;
  assertRelationsLoaded(meta, rows);
  if (!copyable(em, columns)) throw new Error(`${meta.tableName}: a column type COPY cannot write`);
  const text = new CopyText();
  const fields = fieldFormatters(columns);
  for (const row of rows) {
    if (text.addRow(fields, row)) {
      const y = maybeYield();
      if (y) await y;
    }
  }
  const chunks = text.finish();
  return { table: meta.tableName, mode, rows: rows.length, names: columns.map((c) => quote(c.databaseName)), chunks };
}

/**
 * An insert formatted row by row as rows arrive (see PreparedWrite): the rows themselves need not be
 * kept until the write, only their COPY text. For kinds whose rows never change once created.
 */
export class InsertFormatter {
  private readonly text = new CopyText();
  private readonly meta: EntityMetadata;
  private readonly fields: FieldFormatter[];
  private count = 0;

  constructor(em: EntityManager, cls: EntityClass) {
    this.meta = em.connection.getMetadata(cls);
    if (!copyable(em, this.meta.columns)) throw new Error(`${this.meta.tableName}: a column type COPY cannot write`);
    this.fields = fieldFormatters(this.meta.columns);
  }

  /** Formats one row now (throws on an unloaded relation, as the write would). */
  add(row: Entity): void {
    assertRelationsLoaded(this.meta, [row]);
    this.text.addRow(this.fields, row);
    this.count++;
  }

  /** Rows formatted so far. */
  get rows(): number {
    return this.count;
  }

  /** The insert of every row formatted so far. */
  finish(): PreparedWrite {
    const { tableName } = this.meta;
    const names = this.meta.columns.map((c) => quote(c.databaseName));
    return { table: tableName, mode: 'insert', rows: this.count, names, chunks: this.text.finish() };
  }
}

/**
 * Writes a prepared write in the store's transaction: COPY into the table (insert) or through the
 * staging table (upsert). Only for finalized blocks: hot blocks need the store's change tracking,
 * which reads rows' previous values at write time, so they go through `bulkWrite`.
 */
export async function executePrepared(store: Store, w: PreparedWrite): Promise<void> {
  const internals = store as unknown as StoreInternals;
  if (internals.changes)
    throw new Error('prepared writes are for finalized blocks only (hot blocks need change tracking)');
  const em = internals.em();
  const client = await transactionClient(em);
  if (!client) throw new Error('prepared writes need the transaction of a Subsquid store');
  const table = quote(w.table);
  const list = w.names.join(', ');
  if (w.mode === 'insert') {
    await copyChunks(client, `COPY ${table} (${list}) FROM STDIN`, w.chunks);
    return;
  }
  const stage = quote(`_stage_${w.table}`);
  await em.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
  await copyChunks(client, `COPY ${stage} (${list}) FROM STDIN`, w.chunks);
  await em.query(
    `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stage}${onConflict(w.names)}; TRUNCATE ${stage}`,
  );
}

/** Streams already formatted COPY text, waiting for 'drain' when asked; a server error fails the write. */
async function copyChunks(client: PoolClient, sql: string, chunks: readonly Buffer[]): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
  done.catch(() => undefined); // observed below
  let failed = false;
  done.catch(() => (failed = true));
  for (const chunk of chunks) {
    if (failed) break;
    if (!stream.write(chunk))
      await Promise.race([new Promise<void>((r) => stream.once('drain', r)), done.catch(() => undefined)]);
  }
  if (!failed) stream.end();
  try {
    await done;
  } catch (err) {
    throw new QueryFailedError(sql, undefined, err as Error);
  }
}

/**
 * The `pg` client under the EntityManager, when it is bound to one connection inside a transaction
 * (the store's is: TypeormDatabase runs each batch in `DataSource.transaction`, whose manager carries
 * the transaction's PostgresQueryRunner; `connect()` returns its pooled client, `databaseConnection`).
 * COPY and the staging table must run on that connection, in that transaction; anything else (an
 * unbound manager) writes with plain statements instead.
 */
async function transactionClient(em: EntityManager): Promise<PoolClient | undefined> {
  const runner = em.queryRunner;
  if (!runner || runner.isReleased || !runner.isTransactionActive) return undefined;
  if (em.connection.driver.options.type !== 'postgres') return undefined;
  const client = (await runner.connect()) as PoolClient | undefined;
  return typeof client?.query === 'function' ? client : undefined;
}

/** COPY straight into the table. */
async function copyInsert(client: PoolClient, meta: EntityMetadata, columns: ColumnMetadata[], rows: Entity[]) {
  const names = columns.map((c) => quote(c.databaseName)).join(', ');
  await copyRows(client, `COPY ${quote(meta.tableName)} (${names}) FROM STDIN`, columns, rows);
}

/**
 * COPY into the session's staging table for this table, merge into the table, empty the stage. The
 * stage is a temporary table (one per connection; created on first use, kept by the session, its rows
 * dropped at commit); it is emptied right after the merge as well, so a second upsert of the same
 * table in one transaction (hot blocks: one handler call per block) merges only its own rows.
 */
async function stagedUpsert(
  em: EntityManager,
  client: PoolClient,
  meta: EntityMetadata,
  columns: ColumnMetadata[],
  rows: Entity[],
) {
  const table = quote(meta.tableName);
  const stage = quote(`_stage_${meta.tableName}`);
  const names = columns.map((c) => quote(c.databaseName));
  const list = names.join(', ');
  await em.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
  await copyRows(client, `COPY ${stage} (${list}) FROM STDIN`, columns, rows);
  // Both statements in one round trip (simple query protocol: no parameters).
  await em.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stage}${onConflict(names)}; TRUNCATE ${stage}`);
}

function onConflict(names: string[]): string {
  return ` ON CONFLICT ("id") DO UPDATE SET ${names
    .filter((n) => n !== '"id"')
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(', ')}`;
}

/**
 * Runs `COPY ... FROM STDIN` and streams the rows in chunks, waiting for 'drain' whenever the stream
 * asks to. A server error (a duplicate id, a bad value) ends it with that error; the transaction is
 * then aborted, as with any failed statement. A row that cannot be formatted cancels the COPY
 * (CopyFail) so the connection is left in a defined state, then rethrows.
 */
async function copyRows(client: PoolClient, sql: string, columns: ColumnMetadata[], rows: Entity[]): Promise<void> {
  const stream = client.query(copyFrom(sql));
  let failed = false;
  const done = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', (err) => {
      failed = true;
      reject(err);
    });
  });
  done.catch(() => undefined); // observed below; avoid an unhandled rejection while formatting
  const drained = () => Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), done]);
  try {
    const text = new CopyText();
    const fields = fieldFormatters(columns);
    for (let i = 0; i < rows.length && !failed; i++) {
      if (text.addRow(fields, rows[i])) {
        let more = true;
        for (const chunk of text.take()) more = stream.write(chunk);
        if (!more) await drained();
      }
    }
    if (!failed) {
      for (const chunk of text.finish()) stream.write(chunk);
      stream.end();
    }
  } catch (err) {
    // A server error seen while waiting for 'drain' is reported below, like one seen at the end.
    if (!failed) {
      // Sends CopyFail; the server answers with an error, which settles `done`.
      stream.destroy(err as Error);
      await done.catch(() => undefined);
      throw err;
    }
  }
  try {
    await done;
  } catch (err) {
    throw new QueryFailedError(sql, undefined, err as Error);
  }
}

/** The statement path: one unnest INSERT, or multi-row VALUES when a column is an array. */
async function statementWrite(
  em: EntityManager,
  meta: EntityMetadata,
  columns: ColumnMetadata[],
  rows: Entity[],
  mode: 'insert' | 'upsert',
) {
  const names = columns.map((c) => quote(c.databaseName));
  const conflict = mode === 'upsert' ? onConflict(names) : '';
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
