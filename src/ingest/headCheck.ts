import { Client } from 'pg';
import { fetchBlockHash } from '../util/rpc';

/** Exit code for "the database does not belong to this chain": restarting cannot help (EX_CONFIG). */
export const EXIT_CHAIN_MISMATCH = 78;

/** Thrown when the indexed head is not on the node's chain; carries a non-restartable exit code. */
export class ChainMismatchError extends Error {
  readonly exitCode = EXIT_CHAIN_MISMATCH;
}

/** A minimal query interface (pg Client or Pool). */
export interface Queryable {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

/** The last finalized block the processor committed (`<stateSchema>.status`), or null before the first batch. */
export async function readFinalizedHead(
  db: Queryable,
  stateSchema = 'squid_processor',
): Promise<{ height: number; hash: string | null } | null> {
  try {
    const { rows } = await db.query(`SELECT height, hash FROM "${stateSchema}".status WHERE id = 0`);
    const row = rows[0];
    if (!row || Number(row.height) < 0) return null;
    return { height: Number(row.height), hash: typeof row.hash === 'string' ? row.hash.toLowerCase() : null };
  } catch {
    return null; // no processor state yet
  }
}

/**
 * Compares the database's finalized head with the node's block at that height. Returns the head
 * (null for an empty database) when it is on the chain; throws a ChainMismatchError describing the
 * mismatch otherwise (a reorg deeper than the finality confirmation, or another chain).
 */
export async function assertFinalizedHeadOnChain(
  db: Queryable,
  rpcUrl: string,
  stateSchema = 'squid_processor',
): Promise<number | null> {
  const head = await readFinalizedHead(db, stateSchema);
  if (!head) return null;
  if (!head.hash || head.hash === '0x') return head.height;
  const onChain = await fetchBlockHash(rpcUrl, head.height);
  if (onChain === head.hash) return head.height;
  throw new ChainMismatchError(
    `the database indexed block ${head.height} (${head.hash}) but the node at ${rpcUrl} ` +
      (onChain ? `has ${onChain} at that height` : 'has no such block') +
      ': a reorg deeper than FINALITY_CONFIRMATIONS, or a different chain',
  );
}

/**
 * Before the processor starts: the store would otherwise refuse to start in a loop on a database
 * whose head is not on the chain. Fails once, with the recovery steps.
 */
export async function checkIndexedHeadOnChain(params: {
  dbUrl: string;
  rpcUrl: string;
  stateSchema: string;
}): Promise<void> {
  const client = new Client({ connectionString: params.dbUrl });
  await client.connect();
  try {
    await assertFinalizedHeadOnChain(client, params.rpcUrl, params.stateSchema);
  } catch (err) {
    if (!(err instanceof ChainMismatchError)) throw err;
    throw new ChainMismatchError(
      `${err.message}. Recover by re-indexing: \`npm run db:reset\` (drops the indexed data and processor state, ` +
        'keeps the schema) and start again; raise FINALITY_CONFIRMATIONS if deep reorgs are expected on this network.',
    );
  } finally {
    await client.end();
  }
}
