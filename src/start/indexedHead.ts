import { PROCESSOR_STATE_SCHEMA } from '../store/dataSource';
import { StartError } from './errors';
import { fetchBlockHash } from './rpc';

/** What the database says the processor has indexed so far. */
export interface IndexedHead {
  /** Last block committed (hot blocks included when the processor writes `indexer_status`). */
  height: number;
  /** Its hash (lowercase), when known. */
  hash: string | null;
  /** Events processed in total, when the processor keeps `indexer_status`. */
  events: number | null;
}

/** A minimal query interface (pg Client or Pool). */
export interface Queryable {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
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

/** Reads only the processor's finalized state (`squid_processor.status`): the block it will resume after. */
export async function readFinalizedHead(db: Queryable): Promise<{ height: number; hash: string | null } | null> {
  try {
    const { rows } = await db.query(`SELECT height, hash FROM "${PROCESSOR_STATE_SCHEMA}".status WHERE id = 0`);
    const row = rows[0];
    if (!row || Number(row.height) < 0) return null;
    return { height: Number(row.height), hash: typeof row.hash === 'string' ? row.hash.toLowerCase() : null };
  } catch {
    return null;
  }
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
  const finalized = await readFinalizedHead(db);
  if (!finalized) return null;
  if (!finalized.hash || finalized.hash === '0x') return finalized.height;
  const onChain = await fetchBlockHash(rpcUrl, finalized.height).catch(() => undefined);
  if (onChain === undefined) return finalized.height; // the processor will report an unreachable node itself
  if (onChain !== finalized.hash) {
    const found = onChain ? `has ${onChain}` : 'has no such block';
    throw new StartError(
      `the database holds another chain's data: it indexed block ${finalized.height} as ${finalized.hash}, ` +
        `but the chain at RPC_URL ${found}\n` +
        `  (data from the devnet, or another network?) index into an empty database: ${recovery}`,
    );
  }
  return finalized.height;
}
