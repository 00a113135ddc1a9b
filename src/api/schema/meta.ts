import { builder } from '../builder';
import type { ApiContext } from '../context';
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
 * Reads indexing progress: the processor's `indexer_status` row (written in the same batch as
 * the data), else its `squid_processor.status` row; the chain head from the RPC.
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

type Indexed = Pick<IndexerStatusRow, 'height' | 'hash'> & Partial<Pick<IndexerStatusRow, 'timestamp' | 'eventCount'>>;

async function loadIndexed(ctx: ApiContext): Promise<Indexed | null> {
  const row = await ctx.db.one<IndexerStatusRow>("SELECT * FROM indexer_status WHERE id = 'head'");
  if (row) return row;
  try {
    const status = await ctx.db.one<{ height: number; hash: string }>(
      'SELECT height, hash FROM squid_processor.status WHERE id = 0',
    );
    return status && status.height >= 0 ? status : null;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // No processor state yet (42P01), or a role that may not read it (42501: the API's read-only role).
    if (code === '42P01' || code === '42501') return null;
    throw err;
  }
}

const MetaRef = builder.objectRef<Meta>('Meta').implement({
  description: 'How far the indexer has got, and how far behind the chain it is.',
  fields: (t) => ({
    indexedHeight: t.exposeInt('indexedHeight', {
      nullable: true,
      description: 'Last block the processor committed (null before the first batch).',
    }),
    indexedHash: t.exposeString('indexedHash', { nullable: true, description: 'Hash of that block.' }),
    indexedTimestamp: t.expose('indexedTimestamp', {
      type: 'DateTime',
      nullable: true,
      description: 'Timestamp of that block.',
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
