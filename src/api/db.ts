import { Pool, type PoolClient, type QueryConfig, type QueryResult } from 'pg';
import { silentLogger, type ApiLogger } from './log';

/** Parameters of {@link createApiDb}. */
export interface ApiDbParameters {
  /** postgres:// URL of the indexer database. */
  url: string;
  /** Per-statement timeout in ms (default 5000): a slow query fails instead of holding a connection. */
  statementTimeoutMs?: number;
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Where connection errors of idle clients go (default: silent). */
  log?: ApiLogger;
  /** Called with every statement before it runs (tests and benchmarks count queries; default: none). */
  onQuery?: (text: string) => void;
  /**
   * Most statement texts run as named prepared statements (default {@link DEFAULT_PREPARED_STATEMENTS};
   * 0: none, e.g. behind a pooler in transaction mode that does not track them).
   */
  maxPreparedStatements?: number;
}

/**
 * Distinct statement texts the API prepares, at most: a text is prepared on each connection the
 * first time it runs there once it has run {@link PREPARE_AFTER} times, and stays prepared for the
 * connection's life. Postgres then parses it once per connection and, once its generic plan is as
 * cheap as the custom ones, stops planning it. On the large bench database that took Postgres' CPU
 * for a contributor's payouts page from 0.27 to 0.075 ms, and for the account row with its payout
 * totals from 0.42 to 0.073 ms. The bound keeps per-connection memory bounded whatever shapes the
 * clients send.
 */
export const DEFAULT_PREPARED_STATEMENTS = 200;
/** API_PREPARED_STATEMENTS (unset or empty: {@link DEFAULT_PREPARED_STATEMENTS}); throws naming a bad value. */
export function readPreparedStatements(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.API_PREPARED_STATEMENTS?.trim();
  if (!raw) return DEFAULT_PREPARED_STATEMENTS;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`API_PREPARED_STATEMENTS must be a non-negative integer (got "${env.API_PREPARED_STATEMENTS}")`);
  }
  return n;
}

/** Runs of a text before it is prepared: one-off shapes (a rare filter combination) stay unnamed. */
export const PREPARE_AFTER = 3;

/** Postgres' "cached plan must not change result type" (0A000): a prepared `SELECT *` met a migration. */
export function isStalePreparedPlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

/**
 * Names statement texts for preparing (see {@link DEFAULT_PREPARED_STATEMENTS}): undefined for a
 * text that runs unnamed. Names are unique in the process; `rename` gives a text a new one (its old
 * plan is stale on every connection that prepared it).
 */
export function statementNamer(max: number, prepareAfter = PREPARE_AFTER) {
  const names = new Map<string, string>();
  const runs = new Map<string, number>();
  let issued = 0;
  const fresh = (text: string) => {
    const name = `api_${(issued++).toString(36)}`;
    names.set(text, name);
    return name;
  };
  return {
    name(text: string): string | undefined {
      const known = names.get(text);
      if (known !== undefined || names.size >= max) return known;
      const n = (runs.get(text) ?? 0) + 1;
      if (n < prepareAfter) {
        if (runs.size >= 10_000) runs.clear();
        runs.set(text, n);
        return undefined;
      }
      runs.delete(text);
      return fresh(text);
    },
    rename: (text: string) => (names.has(text) ? fresh(text) : undefined),
    size: () => names.size,
  };
}

/** The API's read-only access to Postgres. */
export interface ApiDb {
  /** Runs one statement and maps each row with `map` (default: snake_case columns to camelCase keys). */
  query<T>(text: string, values?: readonly unknown[], map?: (row: Record<string, unknown>) => T): Promise<T[]>;
  /**
   * Runs one statement and returns its column names and its rows as arrays (for a statement whose
   * columns repeat names, e.g. two tables' `*` side by side).
   */
  queryArrays(text: string, values?: readonly unknown[]): Promise<{ columns: string[]; rows: unknown[][] }>;
  /** Runs one statement and returns its first row mapped, or null when there is none. */
  one<T>(text: string, values?: readonly unknown[], map?: (row: Record<string, unknown>) => T): Promise<T | null>;
  /** Statements run through this handle so far (tests read it to show what DataLoaders batch). */
  queryCount(): number;
  /**
   * Checks out one connection for statements that must share it (a snapshot, a COPY stream); the
   * caller releases it (`release(err)` closes it instead of returning it to the pool). Statements run
   * on it bypass `query` and are neither counted nor seen by `onQuery`.
   */
  connect(): Promise<PoolClient>;
  /** The pool's connections now: open, idle, queries waiting for one, and the pool size (metrics). */
  poolStats(): { total: number; idle: number; waiting: number; max: number };
  /** Closes every connection of the pool. */
  close(): Promise<void>;
}

/**
 * Creates a pooled, read-only database handle: every session runs with
 * `default_transaction_read_only = on`, so each statement is a read-only transaction, and with a
 * statement timeout. numeric (BigInt) columns stay decimal strings, timestamptz become Dates.
 */
export function createApiDb({
  url,
  statementTimeoutMs = 5000,
  maxConnections = 10,
  log = silentLogger,
  onQuery,
  maxPreparedStatements = DEFAULT_PREPARED_STATEMENTS,
}: ApiDbParameters): ApiDb {
  const pool = new Pool({
    connectionString: url,
    max: maxConnections,
    application_name: 'openledger-api',
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: statementTimeoutMs,
    options: '-c default_transaction_read_only=on',
    // Connections stay open while idle (pg closes them after 10 s by default): a burst after a quiet
    // spell would otherwise wait for new sessions (a SCRAM login each) and re-prepare its statements.
    idleTimeoutMillis: 0,
  });
  // An idle client that loses its connection emits 'error' on the pool; the next query reconnects.
  pool.on('error', (err) => log('warn', { msg: 'idle database connection lost', error: err.message }));
  let statements = 0;
  const namer = statementNamer(maxPreparedStatements);
  const run = async (text: string, values: readonly unknown[], rowMode?: 'array'): Promise<QueryResult> => {
    onQuery?.(text);
    statements++;
    const config = (name: string | undefined) =>
      ({ text, values: values as unknown[], name, ...(rowMode ? { rowMode } : {}) }) as QueryConfig;
    const name = namer.name(text);
    try {
      return await pool.query(config(name));
    } catch (err) {
      // A migration changed the columns of a prepared `SELECT *`: the pool dropped the connection
      // that failed; run it again under a new name, which every connection prepares afresh.
      if (name === undefined || !isStalePreparedPlan(err)) throw err;
      return pool.query(config(namer.rename(text)));
    }
  };
  const query = async <T>(
    text: string,
    values: readonly unknown[] = [],
    map: (row: Record<string, unknown>) => T = camelRow as (row: Record<string, unknown>) => T,
  ): Promise<T[]> => (await run(text, values)).rows.map(map);
  return {
    query,
    async queryArrays(text, values = []) {
      const result = await run(text, values, 'array');
      return { columns: result.fields.map((f) => f.name), rows: result.rows as unknown as unknown[][] };
    },
    async one(text, values, map) {
      const rows = await query(text, values, map);
      return rows[0] ?? null;
    },
    queryCount: () => statements,
    connect: () => pool.connect(),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: maxConnections,
    }),
    async close() {
      await pool.end();
    },
  };
}

/** True for Postgres' "canceling statement due to statement timeout" (SQLSTATE 57014). */
export function isStatementTimeout(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '57014' && /statement timeout/.test(e.message ?? '');
}

const camelNames = new Map<string, string>();

/** Maps a row's snake_case column names to camelCase keys, values unchanged. */
export function camelRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    let name = camelNames.get(key);
    if (name === undefined) {
      name = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      camelNames.set(key, name);
    }
    out[name] = row[key];
  }
  return out as T;
}

/** Returns `rows` aligned with `keys` (null where no row has that key), the shape DataLoader needs. */
export function alignByKey<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): (T | null)[] {
  const byKey = new Map<K, T>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Groups `rows` by key, one (possibly empty) array per key in `keys` order. */
export function groupByKey<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): T[][] {
  const byKey = new Map<K, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return keys.map((key) => byKey.get(key) ?? []);
}
