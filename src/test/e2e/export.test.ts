/**
 * End to end: the CSV exports of the `small` scenario, served as the read-only role `api`, equal the
 * simulator's independent ground truth: every epoch's payout table and every account's history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PAYOUT_CSV_COLUMNS } from '../../api/export/queries';
import type { GroundTruth } from '../../devnet';
import type { TruthEpoch } from '../../devnet/types';
import { parseCsvObjects } from '../csv';
import { indexSmallScenario, type IndexedScenario } from './indexedScenario';

type CsvRow = Record<(typeof PAYOUT_CSV_COLUMNS)[number], string>;

/** The rows the truth gives for one epoch: every account that accrued or claimed, largest accrual first. */
function truthEpochRows(epoch: string, e: TruthEpoch): CsvRow[] {
  const accounts = new Set([...Object.keys(e.roles), ...Object.keys(e.claimedBy)]);
  const reconciled = e.closed
    ? String(e.postedRoot?.toLowerCase() === e.expectedRoot?.toLowerCase() && e.postedTotal === e.expectedTotal)
    : '';
  const rows = [...accounts].map((account) => {
    const roles = e.roles[account] ?? {};
    const c = BigInt(roles.CONTRIBUTOR ?? 0);
    const d = BigInt(roles.DATANET_OWNER ?? 0);
    const m = BigInt(roles.MODEL_OWNER ?? 0);
    const accrued = c + d + m;
    const claimed = BigInt(e.claimedBy[account] ?? 0);
    return {
      epoch,
      epoch_status: e.closed ? 'CLOSED' : 'OPEN',
      reconciled,
      account,
      as_contributor: String(c),
      as_datanet_owner: String(d),
      as_model_owner: String(m),
      accrued: String(accrued),
      claimed: String(claimed),
      claimable: String(e.closed && accrued > claimed ? accrued - claimed : 0n),
      pending: String(e.closed ? 0n : accrued),
    };
  });
  // Byte order of lowercase hex addresses is plain string order.
  return rows.sort((a, b) => {
    const [x, y] = [BigInt(a.accrued), BigInt(b.accrued)];
    return x !== y ? (x > y ? -1 : 1) : a.account < b.account ? 1 : a.account > b.account ? -1 : 0;
  });
}

/** An account's rows over every epoch, in epoch order. */
function truthAccountRows(truth: GroundTruth, account: string): CsvRow[] {
  return Object.entries(truth.epochs)
    .sort(([a], [b]) => Number(BigInt(a) - BigInt(b)))
    .flatMap(([n, e]) => truthEpochRows(n, e).filter((r) => r.account === account));
}

describe('CSV exports against the ground truth (small scenario)', () => {
  let scenario: IndexedScenario;
  let truth: GroundTruth;
  let base: string;
  const download = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    const text = await res.text();
    const { header, rows } = parseCsvObjects(text);
    assert.deepEqual(header, [...PAYOUT_CSV_COLUMNS], path);
    return { rows: rows as CsvRow[], text, disposition: res.headers.get('content-disposition') };
  };

  before(async () => {
    scenario = await indexSmallScenario();
    truth = scenario.truth;
    base = scenario.api.url.replace(/\/graphql$/, '');
  });
  after(() => scenario?.close());

  it("every epoch's CSV equals the truth's accruals, claims and status, in payout-table order", async () => {
    const epochs = Object.entries(truth.epochs);
    assert.ok(epochs.length >= 3, 'the scenario has several epochs');
    assert.ok(
      epochs.some(([, e]) => !e.closed),
      'an open epoch is covered',
    );
    assert.ok(
      epochs.some(([, e]) => e.closed && e.postedRoot !== e.expectedRoot),
      'an unreconciled epoch is covered',
    );
    let rowsSeen = 0;
    for (const [n, e] of epochs) {
      const { rows, disposition } = await download(`/export/payouts.csv?epoch=${n}`);
      assert.equal(disposition, `attachment; filename="payouts-epoch-${n}.csv"`);
      assert.deepEqual(rows, truthEpochRows(n, e), `epoch ${n}`);
      assert.ok(
        rows.every((r) => /^0x[0-9a-f]{40}$/.test(r.account)),
        'addresses are lowercase hex',
      );
      // The leaves of the epoch's tree: its earning accounts, summing to its accruals.
      const positive = rows.filter((r) => BigInt(r.accrued) > 0n);
      assert.equal(positive.length, e.earningAccounts, `epoch ${n}`);
      assert.equal(String(positive.reduce((s, r) => s + BigInt(r.accrued), 0n)), e.accruedToAccounts, `epoch ${n}`);
      rowsSeen += rows.length;
    }
    assert.ok(rowsSeen > 0);
  });

  it('an epoch the chain never had is 404 naming it', async () => {
    const next = String(Object.keys(truth.epochs).reduce((m, n) => (BigInt(n) > m ? BigInt(n) : m), 0n) + 1000n);
    const res = await fetch(`${base}/export/payouts.csv?epoch=${next}`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    assert.match(body.errors[0].message, new RegExp(`^Epoch ${next} does not exist`));
    assert.deepEqual(body.errors[0].extensions, { code: 'NOT_FOUND', parameter: 'epoch', epoch: next });
  });

  it("every account's CSV equals its rows of the truth, epoch by epoch, and its totals add up", async () => {
    const accounts = Object.keys(truth.accounts).filter(
      (a) => truth.accounts[a].earnedTotal !== '0' || truth.accounts[a].claimed !== '0',
    );
    assert.ok(accounts.length > 10);
    for (const account of accounts) {
      const { rows } = await download(`/export/accounts/${account}/payouts.csv`);
      assert.deepEqual(rows, truthAccountRows(truth, account), account);
      const t = truth.accounts[account];
      const sum = (k: keyof CsvRow) => String(rows.reduce((s, r) => s + BigInt(r[k]), 0n));
      assert.deepEqual(
        [sum('accrued'), sum('claimed'), sum('claimable'), sum('pending')],
        [t.earnedTotal, t.claimed, t.claimable, t.pendingRewards],
        account,
      );
    }
  });

  it('fromEpoch and toEpoch cut an account history to the epochs asked', async () => {
    // The account with rows in the most epochs.
    const [account] = Object.keys(truth.accounts)
      .map((a) => [a, truthAccountRows(truth, a).length] as const)
      .sort((x, y) => y[1] - x[1])[0];
    const all = truthAccountRows(truth, account);
    assert.ok(all.length >= 3, `${account} has rows in ${all.length} epochs`);
    const from = all[1].epoch;
    const to = all[all.length - 2].epoch;
    const { rows, disposition } = await download(
      `/export/accounts/${account.toUpperCase().replace('0X', '0x')}/payouts.csv?fromEpoch=${from}&toEpoch=${to}`,
    );
    assert.equal(disposition, `attachment; filename="payouts-${account}-epochs-${from}-${to}.csv"`);
    assert.deepEqual(rows, all.slice(1, -1));
    assert.deepEqual((await download(`/export/accounts/${account}/payouts.csv?toEpoch=${from}`)).rows, all.slice(0, 2));
  });
});
