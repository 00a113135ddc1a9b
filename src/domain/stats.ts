/**
 * Time buckets of the stats series (issue 4, item 4). Pure: times are unix milliseconds (block
 * timestamps as the processor sees them), buckets are UTC hours and UTC days.
 */

export type StatsIntervalName = 'HOUR' | 'DAY';

/** Length of each interval in milliseconds (UTC has no leap seconds in unix time, so every day is 24 h). */
export const INTERVAL_MS: Readonly<Record<StatsIntervalName, number>> = { HOUR: 3_600_000, DAY: 86_400_000 };

/** The start of the bucket holding `ms`: the UTC hour or day it falls in (rounded down, also before 1970). */
export function bucketStart(interval: StatsIntervalName, ms: number): number {
  const len = INTERVAL_MS[interval];
  return Math.floor(ms / len) * len;
}

/** Buckets a request covers: from the one holding `from` to the last one starting before `to`. */
export interface BucketRange {
  /** Start of the first bucket (ms). */
  first: number;
  /** Number of buckets (at least 1 when from < to). */
  count: number;
  /** End of the last bucket (ms, exclusive). */
  end: number;
}

/**
 * The buckets overlapping [from, to): every bucket whose interval intersects it, so a bucket that
 * holds `from` is included whole and `to` is exclusive. Requires from < to.
 */
export function computeBucketRange(interval: StatsIntervalName, from: number, to: number): BucketRange {
  if (!(from < to)) throw new RangeError(`from (${from}) must be before to (${to})`);
  const len = INTERVAL_MS[interval];
  const first = bucketStart(interval, from);
  const count = Math.ceil((to - first) / len);
  return { first, count, end: first + count * len };
}

export type StatsScopeName = 'GLOBAL' | 'DATANET' | 'MODEL' | 'TOKEN';

/** Metrics that count events (Int). */
export const STATS_COUNTS = [
  'inferences',
  'contributions',
  'reviewsAccepted',
  'reviewsRejected',
  'bridgeDepositCount',
  'bridgeWithdrawalCount',
] as const;
/** Metrics that sum amounts (wei, or the bridged token's units). */
export const STATS_AMOUNTS = [
  'fees',
  'toContributors',
  'toDatanetOwners',
  'toModelOwners',
  'toProtocol',
  'bridgeDepositedAmount',
  'bridgeWithdrawnAmount',
] as const;
export type StatsCountMetric = (typeof STATS_COUNTS)[number];
export type StatsAmountMetric = (typeof STATS_AMOUNTS)[number];
export type StatsMetric = StatsCountMetric | StatsAmountMetric;

/**
 * The metrics each scope keeps; every other metric is not defined for that scope (NULL in the table,
 * null in the API). A Datanet has no fee of its own (an inference pays several Datanets) and no model
 * owner or protocol share; a model has no contributions or reviews; bridge traffic is global, and its
 * amounts are kept per token only (amounts of different tokens are never added up).
 */
export const STATS_SCOPE_METRICS: Readonly<Record<StatsScopeName, readonly StatsMetric[]>> = {
  GLOBAL: [
    'inferences',
    'fees',
    'toContributors',
    'toDatanetOwners',
    'toModelOwners',
    'toProtocol',
    'contributions',
    'reviewsAccepted',
    'reviewsRejected',
    'bridgeDepositCount',
    'bridgeWithdrawalCount',
  ],
  DATANET: ['inferences', 'toContributors', 'toDatanetOwners', 'contributions', 'reviewsAccepted', 'reviewsRejected'],
  MODEL: ['inferences', 'fees', 'toContributors', 'toDatanetOwners', 'toModelOwners', 'toProtocol'],
  TOKEN: ['bridgeDepositCount', 'bridgeWithdrawalCount', 'bridgeDepositedAmount', 'bridgeWithdrawnAmount'],
};

/** The metric values of an empty bucket of a scope: 0 for the scope's metrics, null for the others. */
export function emptyStatsMetrics(
  scope: StatsScopeName,
): Record<StatsCountMetric, number | null> & Record<StatsAmountMetric, bigint | null> {
  const kept = new Set(STATS_SCOPE_METRICS[scope]);
  const out = {} as Record<StatsCountMetric, number | null> & Record<StatsAmountMetric, bigint | null>;
  for (const m of STATS_COUNTS) out[m] = kept.has(m) ? 0 : null;
  for (const m of STATS_AMOUNTS) out[m] = kept.has(m) ? 0n : null;
  return out;
}
