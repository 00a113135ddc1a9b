/**
 * Ground truth of the stats time series, written naively and independently of src/domain and
 * src/store: the model adds every effect to a counter record of its transaction and series
 * ("global", "datanet:<id>", "model:<id>", "token:<l2 token>"); once the blocks are mined, each
 * transaction's block timestamp puts its counters into a UTC hour and a UTC day bucket.
 *
 * Which figures each series reports (the indexer's documented scope rules, restated here):
 * - global: inferences, fees, payments per role and to the protocol, contributions, accepted and
 *   rejected reviews, bridge deposit and withdrawal counts (every asset), and per token the counts
 *   and amounts (`bridge`, only tokens that moved in the bucket).
 * - datanet: inferences with at least one ACCEPTED (eligible) attributed contribution of the
 *   Datanet, CONTRIBUTOR payments for its contributions, its owner's payments, contributions
 *   submitted to it and reviews of them.
 * - model: its inferences, their fees, and their payments per role and to the protocol.
 */
import type { TruthBridgeVolume, TruthStatsBucket, Wei } from '../types';

/** Everything one transaction changed in one series. */
export interface StatsCounters {
  inferences: number;
  fees: bigint;
  toContributors: bigint;
  toDatanetOwners: bigint;
  toModelOwners: bigint;
  toProtocol: bigint;
  contributions: number;
  reviewsAccepted: number;
  reviewsRejected: number;
  deposits: number;
  deposited: bigint;
  withdrawals: number;
  withdrawn: bigint;
}

/** A counter record with nothing in it. */
export function newCounters(): StatsCounters {
  return {
    inferences: 0,
    fees: 0n,
    toContributors: 0n,
    toDatanetOwners: 0n,
    toModelOwners: 0n,
    toProtocol: 0n,
    contributions: 0,
    reviewsAccepted: 0,
    reviewsRejected: 0,
    deposits: 0,
    deposited: 0n,
    withdrawals: 0,
    withdrawn: 0n,
  };
}

/** What the stats truth needs of the model. */
export interface StatsSource {
  /** tx -> series -> counters. */
  readonly stats: ReadonlyMap<number, ReadonlyMap<string, StatsCounters>>;
  blockOfTx(tx: number): number;
  /** Unix seconds of a block (0 for blocks whose time the model was never told: unit tests). */
  timeOfBlock(block: number): number;
}

type Buckets = Record<string, Record<string, TruthStatsBucket>>;

/** The served figures of one series' bucket from its summed counters. */
function render(series: string, c: StatsCounters): TruthStatsBucket {
  const s = (x: bigint): Wei => x.toString();
  if (series === 'global')
    return {
      inferences: c.inferences,
      fees: s(c.fees),
      toContributors: s(c.toContributors),
      toDatanetOwners: s(c.toDatanetOwners),
      toModelOwners: s(c.toModelOwners),
      toProtocol: s(c.toProtocol),
      contributions: c.contributions,
      reviewsAccepted: c.reviewsAccepted,
      reviewsRejected: c.reviewsRejected,
      bridgeDepositCount: c.deposits,
      bridgeWithdrawalCount: c.withdrawals,
    };
  if (series.startsWith('datanet:'))
    return {
      inferences: c.inferences,
      toContributors: s(c.toContributors),
      toDatanetOwners: s(c.toDatanetOwners),
      contributions: c.contributions,
      reviewsAccepted: c.reviewsAccepted,
      reviewsRejected: c.reviewsRejected,
    };
  if (series.startsWith('model:'))
    return {
      inferences: c.inferences,
      fees: s(c.fees),
      toContributors: s(c.toContributors),
      toDatanetOwners: s(c.toDatanetOwners),
      toModelOwners: s(c.toModelOwners),
      toProtocol: s(c.toProtocol),
    };
  throw new Error(`ground truth: unknown stats series ${series}`);
}

function add(into: StatsCounters, c: StatsCounters): void {
  into.inferences += c.inferences;
  into.fees += c.fees;
  into.toContributors += c.toContributors;
  into.toDatanetOwners += c.toDatanetOwners;
  into.toModelOwners += c.toModelOwners;
  into.toProtocol += c.toProtocol;
  into.contributions += c.contributions;
  into.reviewsAccepted += c.reviewsAccepted;
  into.reviewsRejected += c.reviewsRejected;
  into.deposits += c.deposits;
  into.deposited += c.deposited;
  into.withdrawals += c.withdrawals;
  into.withdrawn += c.withdrawn;
}

/**
 * The buckets of every series, per interval: series -> ISO bucket start -> figures. Only buckets in
 * which the series had a transaction appear (every other bucket is all zeros).
 */
export function computeStatsTruth(model: StatsSource): { HOUR: Buckets; DAY: Buckets } {
  const sums = { HOUR: new Map<string, StatsCounters>(), DAY: new Map<string, StatsCounters>() };
  for (const [tx, perSeries] of model.stats) {
    const time = model.timeOfBlock(model.blockOfTx(tx));
    const starts = { HOUR: Math.floor(time / 3600) * 3600, DAY: Math.floor(time / 86400) * 86400 };
    for (const interval of ['HOUR', 'DAY'] as const) {
      const iso = new Date(starts[interval] * 1000).toISOString();
      for (const [series, c] of perSeries) {
        const key = `${series}|${iso}`;
        let sum = sums[interval].get(key);
        if (sum === undefined) sums[interval].set(key, (sum = newCounters()));
        add(sum, c);
      }
    }
  }
  const out = { HOUR: {} as Buckets, DAY: {} as Buckets };
  for (const interval of ['HOUR', 'DAY'] as const) {
    const tokens: Record<string, Record<string, TruthBridgeVolume>> = {};
    for (const key of [...sums[interval].keys()].sort()) {
      const c = sums[interval].get(key)!;
      const [series, iso] = key.split('|');
      if (series.startsWith('token:')) {
        (tokens[iso] ??= {})[series.slice('token:'.length)] = {
          depositCount: c.deposits,
          depositedAmount: c.deposited.toString(),
          withdrawalCount: c.withdrawals,
          withdrawnAmount: c.withdrawn.toString(),
        };
        continue;
      }
      (out[interval][series] ??= {})[iso] = render(series, c);
    }
    // A bucket with bridge traffic always has a global record (the transfer counted there too).
    for (const [iso, perToken] of Object.entries(tokens)) out[interval].global[iso].bridge = perToken;
  }
  return out;
}
