import { Client } from 'pg';

/** Exit code for "the database does not belong to this chain": restarting cannot help (EX_CONFIG). */
export const EXIT_CHAIN_MISMATCH = 78;

/** Thrown when the indexed head is not on the node's chain; carries a non-restartable exit code. */
export class ChainMismatchError extends Error {
  readonly exitCode = EXIT_CHAIN_MISMATCH;
}

async function rpc(rpcUrl: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/**
 * Before the processor starts: checks that the last finalized block the database indexed is still on
 * the node's chain. It is not when a reorg went deeper than the finality confirmation or when the RPC
 * now serves another chain (e.g. a restarted devnet). The store would then refuse to start in a loop;
 * instead this fails once, with the recovery steps.
 */
export async function checkIndexedHeadOnChain(params: { dbUrl: string; rpcUrl: string; stateSchema: string }): Promise<void> {
  const { dbUrl, rpcUrl, stateSchema } = params;
  const client = new Client({ connectionString: dbUrl });
  await client.connect();
  let row: { height: number; hash: string } | undefined;
  try {
    const exists = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [
      stateSchema,
      'status',
    ]);
    if (!exists.rowCount) return;
    const r = await client.query(`SELECT height, hash FROM "${stateSchema}".status WHERE id = 0`);
    row = r.rows[0];
  } finally {
    await client.end();
  }
  if (!row || row.height < 0) return;
  const block = (await rpc(rpcUrl, 'eth_getBlockByNumber', ['0x' + Number(row.height).toString(16), false])) as {
    hash: string;
  } | null;
  if (block && block.hash.toLowerCase() === String(row.hash).toLowerCase()) return;
  throw new ChainMismatchError(
    `the database indexed block ${row.height} (${row.hash}) but the node at ${rpcUrl} ` +
      (block ? `has ${block.hash} at that height` : 'has no such block') +
      ': a reorg deeper than FINALITY_CONFIRMATIONS, or a different chain. Recover by re-indexing: ' +
      '`npm run db:reset` (drops the indexed data and processor state, keeps the schema) and start again; ' +
      'raise FINALITY_CONFIRMATIONS if deep reorgs are expected on this network.',
  );
}
