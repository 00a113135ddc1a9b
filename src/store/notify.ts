// The processor -> API contract for live updates: one Postgres NOTIFY per committed transaction.

/** The LISTEN/NOTIFY channel the processor announces committed blocks on. */
export const BATCH_CHANNEL = 'openledger_batch';

/**
 * What one committed transaction announces (kept far below the 8,000-byte NOTIFY limit): every row
 * written with a block number in `from..to` is new or rewritten, and `to`/`hash` is the new head.
 * `from` at or below the previous head means blocks above `from - 1` were rolled back and replaced
 * (a reorg, or hot blocks replayed after a restart). `at` is the processor's wall clock (ms) just
 * before COMMIT; it is never stored, only used to measure delivery latency.
 */
export interface BatchNotification {
  from: number;
  to: number;
  hash: string;
  at: number;
}

/** Anything that runs one SQL statement with parameters (an EntityManager, a pg Client). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Serializes a notification as its NOTIFY payload (about 100 bytes). */
export function encodeBatchNotification(n: BatchNotification): string {
  return JSON.stringify({ from: n.from, to: n.to, hash: n.hash, at: n.at });
}

/** Parses a NOTIFY payload; null when it is not a batch notification (ignored by the API). */
export function parseBatchNotification(payload: string | undefined): BatchNotification | null {
  if (!payload) return null;
  try {
    const v = JSON.parse(payload) as Partial<BatchNotification>;
    const int = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
    if (!int(v.from) || !int(v.to) || typeof v.hash !== 'string' || v.from > v.to) return null;
    return { from: v.from, to: v.to, hash: v.hash, at: typeof v.at === 'number' ? v.at : Date.now() };
  } catch {
    return null;
  }
}

/**
 * Queues the notification in the caller's transaction: Postgres delivers it to listeners when that
 * transaction commits, and never when it rolls back (a retried transaction sends it from the retry).
 */
export async function notifyCommitted(sql: SqlRunner, range: { from: number; to: number; hash: string }) {
  const payload = encodeBatchNotification({ ...range, at: Date.now() });
  await sql.query('SELECT pg_notify($1, $2)', [BATCH_CHANNEL, payload]);
}
