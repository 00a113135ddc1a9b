/**
 * End-to-end checks of the analytics views of epochs and accruals, bridge transfers and the stats
 * buckets against the ground truth (used by analyticsViews.test.ts), and the row helpers that file
 * shares with them.
 */
import assert from 'node:assert/strict';
import type { GroundTruth } from '../../devnet';

/** A view row as the analyst session returns it (every value as text). */
export type Row = Record<string, string | null>;
/** Runs a statement as the analyst; its rows. */
export type Query = (sql: string) => Promise<Row[]>;

/** Rows keyed by `key(row)`, each row reduced to `fields`. */
export function keyed(rows: Row[], key: (r: Row) => string, fields: string[]): Record<string, Row> {
  return Object.fromEntries(rows.map((r) => [key(r), Object.fromEntries(fields.map((f) => [f, r[f]]))]));
}

export const s = (x: number | string | bigint | null | undefined) => (x === null || x === undefined ? null : String(x));

/** bridge_transfers, bridge_account_tokens and bridge_tokens equal the truth; one row per transfer. */
export async function checkBridgeViews(q: Query, truth: GroundTruth): Promise<void> {
  const perAccount = await q(
    `SELECT l2_account, token,
            count(*) FILTER (WHERE direction = 'IN') AS deposits, coalesce(sum(amount) FILTER (WHERE direction = 'IN'), 0) AS deposited,
            count(*) FILTER (WHERE direction = 'OUT') AS withdrawals, coalesce(sum(amount) FILTER (WHERE direction = 'OUT'), 0) AS withdrawn
       FROM analytics.bridge_transfers GROUP BY 1, 2`,
  );
  const truthAccounts = Object.fromEntries(
    Object.entries(truth.bridge.accounts).flatMap(([a, tokens]) =>
      Object.entries(tokens).map(([token, v]) => [
        `${a}/${token}`,
        {
          deposits: s(v.depositCount),
          deposited: v.deposited,
          withdrawals: s(v.withdrawalCount),
          withdrawn: v.withdrawn,
        },
      ]),
    ),
  );
  assert.deepEqual(
    keyed(perAccount, (r) => `${r.l2_account}/${r.token}`, ['deposits', 'deposited', 'withdrawals', 'withdrawn']),
    truthAccounts,
  );
  const totals = await q('SELECT * FROM analytics.bridge_account_tokens');
  assert.deepEqual(
    Object.fromEntries(
      totals.map((r) => [
        `${r.account}/${r.token}`,
        {
          deposits: r.deposit_count,
          deposited: r.deposited_amount,
          withdrawals: r.withdrawal_count,
          withdrawn: r.withdrawn_amount,
        },
      ]),
    ),
    truthAccounts,
  );
  const hashes = await q("SELECT withdrawal_hash FROM analytics.bridge_transfers WHERE direction = 'OUT'");
  assert.deepEqual(hashes.map((r) => r.withdrawal_hash).sort(), [...truth.bridge.withdrawalHashes].sort());
  const tokens = await q('SELECT * FROM analytics.bridge_tokens');
  assert.deepEqual(
    keyed(tokens, (r) => r.token!, ['deposit_count', 'deposited_amount', 'withdrawal_count', 'withdrawn_amount']),
    Object.fromEntries(
      Object.entries(truth.totals.bridgeTokens).map(([t, v]) => [
        t,
        {
          deposit_count: s(v.depositCount),
          deposited_amount: v.depositedAmount,
          withdrawal_count: s(v.withdrawalCount),
          withdrawn_amount: v.withdrawnAmount,
        },
      ]),
    ),
  );
}

/** daily_stats / hourly_stats: every bucket of every scope equals the truth, NULL where the scope keeps no figure. */
export async function checkStatsViews(q: Query, truth: GroundTruth, interval: 'DAY' | 'HOUR'): Promise<void> {
  const view = interval === 'DAY' ? 'daily_stats' : 'hourly_stats';
  const start = interval === 'DAY' ? 'day_start' : 'hour_start';
  const rows = await q(`SELECT * FROM analytics.${view}`);
  // The global scope keeps every figure but the bridge amounts (those are per token).
  const globalFigures = [
    'inferences',
    'fees',
    'to_contributors',
    'to_datanet_owners',
    'to_model_owners',
    'to_protocol',
    'contributions',
    'reviews_accepted',
    'reviews_rejected',
    'bridge_deposit_count',
    'bridge_withdrawal_count',
  ];
  const figures = [...globalFigures, 'bridge_deposited_amount', 'bridge_withdrawn_amount'];
  const iso = (pg: string) => new Date(pg.replace(' ', 'T').replace('+00', 'Z')).toISOString();
  const served = keyed(
    rows,
    (r) =>
      `${r.scope === 'GLOBAL' ? 'global' : r.scope === 'DATANET' ? `datanet:${r.datanet_id}` : r.scope === 'MODEL' ? `model:${r.model_id}` : `token:${r.token}`}@${iso(r[start]!)}`,
    figures,
  );
  const expected: Record<string, Row> = {};
  const kept = {
    global: globalFigures,
    datanet: [
      'inferences',
      'to_contributors',
      'to_datanet_owners',
      'contributions',
      'reviews_accepted',
      'reviews_rejected',
    ],
    model: ['inferences', 'fees', 'to_contributors', 'to_datanet_owners', 'to_model_owners', 'to_protocol'],
  };
  const camel = (f: string) => f.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  for (const [series, buckets] of Object.entries(truth.stats[interval])) {
    const kind = series.split(':')[0] as keyof typeof kept;
    for (const [at, b] of Object.entries(buckets)) {
      expected[`${series}@${at}`] = Object.fromEntries(
        figures.map((f) => [
          f,
          kept[kind].includes(f)
            ? (s((b as Record<string, unknown>)[camel(f)] as string | number | undefined) ?? '0')
            : null,
        ]),
      );
      for (const [token, v] of Object.entries(kind === 'global' ? (b.bridge ?? {}) : {})) {
        expected[`token:${token}@${at}`] = Object.fromEntries(
          figures.map((f) => [
            f,
            {
              bridge_deposit_count: s(v.depositCount),
              bridge_withdrawal_count: s(v.withdrawalCount),
              bridge_deposited_amount: v.depositedAmount,
              bridge_withdrawn_amount: v.withdrawnAmount,
            }[f] ?? null,
          ]),
        );
      }
    }
  }
  assert.ok(Object.keys(expected).length > 20);
  assert.deepEqual(served, expected);
  if (interval === 'DAY') for (const r of rows) assert.equal(r.day, iso(r.day_start!).slice(0, 10));
}

/** accruals, accruals_by_role, payouts per epoch, epochs, claims and datanet_epochs equal the truth. */
export async function checkEpochViews(q: Query, truth: GroundTruth): Promise<void> {
  const accruals = await q('SELECT * FROM analytics.accruals WHERE total > 0');
  assert.deepEqual(
    Object.fromEntries(accruals.map((r) => [`${r.epoch}/${r.account}`, r.total])),
    Object.fromEntries(
      Object.entries(truth.epochs).flatMap(([e, ep]) => Object.entries(ep.accounts).map(([a, v]) => [`${e}/${a}`, v])),
    ),
  );
  for (const r of accruals) assert.equal(r.epoch_closed, truth.epochs[r.epoch!].closed ? 't' : 'f');
  const claimed = await q('SELECT epoch, account, claimed FROM analytics.accruals WHERE claimed > 0');
  const claims = await q('SELECT epoch, account, sum(amount) AS amount FROM analytics.claims GROUP BY 1, 2');
  const truthClaims = Object.fromEntries(
    Object.entries(truth.epochs).flatMap(([e, ep]) => Object.entries(ep.claimedBy).map(([a, v]) => [`${e}/${a}`, v])),
  );
  assert.deepEqual(Object.fromEntries(claimed.map((r) => [`${r.epoch}/${r.account}`, r.claimed])), truthClaims);
  assert.deepEqual(Object.fromEntries(claims.map((r) => [`${r.epoch}/${r.account}`, r.amount])), truthClaims);

  const truthRoles = Object.fromEntries(
    Object.entries(truth.epochs).flatMap(([e, ep]) =>
      Object.entries(ep.roles).flatMap(([a, roles]) =>
        Object.entries(roles).map(([role, v]) => [`${e}/${a}/${role}`, v]),
      ),
    ),
  );
  const byRole = await q('SELECT epoch, account, role, amount FROM analytics.accruals_by_role');
  assert.deepEqual(Object.fromEntries(byRole.map((r) => [`${r.epoch}/${r.account}/${r.role}`, r.amount])), truthRoles);
  const payouts = await q('SELECT epoch, account, role, sum(amount) AS amount FROM analytics.payouts GROUP BY 1, 2, 3');
  assert.deepEqual(Object.fromEntries(payouts.map((r) => [`${r.epoch}/${r.account}/${r.role}`, r.amount])), truthRoles);

  const epochs = await q('SELECT * FROM analytics.epochs');
  assert.deepEqual(
    keyed(epochs, (r) => r.epoch!, [
      'closed',
      'closed_block',
      'inference_count',
      'total_fees',
      'accrued_to_accounts',
      'protocol_amount',
      'earning_accounts',
      'posted_root',
      'posted_total',
      'recomputed_root',
      'recomputed_total',
      'reconciled',
      'claimed_total',
      'claim_count',
    ]),
    Object.fromEntries(
      Object.entries(truth.epochs).map(([e, ep]) => [
        e,
        {
          closed: ep.closed ? 't' : 'f',
          closed_block: s(ep.closedAtBlock),
          inference_count: s(ep.inferences),
          total_fees: ep.fees,
          accrued_to_accounts: ep.accruedToAccounts,
          protocol_amount: ep.protocolAmount,
          earning_accounts: s(ep.earningAccounts),
          posted_root: ep.postedRoot,
          posted_total: ep.postedTotal,
          recomputed_root: ep.expectedRoot,
          recomputed_total: ep.expectedTotal,
          reconciled: ep.closed
            ? ep.postedRoot === ep.expectedRoot && ep.postedTotal === ep.expectedTotal
              ? 't'
              : 'f'
            : null,
          claimed_total: ep.claimed,
          claim_count: s(ep.claims),
        },
      ]),
    ),
  );
  const datanetEpochs = await q('SELECT * FROM analytics.datanet_epochs WHERE contributors_earned + owner_earned > 0');
  assert.deepEqual(
    keyed(datanetEpochs, (r) => `${r.epoch}/${r.datanet_id}`, ['contributors_earned', 'owner_earned']),
    Object.fromEntries(
      Object.entries(truth.epochs).flatMap(([e, ep]) =>
        Object.entries(ep.datanets).map(([id, d]) => [
          `${e}/${id}`,
          { contributors_earned: d.contributorsEarned, owner_earned: d.ownerEarned },
        ]),
      ),
    ),
  );
}
