import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { createApiServer, type ApiServer } from './server';
import { insertRows, seriesAddress } from './test-seed-sql';

type Role = 'CONTRIBUTOR' | 'DATANET_OWNER' | 'MODEL_OWNER';
interface Payment {
  account: string;
  block: number;
  epoch: number;
  role: Role;
  amount: bigint;
}
interface Claim {
  account: string;
  block: number;
  epoch: number;
  amount: bigint;
}

const A = seriesAddress(0xa);
const B = seriesAddress(0xb);
const HEAD = 100;
/** Epoch -> block of its EpochClosed (3 stays open). */
const CLOSED_AT: Record<number, number> = { 1: 30, 2: 60 };

// A earns in every role over epochs 1..3, claims epoch 1, and gets a late payment into closed epoch 1
// (settled into a closed epoch: an anomaly the indexer still counts); B only claims (no leaf).
const PAYMENTS: Payment[] = [];
for (let block = 10; block <= 90; block += 4) {
  const epoch = block <= 30 ? 1 : block <= 60 ? 2 : 3;
  PAYMENTS.push({ account: A, block, epoch, role: 'CONTRIBUTOR', amount: BigInt(block) * 10n ** 18n + 1n });
  if (block % 8 === 2) PAYMENTS.push({ account: A, block, epoch, role: 'DATANET_OWNER', amount: BigInt(block) });
  if (block % 12 === 2) PAYMENTS.push({ account: A, block, epoch, role: 'MODEL_OWNER', amount: 7n });
}
PAYMENTS.push({ account: A, block: 70, epoch: 1, role: 'CONTRIBUTOR', amount: 5n });
const leaf = (account: string, epoch: number) =>
  PAYMENTS.filter((p) => p.account === account && p.epoch === epoch && p.block <= CLOSED_AT[epoch]).reduce(
    (s, p) => s + p.amount,
    0n,
  );
const CLAIMS: Claim[] = [
  { account: A, block: 40, epoch: 1, amount: leaf(A, 1) },
  { account: B, block: 65, epoch: 2, amount: 3n },
];

/** What an account's payouts were at the end of `block`, from the lists above. */
function naiveAsOf(account: string, block: number) {
  const epochs = new Map<number, { c: bigint; d: bigint; m: bigint; claimed: bigint; claims: number }>();
  const row = (e: number) => {
    let r = epochs.get(e);
    if (!r) epochs.set(e, (r = { c: 0n, d: 0n, m: 0n, claimed: 0n, claims: 0 }));
    return r;
  };
  for (const p of PAYMENTS) {
    if (p.account !== account || p.block > block) continue;
    const r = row(p.epoch);
    if (p.role === 'CONTRIBUTOR') r.c += p.amount;
    else if (p.role === 'DATANET_OWNER') r.d += p.amount;
    else r.m += p.amount;
  }
  for (const c of CLAIMS) {
    if (c.account !== account || c.block > block) continue;
    row(c.epoch).claimed += c.amount;
    row(c.epoch).claims++;
  }
  const list = [...epochs].sort(([x], [y]) => y - x);
  const served = list.map(([epoch, r]) => {
    const total = r.c + r.d + r.m;
    const closed = CLOSED_AT[epoch] !== undefined && CLOSED_AT[epoch] <= block;
    const left = total - r.claimed;
    return {
      epoch: String(epoch),
      asContributor: String(r.c),
      asDatanetOwner: String(r.d),
      asModelOwner: String(r.m),
      total: String(total),
      claimed: String(r.claimed),
      claimCount: r.claims,
      epochClosed: closed,
      claimable: String(closed && left > 0n ? left : 0n),
      pending: String(closed ? 0n : total),
    };
  });
  const sum = (
    k: 'asContributor' | 'asDatanetOwner' | 'asModelOwner' | 'total' | 'claimed' | 'claimable' | 'pending',
  ) => String(served.reduce((s, e) => s + BigInt(e[k]), 0n));
  return {
    totals: {
      asOfBlock: block,
      earnedAsContributor: sum('asContributor'),
      earnedAsDatanetOwner: sum('asDatanetOwner'),
      earnedAsModelOwner: sum('asModelOwner'),
      earnedTotal: sum('total'),
      claimed: sum('claimed'),
      claimable: sum('claimable'),
      pending: sum('pending'),
    },
    epochs: served,
  };
}

let db: TestDatabase;
let api: ApiServer;

before(async () => {
  db = await setupTestDatabase();
  await insertRows(db, 'indexer_status', [{ height: HEAD }]);
  await insertRows(
    db,
    'epoch',
    [1, 2, 3].map((e) => ({ id: String(e), epoch: e, closed: e in CLOSED_AT, closed_at_block: CLOSED_AT[e] ?? null })),
  );
  await insertRows(
    db,
    'attribution',
    PAYMENTS.filter((p) => p.role === 'CONTRIBUTOR').map((p, i) => ({
      id: `0x${i}-0`,
      inference_id: `0x${i}`,
      contributor: p.account,
      amount: p.amount,
      epoch: p.epoch,
      block_number: p.block,
    })),
  );
  // A non-eligible attribution (amount 0) and another contributor's row must not count.
  await insertRows(db, 'attribution', [
    { id: '0xz-0', inference_id: '0xz', contributor: A, amount: 0, eligible: false, epoch: 3, block_number: 95 },
    { id: '0xy-0', inference_id: '0xy', contributor: B, amount: 99, epoch: 1, block_number: 12 },
  ]);
  await insertRows(
    db,
    'payout',
    PAYMENTS.filter((p) => p.role !== 'CONTRIBUTOR').map((p, i) => ({
      id: `0xp${i}`,
      inference_id: `0xp${i}`,
      account: p.account,
      role: p.role,
      amount: p.amount,
      epoch: p.epoch,
      block_number: p.block,
    })),
  );
  await insertRows(
    db,
    'reward_claim',
    CLAIMS.map((c, i) => ({
      id: `c${i}`,
      account: c.account,
      epoch: c.epoch,
      amount: c.amount,
      block_number: c.block,
    })),
  );
  // account_epoch and account rows as the processor keeps them (sums of the rows above).
  const rows = [];
  for (const account of [A, B]) {
    for (const e of naiveAsOf(account, HEAD).epochs) {
      const mine = PAYMENTS.filter((p) => p.account === account && p.epoch === Number(e.epoch));
      const claims = CLAIMS.filter((c) => c.account === account && c.epoch === Number(e.epoch));
      rows.push({
        id: `${e.epoch}-${account}`,
        epoch: e.epoch,
        account,
        as_contributor: e.asContributor,
        as_datanet_owner: e.asDatanetOwner,
        as_model_owner: e.asModelOwner,
        total: e.total,
        claimed: e.claimed,
        claim_count: e.claimCount,
        last_claim_at_block: claims.length ? Math.max(...claims.map((c) => c.block)) : null,
        first_accrued_at_block: Math.min(...[...mine, ...claims].map((p) => p.block)),
        last_accrued_at_block: mine.length ? Math.max(...mine.map((p) => p.block)) : null,
      });
    }
  }
  await insertRows(db, 'account_epoch', rows);
  const now = naiveAsOf(A, HEAD).totals;
  await insertRows(db, 'account', [
    {
      id: A,
      earned_as_contributor: now.earnedAsContributor,
      earned_as_datanet_owner: now.earnedAsDatanetOwner,
      earned_as_model_owner: now.earnedAsModelOwner,
      earned_total: now.earnedTotal,
      claimed_total: now.claimed,
      reputation_score: 550,
      acceptance_bps: 6000,
      quality_bps: 7000,
      impact_bps: 100,
      reputation_updated_at_block: 50,
    },
    { id: B, claimed_total: 3 },
  ]);
  await insertRows(
    db,
    'reputation_change',
    [
      [5, 500],
      [20, 600],
      [50, 550],
    ].map(([block, score]) => ({ id: `${A}-${block}`, account: A, block_number: block, score, accepted: block })),
  );
  api = await createApiServer({ dbUrl: db.url, port: 0, host: '127.0.0.1' });
});
after(async () => {
  await api?.close();
  await db?.stop();
});

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

const TOTALS =
  'asOfBlock earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimed claimable pending';
const EPOCH_FIELDS =
  'epoch asContributor asDatanetOwner asModelOwner total claimed claimCount epochClosed claimable pending';

describe('payout totals as of a block', () => {
  test('every block from before the first payment to the head equals the sums of the payments up to it', async () => {
    for (const account of [A, B]) {
      for (let block = 0; block <= HEAD; block++) {
        const res = await gql(
          `query($a: String!, $b: Int!) { contributor(address: $a) {
            payoutTotals(asOfBlock: $b) { ${TOTALS} }
            payouts(asOfBlock: $b, first: 10) { totalCount edges { node { ${EPOCH_FIELDS} } } } } }`,
          { a: account, b: block },
        );
        assert.equal(res.errors, undefined, JSON.stringify(res.errors));
        const expected = naiveAsOf(account, block);
        const { payoutTotals, payouts } = res.data.contributor;
        assert.deepEqual(payoutTotals, expected.totals, `${account} at ${block}`);
        assert.deepEqual(
          payouts.edges.map((e: any) => e.node),
          expected.epochs,
          `${account} epochs at ${block}`,
        );
        assert.equal(payouts.totalCount, expected.epochs.length);
      }
    }
  });

  test('the scenario exercises what it should: a late payment into a closed epoch, claimable moving with closes and claims', () => {
    assert.notEqual(naiveAsOf(A, 69).totals.claimable, naiveAsOf(A, 70).totals.claimable);
    assert.equal(naiveAsOf(A, 29).totals.claimable, '0');
    assert.notEqual(naiveAsOf(A, 30).totals.claimable, '0');
    assert.notEqual(naiveAsOf(A, 39).totals.claimable, naiveAsOf(A, 40).totals.claimable);
  });

  test('as of the head it equals the current totals', async () => {
    const res = await gql(
      `query($a: String!, $b: Int!) { contributor(address: $a) {
      now: payoutTotals { ${TOTALS} } head: payoutTotals(asOfBlock: $b) { ${TOTALS} } } }`,
      { a: A, b: HEAD },
    );
    assert.deepEqual({ ...res.data.contributor.now, asOfBlock: HEAD }, res.data.contributor.head);
    assert.equal(res.data.contributor.now.asOfBlock, null);
  });

  test('one epoch as of a block', async () => {
    const res = await gql(
      `query($a: String!) { contributor(address: $a) {
      payouts(asOfBlock: 45, epoch: "2") { edges { node { ${EPOCH_FIELDS} } } } } }`,
      { a: A },
    );
    assert.deepEqual(
      res.data.contributor.payouts.edges.map((e: any) => e.node),
      naiveAsOf(A, 45).epochs.filter((e) => e.epoch === '2'),
    );
  });
});

describe('reputation as of a block', () => {
  test('the latest history row at or before the block, null before the first; history cut at the block', async () => {
    const expected: [number, number | null][] = [
      [4, null],
      [5, 500],
      [19, 500],
      [20, 600],
      [49, 600],
      [50, 550],
      [HEAD, 550],
    ];
    for (const [block, score] of expected) {
      const res = await gql(
        `query($a: String!, $b: Int!) { contributor(address: $a) {
          reputation(asOfBlock: $b) { score accepted updatedAtBlock asOfBlock history(first: 10) { edges { node { blockNumber } } } }
          reputationAt(block: $b) { score } } }`,
        { a: A, b: block },
      );
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      const { reputation, reputationAt } = res.data.contributor;
      assert.equal(reputation?.score ?? null, score, `block ${block}`);
      assert.equal(reputationAt?.score ?? null, score, `block ${block}`);
      if (reputation) {
        const rows = [5, 20, 50].filter((b) => b <= block);
        assert.equal(reputation.accepted, rows.at(-1));
        assert.equal(reputation.updatedAtBlock, rows.at(-1));
        assert.equal(reputation.asOfBlock, block);
        assert.deepEqual(
          reputation.history.edges.map((e: any) => e.node.blockNumber),
          rows,
        );
      }
    }
    const now = await gql(`query($a: String!) { contributor(address: $a) { reputation { score asOfBlock } } }`, {
      a: A,
    });
    assert.deepEqual(now.data.contributor.reputation, { score: 550, asOfBlock: null });
  });
});

describe('asOfBlock arguments', () => {
  test('above the indexed head, or negative: BAD_USER_INPUT naming the argument', async () => {
    const cases: [string, string][] = [
      [`payoutTotals(asOfBlock: ${HEAD + 1}) { claimed }`, 'asOfBlock'],
      [`payouts(asOfBlock: ${HEAD + 1}) { totalCount }`, 'asOfBlock'],
      [`reputation(asOfBlock: ${HEAD + 1}) { score }`, 'asOfBlock'],
      ['reputationAt(block: -1) { score }', 'block'],
      ['payoutTotals(asOfBlock: -1) { claimed }', 'asOfBlock'],
    ];
    for (const [field, argument] of cases) {
      const res = await gql(`query($a: String!) { contributor(address: $a) { ${field} } }`, { a: A });
      assert.equal(res.errors?.length, 1, `${field}: ${JSON.stringify(res)}`);
      assert.equal(res.errors![0].extensions?.code, 'BAD_USER_INPUT', field);
      assert.match(res.errors![0].message, new RegExp(`^Argument "${argument}"`), field);
    }
    const res = await gql(
      `query($a: String!) { contributor(address: $a) { payoutTotals(asOfBlock: 101) { claimed } } }`,
      {
        a: A,
      },
    );
    assert.match(res.errors![0].message, /block 101 > 100/);
  });
});
