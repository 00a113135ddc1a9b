// Every leaderboard and time-travel query, as the resolvers issue it, runs on an index that serves its
// order: EXPLAIN on realistic row counts must show no Seq Scan of a large table and no Sort over one,
// and a page 10,000 rows deep must read about as many buffers as page 1.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { graphql } from 'graphql';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import type { ApiContext } from './context';
import { createApiDb, type ApiDb } from './db';
import { schema } from './schema';
import { SERIES_ADDRESS, insertRows, insertSeries, seriesAddress } from './test-seed-sql';

/** Tables seeded with many rows: a Seq Scan of one of them fails the test. */
const LARGE = [
  'account',
  'account_epoch',
  'datanet_account',
  'datanet',
  'model',
  'attribution',
  'payout',
  'reputation_change',
];
const HEAVY = seriesAddress(0xf00000); // beyond every series address
const EPOCHS = 8;
const HEAD = 80_000;

let db: TestDatabase;
let apiDb: ApiDb;
let statements: { text: string; values: readonly unknown[] }[] = [];

/** An ApiDb that records every statement it runs. */
function recording(inner: ApiDb): ApiDb {
  return {
    queryCount: () => statements.length,
    poolStats: () => inner.poolStats(),
    query(text, values = [], map) {
      statements.push({ text, values });
      return inner.query(text, values, map);
    },
    one(text, values = [], map) {
      statements.push({ text, values });
      return inner.one(text, values, map);
    },
    queryArrays(text, values = []) {
      statements.push({ text, values });
      return inner.queryArrays(text, values);
    },
    connect: () => inner.connect(),
    close: () => inner.close(),
  };
}

/** Runs a GraphQL query in-process; returns its data and the statements it ran. */
async function run(source: string, variables: Record<string, unknown> = {}) {
  statements = [];
  const contextValue: ApiContext = {
    db: recording(apiDb),
    chainHead: { get: async () => null, blockTimestamp: async () => null },
    finalityConfirmations: 0,
  };
  const res = await graphql({ schema, source, variableValues: variables, contextValue });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return { data: res.data as any, ran: statements };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** EXPLAINs a statement; fails on a Seq Scan of a large table or a Sort of more than `maxSortRows` rows. */
async function checkPlan(
  t: TestContext,
  label: string,
  s: { text: string; values: readonly unknown[] },
  maxSortRows = 0,
) {
  const [row] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${s.text}`, [
    ...s.values,
  ]);
  const nodes = nodesOf(row['QUERY PLAN'][0].Plan);
  const seq = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && LARGE.includes(n['Relation Name']!));
  const sorts = nodes.filter((n) => /Sort/.test(n['Node Type']) && n['Plan Rows'] > maxSortRows);
  const shape = nodes
    .map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`)
    .join(' > ');
  t.diagnostic(`${label}: ${shape}`);
  assert.deepEqual(seq, [], `${label}: Seq Scan of a large table\n${s.text}\n${shape}`);
  assert.deepEqual(sorts, [], `${label}: Sort over a large input\n${s.text}\n${shape}`);
}

/** Execution time (ms) and shared buffers read of a statement (EXPLAIN ANALYZE). */
async function cost(s: { text: string; values: readonly unknown[] }): Promise<{ ms: number; buffers: number }> {
  const [row] = await db.query<{
    'QUERY PLAN': { Plan: PlanNode & Record<string, number>; 'Execution Time': number }[];
  }>(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ${s.text}`, [...s.values]);
  const plan = row['QUERY PLAN'][0];
  return { ms: plan['Execution Time'], buffers: plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'] };
}

before(async () => {
  db = await setupTestDatabase();
  // ~650,000 rows: value columns spread with many ties (scores 0..1000), zeros and NULLs left out of boards.
  await insertSeries(db, 'account', 60_000, {
    id: SERIES_ADDRESS,
    reputation_score: 'CASE WHEN g % 10 = 0 THEN NULL ELSE (g * 7919) % 1001 END',
    earned_total: 'CASE WHEN g % 7 = 0 THEN 0 ELSE ((g::bigint * 104729) % 100000)::numeric * 1000000000000000 END',
  });
  await insertSeries(db, 'account_epoch', 120_000, {
    id: `(g % ${EPOCHS} + 1) || '-' || ${SERIES_ADDRESS}`,
    epoch: `g % ${EPOCHS} + 1`,
    account: SERIES_ADDRESS,
    total: '(g * 31) % 5000',
    as_contributor: '(g * 31) % 5000',
    first_accrued_at_block: `(g % ${EPOCHS}) * 10000 + 1`,
    last_accrued_at_block: `(g % ${EPOCHS}) * 10000 + 9000`,
  });
  await insertSeries(db, 'datanet_account', 120_000, {
    id: `(g % 20 + 1) || '-' || ${SERIES_ADDRESS}`,
    datanet_id: '(g % 20 + 1)::text',
    account: SERIES_ADDRESS,
    earned: '(g * 17) % 3000',
  });
  await insertSeries(db, 'datanet', 20_000, {
    id: 'g::text',
    datanet_id: 'g',
    earned_total: '(g * 13) % 500',
    contribution_count: '(g * 7) % 300',
  });
  await insertSeries(db, 'model', 20_000, {
    id: 'g::text',
    model_id: 'g',
    inference_count: '(g * 11) % 400',
    total_fees: '((g * 11) % 400) * 1000',
  });
  // A heavy account: 75,000 contributor payments and 30,000 owner payments over 8 epochs of 10,000 blocks.
  await insertSeries(db, 'attribution', 150_000, {
    id: "'a' || g",
    inference_id: "'i' || g",
    contributor: `CASE WHEN g % 2 = 0 THEN '${HEAVY}' ELSE ${SERIES_ADDRESS} END`,
    amount: '1000000000000000 + g',
    block_number: `(g::bigint * ${HEAD} / 150000)::int`,
    epoch: `(g::bigint * ${HEAD} / 150000) / 10000 + 1`,
  });
  await insertSeries(db, 'payout', 60_000, {
    id: "'p' || g",
    inference_id: "'i' || g",
    account: `CASE WHEN g % 2 = 0 THEN '${HEAVY}' ELSE ${SERIES_ADDRESS} END`,
    role: "CASE WHEN g % 3 = 0 THEN 'MODEL_OWNER' ELSE 'DATANET_OWNER' END",
    amount: 'g',
    block_number: `(g::bigint * ${HEAD} / 60000)::int`,
    epoch: `(g::bigint * ${HEAD} / 60000) / 10000 + 1`,
  });
  await insertSeries(db, 'reputation_change', 100_000, {
    id: "'r' || g",
    account: `CASE WHEN g % 4 = 0 THEN '${HEAVY}' ELSE ${SERIES_ADDRESS} END`,
    block_number: 'g',
    score: 'g % 1001',
  });
  await insertRows(
    db,
    'account_epoch',
    Array.from({ length: EPOCHS }, (_, i) => ({
      id: `${i + 1}-${HEAVY}-heavy`,
      epoch: i + 1,
      account: HEAVY,
      first_accrued_at_block: i * 10_000,
      last_accrued_at_block: i * 10_000 + 9_999,
    })),
  );
  await insertRows(
    db,
    'epoch',
    Array.from({ length: EPOCHS }, (_, i) => ({
      id: String(i + 1),
      epoch: i + 1,
      closed: i < EPOCHS - 1,
      closed_at_block: i < EPOCHS - 1 ? (i + 1) * 10_000 : null,
    })),
  );
  await insertRows(db, 'account', [{ id: HEAVY, earned_total: 1, reputation_score: 1 }]);
  await insertRows(db, 'indexer_status', [{ height: HEAD }]);
  await db.query('VACUUM ANALYZE');
  apiDb = createApiDb({ url: db.url, statementTimeoutMs: 60_000 });
});
after(async () => {
  await apiDb?.close();
  await db?.stop();
});

const BOARDS: [string, string][] = [
  ['contributors by reputation', 'contributorLeaderboard(by: REPUTATION'],
  ['contributors by earnings', 'contributorLeaderboard(by: EARNINGS'],
  ['contributors by earnings in an epoch', 'contributorLeaderboard(by: EARNINGS, epoch: "3"'],
  ['contributors by earnings from a Datanet', 'contributorLeaderboard(by: EARNINGS, datanetId: "17"'],
  ['Datanets by fees', 'datanetLeaderboard(by: FEES'],
  ['Datanets by contributions', 'datanetLeaderboard(by: CONTRIBUTIONS'],
  ['models by inferences', 'modelLeaderboard(by: INFERENCES'],
  ['models by fees', 'modelLeaderboard(by: FEES'],
];

describe('leaderboard query plans on realistic row counts', () => {
  for (const [name, call] of BOARDS) {
    test(`${name}: index order, no Seq Scan or Sort, page 1 and a deep page`, async (t) => {
      const page = (after: string | null, first: number) =>
        run(
          `query($after: String) { ${call}, first: ${first}, after: $after) {
          edges { node { rank position value } } pageInfo { endCursor hasNextPage } } }`,
          { after },
        );
      const field = call.slice(0, call.indexOf('('));
      const first = await page(null, 50);
      const [pageQuery] = first.ran;
      await checkPlan(t, `${name} page 1`, pageQuery);
      // Walk 1,000 rows at a time as deep as the board goes (up to ~10,000 rows).
      let cursor: string | null = null;
      let depth = 0;
      for (let i = 0; i < 10; i++) {
        const { data } = await page(cursor, 1000);
        if (!data[field].pageInfo.hasNextPage) break;
        cursor = data[field].pageInfo.endCursor;
        depth += 1000;
      }
      const deep = await page(cursor, 50);
      const [deepQuery] = deep.ran;
      await checkPlan(t, `${name} after ${depth} rows`, deepQuery);
      const nodes = deep.data[field].edges;
      if (depth > 0) assert.equal(nodes[0].node.position, depth + 1);
      const [c1, cDeep] = [await cost(pageQuery), await cost(deepQuery)];
      t.diagnostic(
        `${name}: page 1 ${c1.ms.toFixed(2)} ms / ${c1.buffers} buffers, after ${depth} rows ${cDeep.ms.toFixed(2)} ms / ${cDeep.buffers} buffers`,
      );
      assert.ok(cDeep.buffers <= 3 * c1.buffers + 10, `deep page reads ${cDeep.buffers} buffers, page 1 ${c1.buffers}`);
    });
  }
});

describe('time-travel query plans on an account with 105,000 payments', () => {
  test('payout totals and per-epoch rows as of a block: indexed, and far below a plain sum over all rows', async (t) => {
    // Inside the last (open) epoch: near its start, in its middle (the most rows either way), near its end.
    for (const [where, block] of [
      ['early in the open epoch', 71_000],
      ['mid open epoch', 75_000],
      ['late in the open epoch', 79_000],
    ] as const) {
      const { ran } = await run(
        `query($a: String!, $b: Int!) { contributor(address: $a) {
          payoutTotals(asOfBlock: $b) { earnedTotal claimed pending }
          payouts(asOfBlock: $b, first: 50) { edges { node { epoch total } } }
          reputation(asOfBlock: $b) { score } } }`,
        { a: HEAVY, b: block },
      );
      const asOf = ran.filter((s) => /account_epoch ae/.test(s.text) || /reputation_change/.test(s.text));
      assert.equal(asOf.length, 3, ran.map((s) => s.text).join('\n---\n'));
      for (const [i, s] of asOf.entries()) await checkPlan(t, `${where}: as-of statement ${i + 1}`, s, 1000);
      const totals = asOf.find((s) => /GROUP BY r.for_key/.test(s.text))!;
      const ours = await cost(totals);
      const plain = await cost({
        text: `SELECT (SELECT sum(amount) FROM attribution WHERE contributor = $1 AND block_number <= $2)
                    + (SELECT coalesce(sum(amount), 0) FROM payout WHERE account = $1 AND block_number <= $2)`,
        values: [HEAVY, block],
      });
      t.diagnostic(
        `${where} (block ${block}): as-of totals ${ours.ms.toFixed(2)} ms / ${ours.buffers} buffers; a plain sum over the account's payments up to the block ${plain.ms.toFixed(2)} ms / ${plain.buffers} buffers`,
      );
      assert.ok(ours.buffers * 4 < plain.buffers, `ours ${ours.buffers} buffers, plain ${plain.buffers}`);
    }
  });
});
