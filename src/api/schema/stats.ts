import { INTERVAL_MS, computeBucketRange, emptyStatsMetrics, type StatsIntervalName } from '../../domain/stats';
import { builder } from '../builder';
import type { ApiContext } from '../context';
import { badUserInput } from '../errors';
import type { BridgeTokenTotalRow, StatsBucketRow } from '../rows';
import { parseDecimal } from '../validate';
import { BridgeTokenVolumeRef, type BridgeTokenVolume } from './refs';

/** Most buckets one `stats` request may return (a month of hours is 744, three years of days 1,096). */
export const MAX_STATS_BUCKETS = 1000;

/** The L2 token of native OPEN: listed in every global bucket's `bridge`, even before any native transfer. */
const NATIVE_TOKEN = '0x0000000000000000000000000000000000000000';

/** The rows of one series in a range ($1 scope, $2 key, $3 interval, $4 first start, $5 end): one range of the (scope, scope_key, interval, start) index. */
export const STATS_SERIES_SQL = `SELECT * FROM stats_bucket
  WHERE scope = $1 AND scope_key = $2 AND interval = $3 AND start >= $4 AND start < $5 ORDER BY start`;
/** The token rows of a range ($1 tokens, $2 interval, $3 first start, $4 end): one index range per token. */
export const STATS_TOKENS_SQL = `SELECT * FROM stats_bucket
  WHERE scope = 'TOKEN' AND scope_key = ANY($1) AND interval = $2 AND start >= $3 AND start < $4`;

type Scope = 'GLOBAL' | 'DATANET' | 'MODEL';
type Metrics = ReturnType<typeof emptyStatsMetrics>;

/** One bucket as served: the stored row's metrics, or the scope's zeros when nothing happened in it. */
interface BucketView {
  start: Date;
  end: Date;
  metrics: Metrics | StatsBucketRow;
  /** GLOBAL only: per-token bridge volumes of the whole response, by bucket start (ms). */
  bridge: (() => Promise<Map<number, BridgeTokenVolume[]>>) | null;
}

/** What `stats` resolves to. */
interface StatsView {
  interval: StatsIntervalName;
  scope: Scope;
  datanetId: string | null;
  modelId: string | null;
  from: Date;
  to: Date;
  buckets: BucketView[];
}

const StatsIntervalEnum = builder.enumType('StatsInterval', {
  description: 'Bucket length of a time series; buckets are aligned to UTC.',
  values: {
    HOUR: { description: 'One bucket per UTC hour.' },
    DAY: { description: 'One bucket per UTC day (00:00 to 24:00 UTC).' },
  } as const,
});

const StatsScopeEnum = builder.enumType('StatsScope', {
  description: 'What a time series aggregates.',
  values: {
    GLOBAL: { description: 'Everything the indexer saw.' },
    DATANET: { description: 'One Datanet (its contributions, reviews and the payments for them).' },
    MODEL: { description: 'One model (its inferences, fees and their payments).' },
  } as const,
});

BridgeTokenVolumeRef.implement({
  description: 'Bridge deposits and withdrawals of one token (amounts of different tokens are never added up).',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'L2 token address (zero address for native OPEN), lowercase.' }),
    depositCount: t.exposeInt('depositCount', { description: 'Deposits (L1 to L2).' }),
    depositedAmount: t.expose('depositedAmount', {
      type: 'BigInt',
      description: "Amount deposited, in the token's base unit.",
    }),
    withdrawalCount: t.exposeInt('withdrawalCount', { description: 'Withdrawals (L2 to L1).' }),
    withdrawnAmount: t.expose('withdrawnAmount', {
      type: 'BigInt',
      description: "Amount withdrawn, in the token's base unit.",
    }),
  }),
});

/** A count metric of a bucket: null when the series' scope does not keep it. */
const count = (m: keyof Metrics, description: string) =>
  ({ nullable: true, description, resolve: (b: BucketView) => b.metrics[m] as number | null }) as const;
/** An amount metric of a bucket (decimal string of wei): null when the series' scope does not keep it. */
const amount = (m: keyof Metrics, description: string) =>
  ({ nullable: true, description, resolve: (b: BucketView) => b.metrics[m] as string | bigint | null }) as const;

const StatsBucketRef = builder.objectRef<BucketView>('StatsBucket').implement({
  description:
    'What happened in blocks whose timestamp lies in [start, end). A bucket in which nothing happened has zeros; ' +
    "a metric the series' scope does not keep is null in every bucket (see each field).",
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'Bucket start (inclusive), UTC.' }),
    end: t.expose('end', { type: 'DateTime', description: 'Bucket end (exclusive): start + 1 hour or 1 day.' }),
    inferences: t.int(
      count(
        'inferences',
        'GLOBAL, MODEL: inferences settled. DATANET: inferences with at least one eligible attribution to its contributions (paid or not).',
      ),
    ),
    fees: t.field({
      type: 'BigInt',
      ...amount('fees', 'GLOBAL, MODEL: fees of the inferences settled (wei). Null for a Datanet.'),
    }),
    toContributors: t.field({
      type: 'BigInt',
      ...amount(
        'toContributors',
        'CONTRIBUTOR-role payments (wei): GLOBAL all, DATANET to the contributors of its contributions, MODEL for its inferences.',
      ),
    }),
    toDatanetOwners: t.field({
      type: 'BigInt',
      ...amount(
        'toDatanetOwners',
        'DATANET_OWNER-role payments (wei): GLOBAL all, DATANET to its owner, MODEL for its inferences.',
      ),
    }),
    toModelOwners: t.field({
      type: 'BigInt',
      ...amount(
        'toModelOwners',
        'MODEL_OWNER-role payments (wei): GLOBAL all, MODEL to its owner. Null for a Datanet.',
      ),
    }),
    toProtocol: t.field({
      type: 'BigInt',
      ...amount('toProtocol', 'What the protocol kept (wei): GLOBAL all, MODEL of its inferences. Null for a Datanet.'),
    }),
    contributions: t.int(count('contributions', 'GLOBAL, DATANET: contributions submitted. Null for a model.')),
    reviewsAccepted: t.int(
      count(
        'reviewsAccepted',
        'GLOBAL, DATANET: reviews that accepted (every review counts, re-reviews too). Null for a model.',
      ),
    ),
    reviewsRejected: t.int(count('reviewsRejected', 'GLOBAL, DATANET: reviews that rejected. Null for a model.')),
    bridgeDepositCount: t.int(count('bridgeDepositCount', 'GLOBAL: bridge deposits of every asset. Null otherwise.')),
    bridgeWithdrawalCount: t.int(
      count('bridgeWithdrawalCount', 'GLOBAL: bridge withdrawals of every asset. Null otherwise.'),
    ),
    bridge: t.field({
      type: [BridgeTokenVolumeRef],
      nullable: true,
      description:
        'GLOBAL: deposits and withdrawals per token, one entry for native OPEN and for every token ever bridged ' +
        '(zeros where none moved in this bucket), by token address. Null for a Datanet or a model.',
      resolve: async (b) => (b.bridge ? ((await b.bridge()).get(b.start.getTime()) ?? []) : null),
    }),
  }),
});

const StatsRef = builder.objectRef<StatsView>('Stats').implement({
  description: 'A time series: one bucket per UTC hour or day from `from` to `to`, none missing.',
  fields: (t) => ({
    interval: t.field({ type: StatsIntervalEnum, description: 'Bucket length.', resolve: (s) => s.interval }),
    scope: t.field({ type: StatsScopeEnum, description: 'What the series aggregates.', resolve: (s) => s.scope }),
    datanetId: t.exposeID('datanetId', { nullable: true, description: 'The Datanet of a DATANET series.' }),
    modelId: t.exposeID('modelId', { nullable: true, description: 'The model of a MODEL series.' }),
    from: t.expose('from', {
      type: 'DateTime',
      description: 'Start of the first bucket: the argument `from` rounded down to the interval.',
    }),
    to: t.expose('to', {
      type: 'DateTime',
      description: 'End of the last bucket (exclusive), at or after the argument `to`.',
    }),
    buckets: t.field({
      type: [StatsBucketRef],
      description: `Every bucket of the range in time order, empty ones as zeros (at most ${MAX_STATS_BUCKETS}).`,
      resolve: (s) => s.buckets,
    }),
  }),
});

/** Checks the arguments and reads the series: one indexed range read of the scope's rows, zeros in between. */
async function loadStats(
  ctx: ApiContext,
  args: { interval: StatsIntervalName; from: Date; to: Date; datanetId?: string | null; modelId?: string | null },
): Promise<StatsView> {
  const { interval, from, to } = args;
  if (args.datanetId != null && args.modelId != null)
    throw badUserInput('modelId', 'cannot be combined with datanetId: series are kept per Datanet or per model.');
  const datanetId = args.datanetId == null ? null : parseDecimal('datanetId', String(args.datanetId));
  const modelId = args.modelId == null ? null : parseDecimal('modelId', String(args.modelId));
  if (!(from.getTime() < to.getTime()))
    throw badUserInput('to', `must be after from (from ${from.toISOString()}, to ${to.toISOString()}).`);
  const range = computeBucketRange(interval, from.getTime(), to.getTime());
  if (range.count > MAX_STATS_BUCKETS)
    throw badUserInput(
      'to',
      `is ${range.count} ${interval} buckets after from; at most ${MAX_STATS_BUCKETS} per request: narrow from/to` +
        (interval === 'HOUR' ? ' or ask for DAY buckets.' : '.'),
    );
  const scope: Scope = datanetId !== null ? 'DATANET' : modelId !== null ? 'MODEL' : 'GLOBAL';
  const key = datanetId ?? modelId ?? '';
  const first = new Date(range.first);
  const end = new Date(range.end);
  const rows = await ctx.db.query<StatsBucketRow>(STATS_SERIES_SQL, [scope, key, interval, first, end]);
  const byStart = new Map(rows.map((r) => [r.start.getTime(), r]));
  let bridge: (() => Promise<Map<number, BridgeTokenVolume[]>>) | null = null;
  if (scope === 'GLOBAL') {
    let loaded: Promise<Map<number, BridgeTokenVolume[]>> | undefined;
    bridge = () => (loaded ??= loadBridgeBuckets(ctx, interval, range.first, range.count));
  }
  const zeros = emptyStatsMetrics(scope);
  const len = INTERVAL_MS[interval];
  const buckets: BucketView[] = [];
  for (let i = 0; i < range.count; i++) {
    const start = range.first + i * len;
    buckets.push({ start: new Date(start), end: new Date(start + len), metrics: byStart.get(start) ?? zeros, bridge });
  }
  return { interval, scope, datanetId, modelId, from: first, to: end, buckets };
}

/** Per-token bridge volumes of every bucket of the range: native OPEN and every token ever bridged, zeros where idle. */
async function loadBridgeBuckets(
  ctx: ApiContext,
  interval: StatsIntervalName,
  first: number,
  count: number,
): Promise<Map<number, BridgeTokenVolume[]>> {
  const known = await ctx.db.query<{ id: string }>('SELECT id FROM bridge_token_total');
  const tokens = [...new Set([NATIVE_TOKEN, ...known.map((r) => r.id)])].sort();
  const len = INTERVAL_MS[interval];
  const rows = await ctx.db.query<StatsBucketRow>(STATS_TOKENS_SQL, [
    tokens,
    interval,
    new Date(first),
    new Date(first + count * len),
  ]);
  const byKey = new Map(rows.map((r) => [`${r.start.getTime()}|${r.scopeKey}`, r]));
  const out = new Map<number, BridgeTokenVolume[]>();
  for (let i = 0; i < count; i++) {
    const start = first + i * len;
    out.set(
      start,
      tokens.map((token) => {
        const r = byKey.get(`${start}|${token}`);
        return {
          token,
          depositCount: r?.bridgeDepositCount ?? 0,
          depositedAmount: r?.bridgeDepositedAmount ?? '0',
          withdrawalCount: r?.bridgeWithdrawalCount ?? 0,
          withdrawnAmount: r?.bridgeWithdrawnAmount ?? '0',
        };
      }),
    );
  }
  return out;
}

/** All-time bridge totals per token, by token address (for `protocol.bridgeTokens`). */
export async function loadBridgeTokenTotals(ctx: ApiContext): Promise<BridgeTokenVolume[]> {
  const rows = await ctx.db.query<BridgeTokenTotalRow>('SELECT * FROM bridge_token_total ORDER BY id');
  return rows.map((r) => ({
    token: r.id,
    depositCount: r.depositCount,
    depositedAmount: r.depositedAmount,
    withdrawalCount: r.withdrawalCount,
    withdrawnAmount: r.withdrawnAmount,
  }));
}

builder.queryFields((t) => ({
  stats: t.field({
    type: StatsRef,
    description:
      'A time series of protocol activity, global or for one Datanet or one model, in UTC hour or day buckets by ' +
      'block timestamp, maintained by the processor as it indexes (reorg-safe). Every bucket of the range is ' +
      `returned, empty ones as zeros; at most ${MAX_STATS_BUCKETS} buckets per request. All-time totals: \`protocol\`.`,
    args: {
      interval: t.arg({ type: StatsIntervalEnum, required: true, description: 'HOUR or DAY buckets.' }),
      from: t.arg({
        type: 'DateTime',
        required: true,
        description: 'Start of the range (inclusive); the bucket holding it is returned whole.',
      }),
      to: t.arg({
        type: 'DateTime',
        required: true,
        description: `End of the range (exclusive), after \`from\`, at most ${MAX_STATS_BUCKETS} buckets later.`,
      }),
      datanetId: t.arg.id({ required: false, description: 'Only this Datanet (decimal id); not with `modelId`.' }),
      modelId: t.arg.id({ required: false, description: 'Only this model (decimal id); not with `datanetId`.' }),
    },
    resolve: (_, args, ctx) =>
      loadStats(ctx, {
        interval: args.interval,
        from: args.from,
        to: args.to,
        datanetId: args.datanetId == null ? null : String(args.datanetId),
        modelId: args.modelId == null ? null : String(args.modelId),
      }),
  }),
}));
