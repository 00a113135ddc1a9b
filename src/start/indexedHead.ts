import { ChainMismatchError, assertFinalizedHeadOnChain, readFinalizedHead, type Queryable } from '../ingest/headCheck';
import { StartError } from './errors';

export { readFinalizedHead, type Queryable };

/** What the database says the processor has indexed so far. */
export interface IndexedHead {
  /** Last block committed (hot blocks included when the processor writes `indexer_status`). */
  height: number;
  /** Its hash (lowercase), when known. */
  hash: string | null;
  /** Events processed in total, when the processor keeps `indexer_status`. */
  events: number | null;
}

/**
 * Reads the indexer's head: `indexer_status` row 'head' when present, else the processor's own
 * `squid_processor.status`; null when nothing has been indexed yet.
 */
export async function readIndexedHead(db: Queryable): Promise<IndexedHead | null> {
  try {
    const { rows } = await db.query(`SELECT height, hash, event_count FROM public.indexer_status WHERE id = 'head'`);
    const row = rows[0];
    if (row) {
      return {
        height: Number(row.height),
        hash: typeof row.hash === 'string' ? row.hash.toLowerCase() : null,
        events: row.event_count == null ? null : Number(row.event_count),
      };
    }
  } catch {
    // table not there yet: fall back to the processor state
  }
  const finalized = await readFinalizedHead(db);
  return finalized && { ...finalized, events: null };
}

/**
 * Before resuming against RPC_URL: checks that the chain still holds the last finalized block the
 * database indexed; returns that height (null for an empty database) or throws a StartError.
 */
export async function checkDatabaseMatchesChain(
  db: Queryable,
  rpcUrl: string,
  recovery = 'set DB_URL to an empty database',
): Promise<number | null> {
  try {
    return await assertFinalizedHeadOnChain(db, rpcUrl);
  } catch (err) {
    if (err instanceof ChainMismatchError) {
      throw new StartError(
        `the database holds another chain's data: ${err.message}\n` +
          `  (data from the devnet, or another network?) index into an empty database: ${recovery}`,
      );
    }
    // The node did not answer: the processor reports an unreachable node itself.
    return (await readFinalizedHead(db))?.height ?? null;
  }
}
