import { builder } from '../builder';
import type { ApiContext } from '../context';
import { loadProcessedHead } from '../processedHead';
import type { IndexerStatusRow } from '../rows';

/** Indexing progress as `_meta` reports it. */
export interface Meta {
  indexedHeight: number | null;
  indexedHash: string | null;
  indexedTimestamp: Date | null;
  chainHead: number | null;
  finalizedHeight: number | null;
  lagBlocks: number | null;
  lagSeconds: number | null;
  eventCount: string | null;
}

/**
 * Reads indexing progress. The indexed head (height and hash) is the processor's own state
 * (`squid_processor`: its highest hot block, else its finalized head; see loadProcessedHead), written
 * in the transaction that commits the blocks. The `indexer_status` row our batch handler writes gives
 * the event count, and the head's timestamp when it is at the same block; otherwise the timestamp is
 * asked from the RPC by hash. Without processor state (a database filled by other means), the
 * `indexer_status` row is the head. The chain head comes from the RPC.
 */
export async function loadMeta(ctx: ApiContext): Promise<Meta> {
  const [indexed, head] = await Promise.all([loadIndexed(ctx), ctx.chainHead.get()]);
  const indexedTs = indexed?.timestamp ? Math.floor(indexed.timestamp.getTime() / 1000) : null;
  const lagBlocks = head && indexed ? Math.max(0, head.number - indexed.height) : null;
  return {
    indexedHeight: indexed?.height ?? null,
    indexedHash: indexed?.hash ?? null,
    indexedTimestamp: indexed?.timestamp ?? null,
    chainHead: head?.number ?? null,
    finalizedHeight: head ? Math.max(0, head.number - ctx.finalityConfirmations) : null,
    lagBlocks,
    // Chain time, not wall time: an idle chain that is fully indexed has no lag.
    lagSeconds: lagBlocks === 0 ? 0 : head && indexedTs != null ? Math.max(0, head.timestamp - indexedTs) : null,
    eventCount: indexed?.eventCount ?? null,
  };
}

interface Indexed {
  height: number;
  hash: string;
  timestamp: Date | null;
  eventCount: string | null;
}

async function loadIndexed(ctx: ApiContext): Promise<Indexed | null> {
  const [processed, status] = await Promise.all([
    loadProcessedHead((sql) => ctx.db.query(sql, [], (row) => row)),
    ctx.db.one<IndexerStatusRow>("SELECT * FROM indexer_status WHERE id = 'head'"),
  ]);
  if (!processed) return status && { ...status, eventCount: status.eventCount ?? null };
  const sameBlock = status !== null && status.height === processed.height && status.hash === processed.hash;
  const timestamp = sameBlock
    ? status.timestamp
    : await ctx.chainHead.blockTimestamp(processed.hash).then((ts) => (ts === null ? null : new Date(ts * 1000)));
  return { height: processed.height, hash: processed.hash, timestamp, eventCount: status?.eventCount ?? null };
}

const MetaRef = builder.objectRef<Meta>('Meta').implement({
  description: 'How far the indexer has got, and how far behind the chain it is.',
  fields: (t) => ({
    indexedHeight: t.exposeInt('indexedHeight', {
      nullable: true,
      description:
        'Last block the processor committed, from its own state (every block it moved past, with or without events); null before the first commit.',
    }),
    indexedHash: t.exposeString('indexedHash', { nullable: true, description: 'Hash of that block.' }),
    indexedTimestamp: t.expose('indexedTimestamp', {
      type: 'DateTime',
      nullable: true,
      description: 'Timestamp of that block (null when it cannot be read).',
    }),
    chainHead: t.exposeInt('chainHead', {
      nullable: true,
      description: 'Latest block of the chain (null without an RPC URL or when the RPC fails); cached about 1 s.',
    }),
    finalizedHeight: t.exposeInt('finalizedHeight', {
      nullable: true,
      description: 'max(0, chainHead - finality confirmations): blocks at or below it are not expected to reorg.',
    }),
    lagBlocks: t.exposeInt('lagBlocks', { nullable: true, description: 'max(0, chainHead - indexedHeight).' }),
    lagSeconds: t.exposeInt('lagSeconds', {
      nullable: true,
      description: 'Chain time between the indexed block and the head block (0 when caught up).',
    }),
    eventCount: t.expose('eventCount', {
      type: 'BigInt',
      nullable: true,
      description: 'Events (logs and deposit transactions) processed in total.',
    }),
  }),
});

builder.queryFields((t) => ({
  _meta: t.field({
    type: MetaRef,
    description: 'Indexing progress and lag behind the chain head.',
    resolve: (_, __, ctx) => loadMeta(ctx),
  }),
}));
