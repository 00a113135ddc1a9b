/** The last block the processor committed, as its own state schema records it. */
export interface ProcessedHead {
  height: number;
  hash: string;
}

/** Where the processor keeps its state (see PROCESSOR_STATE_SCHEMA in src/store/dataSource.ts). */
export const STATE_SCHEMA = 'squid_processor';

/**
 * Reads the processed head from the processor's state schema: the highest hot block when there are
 * any, else the finalized head of `status`. Both are written by the Subsquid store in the same
 * transaction as the data of those blocks, for every block the processor moves past, including the ones no batch handler
 * call covers (the runner moves the head with an empty transaction when the first block to index lies
 * above the finalized head), so it cannot lag behind the committed data the way a row written by the
 * handler can. Null before the processor committed anything (or before it created its schema).
 */
export async function loadProcessedHead(
  query: (sql: string) => Promise<Record<string, unknown>[]>,
): Promise<ProcessedHead | null> {
  // processed_head() (migration ProcessedHead) reads the state schema for roles that may not (`api`).
  const rows = await query('SELECT height, hash FROM processed_head()');
  const row = rows[0];
  return row && row.height != null ? { height: Number(row.height), hash: String(row.hash).toLowerCase() } : null;
}
