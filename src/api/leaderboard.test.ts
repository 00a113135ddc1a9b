import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rankEntries, type TruthRank } from '../devnet/truth/leaderboards';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { createApiServer, type ApiServer } from './server';
import { insertRows, seriesAddress } from './test-seed-sql';

let db: TestDatabase;
let api: ApiServer;

/** Scores (null: no reputation) and all-time earnings of accounts 1..12, with ties and zeros. */
const SCORES = [900, 900, 850, null, 850, 850, 700, 0, 0, null, 990, 700];
const EARNED = ['5', '7', '7', '0', '7', '100000000000000000000000', '5', '0', '1', '5', '2', '0'];
/** Accrued in epoch 3 (account index -> total); epoch 4 has other values. 0 rows record a claim only. */
const EPOCH3: Record<number, string> = { 1: '40', 2: '40', 3: '0', 5: '9', 7: '40', 9: '1' };
const EPOCH4: Record<number, string> = { 2: '3', 3: '4' };
/** Contributor earnings per Datanet. */
const DATANET1: Record<number, string> = { 1: '10', 2: '30', 3: '30', 4: '10', 6: '10' };
const DATANET2: Record<number, string> = { 5: '1' };
/** Datanets 1..6: (fees paid for their data, contributions). */
const DATANETS = [
  ['50', 3],
  ['0', 0],
  ['50', 9],
  ['70', 3],
  ['1', 3],
  ['0', 1],
] as const;
/** Models 1..5: (inferences, fees). */
const MODELS = [
  [4, '400'],
  [9, '900'],
  [4, '100'],
  [0, '0'],
  [9, '900'],
] as const;

before(async () => {
  db = await setupTestDatabase();
  await insertRows(
    db,
    'account',
    SCORES.map((score, i) => ({
      id: seriesAddress(i + 1),
      reputation_score: score,
      acceptance_bps: score === null ? null : 5000,
      quality_bps: score === null ? null : 5000,
      impact_bps: score === null ? null : 0,
      reputation_updated_at_block: score === null ? null : 10,
      earned_total: EARNED[i],
    })),
  );
  const accountEpochs = (epoch: number, totals: Record<number, string>) =>
    Object.entries(totals).map(([n, total]) => ({
      id: `${epoch}-${seriesAddress(Number(n))}`,
      epoch,
      account: seriesAddress(Number(n)),
      as_contributor: total,
      total,
    }));
  await insertRows(db, 'account_epoch', [...accountEpochs(3, EPOCH3), ...accountEpochs(4, EPOCH4)]);
  const datanetAccounts = (datanet: number, earned: Record<number, string>) =>
    Object.entries(earned).map(([n, e]) => ({
      id: `${datanet}-${seriesAddress(Number(n))}`,
      datanet_id: String(datanet),
      account: seriesAddress(Number(n)),
      earned: e,
    }));
  await insertRows(db, 'datanet_account', [...datanetAccounts(1, DATANET1), ...datanetAccounts(2, DATANET2)]);
  await insertRows(
    db,
    'datanet',
    DATANETS.map(([fees, contributions], i) => ({
      id: String(i + 1),
      datanet_id: i + 1,
      earned_total: fees,
      contribution_count: contributions,
    })),
  );
  await insertRows(
    db,
    'model',
    MODELS.map(([inferences, fees], i) => ({
      id: String(i + 1),
      model_id: i + 1,
      inference_count: inferences,
      total_fees: fees,
    })),
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

/** Walks a board in pages of `first`; returns (id, value, rank, position) per row and the totalCount. */
async function walkBoard(field: string, args: string, idOf: string, first: number) {
  const rows: TruthRank[] = [];
  let after: string | null = null;
  let total = -1;
  for (let guard = 0; guard < 100; guard++) {
    const res = await gql(
      `query($after: String) { ${field}(${args}, first: ${first}, after: $after) {
        totalCount edges { cursor node { rank position value ${idOf} } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const conn = res.data[field];
    total = conn.totalCount;
    for (const { node } of conn.edges) {
      const id = node.address ?? node.datanet?.id ?? node.model?.id;
      rows.push({ id, value: node.value, rank: node.rank, position: node.position });
    }
    if (!conn.pageInfo.hasNextPage) return { rows, total };
    after = conn.pageInfo.endCursor;
  }
  throw new Error('board did not end');
}

const entries = (values: Record<number, string>) =>
  Object.entries(values).map(([n, v]) => ({ id: seriesAddress(Number(n)), value: BigInt(v) }));
const positive = (xs: { id: string; value: bigint }[]) => xs.filter((x) => x.value > 0n);

const BOARDS: { name: string; field: string; args: string; idOf: string; expected: () => TruthRank[] }[] = [
  {
    name: 'contributors by reputation (score 0 ranked, no reputation left out)',
    field: 'contributorLeaderboard',
    args: 'by: REPUTATION',
    idOf: 'address',
    expected: () =>
      rankEntries(SCORES.flatMap((s, i) => (s === null ? [] : [{ id: seriesAddress(i + 1), value: BigInt(s) }]))),
  },
  {
    name: 'contributors by all-time earnings (zero earners left out)',
    field: 'contributorLeaderboard',
    args: 'by: EARNINGS',
    idOf: 'address',
    expected: () => rankEntries(positive(EARNED.map((e, i) => ({ id: seriesAddress(i + 1), value: BigInt(e) })))),
  },
  {
    name: 'contributors by earnings in one epoch (claim-only rows left out)',
    field: 'contributorLeaderboard',
    args: 'by: EARNINGS, epoch: "3"',
    idOf: 'address',
    expected: () => rankEntries(positive(entries(EPOCH3))),
  },
  {
    name: 'contributors by earnings from one Datanet',
    field: 'contributorLeaderboard',
    args: 'by: EARNINGS, datanetId: "1"',
    idOf: 'address',
    expected: () => rankEntries(positive(entries(DATANET1))),
  },
  {
    name: 'Datanets by fees',
    field: 'datanetLeaderboard',
    args: 'by: FEES',
    idOf: 'datanet { id }',
    expected: () => rankEntries(positive(DATANETS.map(([f], i) => ({ id: String(i + 1), value: BigInt(f) }))), true),
  },
  {
    name: 'Datanets by contributions',
    field: 'datanetLeaderboard',
    args: 'by: CONTRIBUTIONS',
    idOf: 'datanet { id }',
    expected: () => rankEntries(positive(DATANETS.map(([, c], i) => ({ id: String(i + 1), value: BigInt(c) }))), true),
  },
  {
    name: 'models by inferences',
    field: 'modelLeaderboard',
    args: 'by: INFERENCES',
    idOf: 'model { id }',
    expected: () => rankEntries(positive(MODELS.map(([n], i) => ({ id: String(i + 1), value: BigInt(n) }))), true),
  },
  {
    name: 'models by fees',
    field: 'modelLeaderboard',
    args: 'by: FEES',
    idOf: 'model { id }',
    expected: () => rankEntries(positive(MODELS.map(([, f], i) => ({ id: String(i + 1), value: BigInt(f) }))), true),
  },
];

describe('leaderboards', () => {
  for (const board of BOARDS) {
    test(`${board.name}: same order, ranks and positions whatever the page size`, async () => {
      const expected = board.expected();
      assert.ok(
        expected.some((r, i) => i > 0 && r.rank === expected[i - 1].rank),
        'the seed holds a tie',
      );
      for (const first of [1, 2, 3, 50]) {
        const { rows, total } = await walkBoard(board.field, board.args, board.idOf, first);
        assert.deepEqual(rows, expected, `pages of ${first}`);
        assert.equal(total, expected.length);
      }
    });
  }

  test('spot check: ties share the rank, the next rank skips, the larger address comes first', async () => {
    const { rows } = await walkBoard('contributorLeaderboard', 'by: REPUTATION', 'address', 4);
    assert.deepEqual(
      rows.slice(0, 7).map((r) => [r.value, r.rank, r.position, r.id]),
      [
        ['990', 1, 1, seriesAddress(11)],
        ['900', 2, 2, seriesAddress(2)],
        ['900', 2, 3, seriesAddress(1)],
        ['850', 4, 4, seriesAddress(6)],
        ['850', 4, 5, seriesAddress(5)],
        ['850', 4, 6, seriesAddress(3)],
        ['700', 7, 7, seriesAddress(12)],
      ],
    );
  });

  test('a row links to its contributor, Datanet or model', async () => {
    const res = await gql(`{
      contributorLeaderboard(by: EARNINGS, epoch: "4", first: 1) { edges { node { address contributor { address earnedTotal } } } }
      datanetLeaderboard(by: FEES, first: 1) { edges { node { value datanet { id earnedTotal contributionCount } } } }
      modelLeaderboard(by: FEES, first: 1) { edges { node { value model { id totalFees inferenceCount } } } }
    }`);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(res.data.contributorLeaderboard.edges[0].node, {
      address: seriesAddress(3),
      contributor: { address: seriesAddress(3), earnedTotal: '7' },
    });
    assert.deepEqual(res.data.datanetLeaderboard.edges[0].node, {
      value: '70',
      datanet: { id: '4', earnedTotal: '70', contributionCount: 3 },
    });
    assert.deepEqual(res.data.modelLeaderboard.edges[0].node, {
      value: '900',
      model: { id: '5', totalFees: '900', inferenceCount: 9 },
    });
  });

  test('an unknown epoch or Datanet has an empty board', async () => {
    const res = await gql(`{
      a: contributorLeaderboard(by: EARNINGS, epoch: "99") { totalCount edges { cursor } }
      b: contributorLeaderboard(by: EARNINGS, datanetId: "99") { totalCount edges { cursor } }
    }`);
    assert.deepEqual(res.data, { a: { totalCount: 0, edges: [] }, b: { totalCount: 0, edges: [] } });
  });

  test('bad arguments are BAD_USER_INPUT naming the argument', async () => {
    const page = await gql('{ contributorLeaderboard(by: EARNINGS, first: 2) { pageInfo { endCursor } } }');
    const earningsCursor = page.data.contributorLeaderboard.pageInfo.endCursor;
    const cases: [string, string][] = [
      ['{ contributorLeaderboard(by: REPUTATION, epoch: "1") { totalCount } }', 'epoch'],
      ['{ contributorLeaderboard(by: REPUTATION, datanetId: "1") { totalCount } }', 'datanetId'],
      ['{ contributorLeaderboard(by: EARNINGS, epoch: "1", datanetId: "1") { totalCount } }', 'datanetId'],
      ['{ contributorLeaderboard(by: EARNINGS, epoch: "-1") { totalCount } }', 'epoch'],
      ['{ contributorLeaderboard(by: EARNINGS, datanetId: "x") { totalCount } }', 'datanetId'],
      ['{ contributorLeaderboard(by: EARNINGS, first: 1001) { totalCount } }', 'first'],
      [`{ contributorLeaderboard(by: REPUTATION, after: "${earningsCursor}") { totalCount } }`, 'after'],
      [`{ contributorLeaderboard(by: EARNINGS, epoch: "3", after: "${earningsCursor}") { totalCount } }`, 'after'],
      ['{ datanetLeaderboard(by: FEES, after: "eyJ4Ijox") { totalCount } }', 'after'],
    ];
    for (const [query, argument] of cases) {
      const res = await gql(query);
      assert.equal(res.errors?.length, 1, `${query}: ${JSON.stringify(res)}`);
      assert.equal(res.errors![0].extensions?.code, 'BAD_USER_INPUT', query);
      assert.match(res.errors![0].message, new RegExp(`^Argument "${argument}"`), query);
    }
  });
});
