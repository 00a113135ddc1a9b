/**
 * The expected result of every docs/sql.md query, computed in TypeScript from the simulator's ground
 * truth and the chain's own facts (never from the database): rows as Postgres prints them (numbers
 * as decimal text, booleans t/f, NULL as null), in the query's order. Used by sqlDocs.test.ts.
 */
import type { GroundTruth } from '../../devnet';
import type { ChainFacts } from './chainFacts';

/** A result as the tests compare it: column names and rows of text. */
export interface ExpectedTable {
  columns: string[];
  rows: (string | null)[][];
}

type Row = (string | null)[];

/** num/den rounded half away from zero to `scale` decimals, scaled by 10^scale (Postgres' round). */
function scaled(num: bigint, den: bigint, scale: number): bigint {
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = (2n * n * 10n ** BigInt(scale) + d) / (2n * d);
  return neg ? -q : q;
}

/** num/den as Postgres prints round(num::numeric / den, scale); null when den is 0 (nullif). */
export function ratio(num: bigint, den: bigint, scale: number): string | null {
  if (den === 0n) return null;
  const q = scaled(num, den, scale);
  const abs = q < 0n ? -q : q;
  const unit = 10n ** BigInt(scale);
  const frac = (abs % unit).toString().padStart(scale, '0');
  return `${q < 0n ? '-' : ''}${abs / unit}${scale > 0 ? `.${frac}` : ''}`;
}

const byNumber = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const desc = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
const sum = (xs: Iterable<bigint>) => [...xs].reduce((s, x) => s + x, 0n);
/** A timestamptz as Postgres prints it in UTC. */
const timestamptz = (unixSeconds: number) =>
  new Date(unixSeconds * 1000).toISOString().replace('T', ' ').replace('.000Z', '+00');
/** A date (UTC) as Postgres prints it. */
const date = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

/** Competition ranks ("1224") of `values` (already sorted largest first). */
function ranks(values: readonly bigint[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => out.push(i > 0 && values[i - 1] === v ? out[i - 1] : i + 1));
  return out;
}

/** Groups `items` by `key`. */
function groupBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}

/** Contributions with their chain submission and their truth status. */
function contributions(truth: GroundTruth, chain: ChainFacts) {
  return Object.entries(truth.contributions).map(([id, c]) => {
    const s = chain.submissions.get(id);
    if (!s) throw new Error(`contribution ${id} has no ContributionSubmitted log`);
    return { id, ...c, time: chain.blockTime(s.block), sizeBytes: s.sizeBytes };
  });
}

/** Top contributors per Datanet per month. */
export function topContributorsPerMonth(truth: GroundTruth, chain: ChainFacts): ExpectedTable {
  const rows: Row[] = [];
  const groups = groupBy(contributions(truth, chain), (c) => `${c.datanetId}|${date(c.time).slice(0, 7)}-01`);
  for (const key of [...groups.keys()].sort((a, b) => {
    const [da, ma] = a.split('|');
    const [db, mb] = b.split('|');
    return byNumber(da, db) || byText(ma, mb);
  })) {
    const [datanetId, month] = key.split('|');
    const perContributor = [...groupBy(groups.get(key)!, (c) => c.contributor)].map(([contributor, cs]) => {
      const accepted = cs.filter((c) => c.status === 'ACCEPTED');
      return {
        contributor,
        accepted: BigInt(accepted.length),
        submitted: cs.length,
        bytes: sum(accepted.map((c) => c.sizeBytes)),
      };
    });
    const ranked = perContributor
      .filter((p) => p.accepted > 0n)
      .sort((a, b) => desc(a.accepted, b.accepted) || byText(a.contributor, b.contributor));
    const r = ranks(ranked.map((p) => p.accepted));
    ranked.forEach((p, i) => {
      if (r[i] <= 3) {
        rows.push([
          datanetId,
          month,
          String(r[i]),
          p.contributor,
          String(p.accepted),
          String(p.submitted),
          String(p.bytes),
        ]);
      }
    });
  }
  return { columns: ['datanet_id', 'month', 'rank', 'contributor', 'accepted', 'submitted', 'accepted_bytes'], rows };
}

/** Acceptance rate by contributor cohort (cohort = UTC hour of the first submission). */
export function acceptanceByCohort(truth: GroundTruth, chain: ChainFacts): ExpectedTable {
  const all = contributions(truth, chain);
  const first = new Map<string, number>();
  for (const c of all) first.set(c.contributor, Math.min(first.get(c.contributor) ?? Infinity, c.time));
  const cohort = (contributor: string) => timestamptz(Math.floor(first.get(contributor)! / 3600) * 3600);
  const rows: Row[] = [];
  const groups = groupBy(all, (c) => cohort(c.contributor));
  for (const k of [...groups.keys()].sort(byText)) {
    const cs = groups.get(k)!;
    const accepted = cs.filter((c) => c.status === 'ACCEPTED').length;
    const rejected = cs.filter((c) => c.status === 'REJECTED').length;
    rows.push([
      k,
      String(new Set(cs.map((c) => c.contributor)).size),
      String(cs.length),
      String(accepted),
      String(rejected),
      ratio(BigInt(accepted), BigInt(accepted + rejected), 4),
    ]);
  }
  return { columns: ['cohort', 'contributors', 'contributions', 'accepted', 'rejected', 'acceptance_rate'], rows };
}

/** Duplicate rate per Datanet. */
export function duplicateRate(truth: GroundTruth, chain: ChainFacts): ExpectedTable {
  const rows = Object.entries(truth.datanets).map(([id, d]) => ({
    id,
    d,
    rate: d.contributions === 0 ? null : scaled(BigInt(d.duplicates), BigInt(d.contributions), 4),
  }));
  rows.sort((a, b) => (a.rate === null ? 1 : b.rate === null ? -1 : desc(a.rate, b.rate)) || byNumber(a.id, b.id));
  return {
    columns: ['datanet_id', 'name', 'contributions', 'duplicates', 'duplicate_rate'],
    rows: rows.map(({ id, d }) => [
      id,
      chain.datanetNames.get(id) ?? null,
      String(d.contributions),
      String(d.duplicates),
      ratio(BigInt(d.duplicates), BigInt(d.contributions), 4),
    ]),
  };
}

/** Reputation movers over the 24 hours before the indexed head. */
export function reputationMovers(truth: GroundTruth, chain: ChainFacts): ExpectedTable {
  const cutoff = chain.blockTime(truth.headBlock) - 24 * 3600;
  const movers = Object.entries(truth.reputation).map(([address, r]) => {
    const before = r.history.filter((h) => chain.blockTime(h.block) <= cutoff).at(-1)?.score ?? null;
    return { address, before, now: r.score, change: r.score - (before ?? 0) };
  });
  movers.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || byText(a.address, b.address));
  return {
    columns: ['address', 'score_24h_ago', 'score_now', 'change'],
    rows: movers
      .slice(0, 10)
      .map((m) => [m.address, m.before === null ? null : String(m.before), String(m.now), String(m.change)]),
  };
}

/** Payout concentration per epoch: Gini over the positive leaves, share of the ten largest. */
export function payoutConcentration(truth: GroundTruth): ExpectedTable {
  const rows: Row[] = [];
  for (const epoch of Object.keys(truth.epochs).sort(byNumber)) {
    const leaves = Object.values(truth.epochs[epoch].accounts)
      .map(BigInt)
      .filter((x) => x > 0n)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (leaves.length === 0) continue;
    const n = BigInt(leaves.length);
    const s = sum(leaves);
    const weighted = sum(leaves.map((x, i) => BigInt(i + 1) * x));
    rows.push([
      epoch,
      String(n),
      String(s),
      ratio(2n * weighted - (n + 1n) * s, n * s, 4),
      ratio(sum(leaves.slice(-10)), s, 4),
    ]);
  }
  return { columns: ['epoch', 'earning_accounts', 'accrued', 'gini', 'top10_share'], rows };
}

/** Payouts by role per epoch. */
export function payoutsByRole(truth: GroundTruth): ExpectedTable {
  const rows: Row[] = [];
  for (const epoch of Object.keys(truth.epochs).sort(byNumber)) {
    const perRole = new Map<string, bigint[]>();
    for (const roles of Object.values(truth.epochs[epoch].roles)) {
      for (const [role, amount] of Object.entries(roles)) {
        if (BigInt(amount!) > 0n) perRole.set(role, [...(perRole.get(role) ?? []), BigInt(amount!)]);
      }
    }
    const total = sum([...perRole.values()].flat());
    for (const role of [...perRole.keys()].sort(byText)) {
      const amounts = perRole.get(role)!;
      rows.push([epoch, role, String(amounts.length), String(sum(amounts)), ratio(sum(amounts), total, 4)]);
    }
  }
  return { columns: ['epoch', 'role', 'accounts', 'amount', 'share_of_epoch'], rows };
}

/** Claim rate per closed epoch. */
export function claimRate(truth: GroundTruth): ExpectedTable {
  const rows: Row[] = Object.entries(truth.epochs)
    .filter(([, e]) => e.closed)
    .sort(([a], [b]) => byNumber(a, b))
    .map(([epoch, e]) => {
      const accrued = BigInt(e.accruedToAccounts);
      const claimed = BigInt(e.claimed);
      const reconciled = e.postedRoot === e.expectedRoot && e.postedTotal === e.expectedTotal;
      return [
        epoch,
        String(e.earningAccounts),
        String(accrued),
        String(e.claims),
        String(claimed),
        String(accrued - claimed),
        ratio(BigInt(e.claims), BigInt(e.earningAccounts), 4),
        ratio(claimed, accrued, 4),
        reconciled ? 't' : 'f',
      ];
    });
  return {
    columns: [
      'epoch',
      'earning_accounts',
      'accrued_to_accounts',
      'claims',
      'claimed_total',
      'unclaimed',
      'account_claim_rate',
      'amount_claim_rate',
      'reconciled',
    ],
    rows,
  };
}

/** Largest unclaimed balances. */
export function unclaimedBalances(truth: GroundTruth): ExpectedTable {
  const rows = Object.entries(truth.accounts)
    .map(([address, a]) => ({ address, a, claimable: BigInt(a.claimable), pending: BigInt(a.pendingRewards) }))
    .filter((r) => r.claimable > 0n || r.pending > 0n)
    .sort((x, y) => desc(x.claimable, y.claimable) || desc(x.pending, y.pending) || byText(x.address, y.address))
    .slice(0, 10);
  return {
    columns: ['address', 'claimable', 'pending', 'claimed_total', 'earned_total'],
    rows: rows.map(({ address, a }) => [address, a.claimable, a.pendingRewards, a.claimed, a.earnedTotal]),
  };
}

/** Model revenue vs contributor payouts. */
export function modelRevenue(truth: GroundTruth, chain: ChainFacts): ExpectedTable {
  const rows = Object.entries(truth.models).sort(
    ([a, x], [b, y]) => desc(BigInt(x.fees), BigInt(y.fees)) || byNumber(a, b),
  );
  return {
    columns: [
      'model_id',
      'name',
      'inferences',
      'revenue',
      'contributors_earned',
      'datanet_owners_earned',
      'owner_earned',
      'protocol_earned',
      'contributor_share',
      'data_share',
    ],
    rows: rows.map(([id, m]) => [
      id,
      chain.modelNames.get(id) ?? null,
      String(m.inferences),
      m.fees,
      m.contributorsEarned,
      m.datanetOwnersEarned,
      m.ownerEarned,
      m.protocolEarned,
      ratio(BigInt(m.contributorsEarned), BigInt(m.fees), 4),
      ratio(BigInt(m.contributorsEarned) + BigInt(m.datanetOwnersEarned), BigInt(m.fees), 4),
    ]),
  };
}

/** Attribution coverage per model. */
export function attributionCoverage(truth: GroundTruth): ExpectedTable {
  const groups = groupBy(Object.values(truth.inferences), (i) => i.modelId);
  return {
    columns: ['model_id', 'inferences', 'with_eligible_attribution', 'coverage', 'avg_attributed', 'kept_by_protocol'],
    rows: [...groups.keys()].sort(byNumber).map((model) => {
      const is = groups.get(model)!;
      const covered = is.filter((i) => i.eligible > 0).length;
      return [
        model,
        String(is.length),
        String(covered),
        ratio(BigInt(covered), BigInt(is.length), 4),
        ratio(BigInt(is.reduce((s, i) => s + i.attributions, 0)), BigInt(is.length), 2),
        String(sum(is.map((i) => BigInt(i.protocolAmount)))),
      ];
    }),
  };
}

/** Datanet revenue per epoch. */
export function datanetRevenuePerEpoch(truth: GroundTruth, chain: ChainFacts): ExpectedTable {
  const rows: Row[] = [];
  for (const epoch of Object.keys(truth.epochs).sort(byNumber)) {
    const ds = Object.entries(truth.epochs[epoch].datanets).map(([id, d]) => ({
      id,
      d,
      revenue: BigInt(d.contributorsEarned) + BigInt(d.ownerEarned),
    }));
    ds.sort((a, b) => desc(a.revenue, b.revenue) || byNumber(a.id, b.id));
    for (const { id, d, revenue } of ds) {
      rows.push([epoch, id, chain.datanetNames.get(id) ?? null, d.contributorsEarned, d.ownerEarned, String(revenue)]);
    }
  }
  return { columns: ['epoch', 'datanet_id', 'name', 'contributors_earned', 'owner_earned', 'data_revenue'], rows };
}

/** Top payers. */
export function topPayers(truth: GroundTruth): ExpectedTable {
  const all = Object.values(truth.inferences);
  const total = sum(all.map((i) => BigInt(i.fee)));
  const payers = [...groupBy(all, (i) => i.payer)].map(([payer, is]) => ({
    payer,
    count: is.length,
    fees: sum(is.map((i) => BigInt(i.fee))),
    models: new Set(is.map((i) => i.modelId)).size,
  }));
  payers.sort((a, b) => desc(a.fees, b.fees) || byText(a.payer, b.payer));
  return {
    columns: ['payer', 'inferences', 'fees_paid', 'share_of_fees', 'models_used'],
    rows: payers
      .slice(0, 10)
      .map((p) => [p.payer, String(p.count), String(p.fees), ratio(p.fees, total, 4), String(p.models)]),
  };
}

/** Daily revenue split (the global daily buckets). */
export function dailyRevenue(truth: GroundTruth): ExpectedTable {
  const days = truth.stats.DAY.global ?? {};
  return {
    columns: [
      'day',
      'inferences',
      'fees',
      'to_contributors',
      'to_datanet_owners',
      'to_model_owners',
      'to_protocol',
      'contributions',
      'reviews_accepted',
      'reviews_rejected',
    ],
    rows: Object.keys(days)
      .sort(byText)
      .map((iso) => {
        const b = days[iso];
        return [
          iso.slice(0, 10),
          String(b.inferences ?? 0),
          b.fees ?? '0',
          b.toContributors ?? '0',
          b.toDatanetOwners ?? '0',
          b.toModelOwners ?? '0',
          b.toProtocol ?? '0',
          String(b.contributions ?? 0),
          String(b.reviewsAccepted ?? 0),
          String(b.reviewsRejected ?? 0),
        ];
      }),
  };
}

/** Bridge net flow per day and token (the tokens that moved that day). */
export function bridgeNetFlow(truth: GroundTruth): ExpectedTable {
  const rows: Row[] = [];
  const days = truth.stats.DAY.global ?? {};
  for (const iso of Object.keys(days).sort(byText)) {
    const bridge = days[iso].bridge ?? {};
    for (const token of Object.keys(bridge).sort(byText)) {
      const v = bridge[token];
      const net = BigInt(v.depositedAmount) - BigInt(v.withdrawnAmount);
      rows.push([
        iso.slice(0, 10),
        token,
        String(v.depositCount),
        String(v.withdrawalCount),
        v.depositedAmount,
        v.withdrawnAmount,
        String(net),
      ]);
    }
  }
  return { columns: ['day', 'token', 'deposits', 'withdrawals', 'deposited', 'withdrawn', 'net_inflow'], rows };
}
