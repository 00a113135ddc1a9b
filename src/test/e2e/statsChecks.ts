/**
 * End-to-end checks of the stats time series (used by groundTruth.test.ts): every bucket the API
 * serves, for the global series, every Datanet and every model, in hours and days, equals the
 * simulator's ground truth (zeros where the truth has nothing), and the all-time totals too.
 */
import assert from 'node:assert/strict';
import type { GroundTruth, TruthStatsBucket } from '../../devnet';
import type { createGraphqlClient } from '../graphql';

type Gql = ReturnType<typeof createGraphqlClient>;

const NATIVE = '0x0000000000000000000000000000000000000000';
const LEN = { HOUR: 3_600_000, DAY: 86_400_000 } as const;
/** The figures each series reports (restated from the README's rules; the API serves null for the others). */
const FIELDS = {
  global: [
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
  datanet: ['inferences', 'toContributors', 'toDatanetOwners', 'contributions', 'reviewsAccepted', 'reviewsRejected'],
  model: ['inferences', 'fees', 'toContributors', 'toDatanetOwners', 'toModelOwners', 'toProtocol'],
} as const;
const AMOUNTS = new Set(['fees', 'toContributors', 'toDatanetOwners', 'toModelOwners', 'toProtocol']);
const ALL_FIELDS = FIELDS.global;

const QUERY = `query($i: StatsInterval!, $from: DateTime!, $to: DateTime!, $d: ID, $m: ID) {
  stats(interval: $i, from: $from, to: $to, datanetId: $d, modelId: $m) {
    interval scope datanetId modelId from to
    buckets { start end ${ALL_FIELDS.join(' ')}
      bridge { token depositCount depositedAmount withdrawalCount withdrawnAmount } } } }`;

function zeros(kind: keyof typeof FIELDS): Record<string, number | string> {
  return Object.fromEntries(FIELDS[kind].map((f) => [f, AMOUNTS.has(f) ? '0' : 0]));
}

/** First and last bucket start (ms) over every series of the truth. */
function span(truth: GroundTruth, interval: 'HOUR' | 'DAY'): { first: number; last: number } {
  const starts = Object.values(truth.stats[interval]).flatMap((b) => Object.keys(b).map((iso) => Date.parse(iso)));
  assert.ok(starts.length > 0, `the truth has ${interval} buckets`);
  return { first: Math.min(...starts), last: Math.max(...starts) };
}

/**
 * Compares every served bucket of every series with the truth, from one empty bucket before the first
 * active one to one after the last; returns how many buckets were compared, and how many were empty.
 */
export async function checkStatsBuckets(gql: Gql, truth: GroundTruth): Promise<{ buckets: number; empty: number }> {
  const tokens = [...new Set([NATIVE, ...Object.keys(truth.totals.bridgeTokens)])].sort();
  let buckets = 0;
  let empty = 0;
  for (const interval of ['HOUR', 'DAY'] as const) {
    const len = LEN[interval];
    const { first, last } = span(truth, interval);
    const from = first - len;
    const to = last + 2 * len;
    const series: { kind: keyof typeof FIELDS; key: string; d?: string; m?: string; scope: string }[] = [
      { kind: 'global', key: 'global', scope: 'GLOBAL' },
      ...Object.keys(truth.datanets).map((d) => ({
        kind: 'datanet' as const,
        key: `datanet:${d}`,
        d,
        scope: 'DATANET',
      })),
      ...Object.keys(truth.models).map((m) => ({ kind: 'model' as const, key: `model:${m}`, m, scope: 'MODEL' })),
    ];
    for (const s of series) {
      // At most 1,000 buckets per request: walk the range in windows.
      const served: any[] = [];
      for (let start = from; start < to; start += 1000 * len) {
        const end = Math.min(to, start + 1000 * len);
        const { stats } = await gql(QUERY, {
          i: interval,
          from: new Date(start).toISOString(),
          to: new Date(end).toISOString(),
          d: s.d ?? null,
          m: s.m ?? null,
        });
        assert.deepEqual(
          { interval: stats.interval, scope: stats.scope, datanetId: stats.datanetId, modelId: stats.modelId },
          { interval, scope: s.scope, datanetId: s.d ?? null, modelId: s.m ?? null },
        );
        assert.equal(stats.from, new Date(start).toISOString());
        assert.equal(stats.to, new Date(end).toISOString());
        served.push(...stats.buckets);
      }
      assert.equal(served.length, (to - from) / len, `${s.key} ${interval}: one bucket per ${interval}, none missing`);
      const expected = truth.stats[interval][s.key] ?? {};
      served.forEach((b, i) => {
        const start = from + i * len;
        assert.equal(b.start, new Date(start).toISOString(), `${s.key} ${interval} bucket ${i} start`);
        assert.equal(b.end, new Date(start + len).toISOString());
        const t: TruthStatsBucket | undefined = expected[b.start];
        if (t === undefined) empty++;
        const { bridge: truthBridge, ...truthFigures } = t ?? {};
        const figures = Object.fromEntries(ALL_FIELDS.filter((f) => b[f] !== null).map((f) => [f, b[f]]));
        assert.deepEqual(figures, { ...zeros(s.kind), ...truthFigures }, `${s.key} ${interval} ${b.start}`);
        if (s.kind !== 'global') {
          assert.equal(b.bridge, null, `${s.key}: bridge volumes are global only`);
        } else {
          assert.deepEqual(
            b.bridge,
            tokens.map((token) => ({
              token,
              ...(truthBridge?.[token] ?? {
                depositCount: 0,
                depositedAmount: '0',
                withdrawalCount: 0,
                withdrawnAmount: '0',
              }),
            })),
            `bridge volumes ${interval} ${b.start}`,
          );
        }
        buckets++;
      });
      if (s.kind === 'global') {
        // The buckets add up to the all-time totals, counted independently by the truth.
        const sum = (f: string) => served.reduce((a, b) => a + BigInt(b[f]), 0n).toString();
        assert.deepEqual(
          {
            inferences: sum('inferences'),
            fees: sum('fees'),
            toContributors: sum('toContributors'),
            toDatanetOwners: sum('toDatanetOwners'),
            toModelOwners: sum('toModelOwners'),
            toProtocol: sum('toProtocol'),
            contributions: sum('contributions'),
            reviews: (BigInt(sum('reviewsAccepted')) + BigInt(sum('reviewsRejected'))).toString(),
            deposits: sum('bridgeDepositCount'),
            withdrawals: sum('bridgeWithdrawalCount'),
          },
          {
            inferences: String(truth.totals.inferences),
            fees: truth.totals.fees,
            toContributors: truth.totals.toContributors,
            toDatanetOwners: truth.totals.toDatanetOwners,
            toModelOwners: truth.totals.toModelOwners,
            toProtocol: truth.totals.toProtocol,
            contributions: String(truth.totals.contributions),
            reviews: String(truth.totals.reviewsAccepted + truth.totals.reviewsRejected),
            deposits: String(truth.totals.bridgeDeposits),
            withdrawals: String(truth.totals.bridgeWithdrawals),
          },
          `${interval} buckets sum to the totals`,
        );
      }
    }
  }
  return { buckets, empty };
}

/** Compares the all-time totals the stats extend `protocol` with. */
export async function checkStatsTotals(gql: Gql, truth: GroundTruth): Promise<void> {
  const { protocol } = await gql(`{ protocol { reviewAcceptedCount reviewRejectedCount bridgeDepositCount
    bridgeWithdrawalCount bridgeTokens { token depositCount depositedAmount withdrawalCount withdrawnAmount } } }`);
  const t = truth.totals;
  assert.deepEqual(protocol, {
    reviewAcceptedCount: t.reviewsAccepted,
    reviewRejectedCount: t.reviewsRejected,
    bridgeDepositCount: t.bridgeDeposits,
    bridgeWithdrawalCount: t.bridgeWithdrawals,
    bridgeTokens: Object.entries(t.bridgeTokens).map(([token, v]) => ({ token, ...v })),
  });
}
