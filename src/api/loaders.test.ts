// Every relation and nested list is loaded through per-request DataLoaders: the statements a query
// runs depend on its shape, not on how many rows its pages hold.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql } from 'graphql';
import { createChainHeadSource } from './chainHead';
import type { ApiContext } from './context';
import { createApiDb, type ApiDb } from './db';
import { silentLogger } from './log';
import { schema } from './schema';
import { setupApiFixture, type ApiFixture } from './test-fixtures';
import { ADDR } from './test-values';

/** Contributors and contributions added to the seed, so a page holds many distinct parents. */
const EXTRA = 300;

let fx: ApiFixture;
let db: ApiDb;
before(async () => {
  fx = await setupApiFixture();
  db = createApiDb({ url: fx.apiDbUrl });
  // EXTRA accounts, each with a contribution (ids 1001..), a reputation change and an epoch-1 row,
  // copied from the seed's first contributor and contribution with new keys.
  const acct = (g: string) => `'0xee' || lpad(to_hex(${g}), 38, '0')`;
  await fx.ds.query(
    `INSERT INTO account SELECT (jsonb_populate_record(NULL::account,
        to_jsonb(a) || jsonb_build_object('id', ${acct('g')}))).*
       FROM account a, generate_series(1, ${EXTRA}) g WHERE a.id = $1`,
    [ADDR.contributors[0]],
  );
  await fx.ds.query(
    `INSERT INTO contribution SELECT (jsonb_populate_record(NULL::contribution,
        to_jsonb(c) || jsonb_build_object('id', (1000 + g)::text, 'contribution_id', 1000 + g,
          'contributor_id', ${acct('g')}, 'datanet_id', (1 + g % 3)::text, 'data_hash', md5(g::text),
          'duplicate_of_id', CASE WHEN g % 4 = 0 THEN (1000 + g - 1)::text END))).*
       FROM contribution c, generate_series(1, ${EXTRA}) g WHERE c.id = '1'`,
  );
  await fx.ds.query(
    `INSERT INTO reputation_change SELECT (jsonb_populate_record(NULL::reputation_change,
        to_jsonb(r) || jsonb_build_object('id', ${acct('g')} || '-' || r.block_number, 'account', ${acct('g')}))).*
       FROM reputation_change r, generate_series(1, ${EXTRA}) g WHERE r.account = $1`,
    [ADDR.contributors[0]],
  );
  await fx.ds.query(
    `INSERT INTO account_epoch SELECT (jsonb_populate_record(NULL::account_epoch,
        to_jsonb(ae) || jsonb_build_object('id', ae.epoch || '-' || ${acct('g')}, 'account', ${acct('g')}))).*
       FROM account_epoch ae, generate_series(1, ${EXTRA}) g WHERE ae.account = $1`,
    [ADDR.contributors[0]],
  );
});
after(async () => {
  await db?.close();
  await fx?.close();
});

/** Runs `source` on a fresh request context; returns the data and the statements it ran. */
async function run(source: string, variables?: Record<string, unknown>): Promise<{ data: any; statements: number }> {
  const ctx: ApiContext = { db, chainHead: createChainHeadSource({ log: silentLogger }), finalityConfirmations: 0 };
  const before = db.queryCount();
  const res = await graphql({ schema, source, contextValue: ctx, variableValues: variables });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return { data: res.data, statements: db.queryCount() - before };
}

const CONTRIBUTIONS_NESTED = `query($n: Int) {
  contributions(first: $n) { edges { node {
    id attributionCount earned
    datanet { name epochs(first: 2) { totalCount edges { node { epoch ownerEarned } } } }
    duplicateOf { id contributor { address } }
    contributor {
      address claimable pending
      reputation { score history(first: 3) { totalCount edges { node { blockNumber score } } } }
      reputationAt(block: 200) { score }
      payouts(first: 3) { totalCount edges { node { epoch total claimable } } }
      contributions(first: 10) { totalCount edges { node { id datanet { name } contributor { address } } } }
    }
  } } }
}`;

const EPOCHS_NESTED = `query($n: Int) {
  protocol { currentFeeSplit { protocolBps } }
  epochs(first: $n) { edges { node {
    epoch
    accounts(first: 5) { totalCount edges { node { account total } } }
    datanets { edges { node { datanet { name epochs(first: 2) { totalCount } } } } }
    models { edges { node { model { name datanets { id } adapters { totalCount edges { node { version } } } epochs { totalCount } } } } }
  } } }
}`;

describe('DataLoaders: statements per query do not grow with the page size', () => {
  // contributions page; per row: attribution stats, Datanets, contributors, duplicated contributions;
  // per contributor: payout totals, reputationAt, and the pages and counts of its history, payouts and
  // contributions; per Datanet: its epochs page and count. The nested rows' Datanets and contributors
  // are already loaded.
  test('contributions(first: N) with relations, aggregates and five nested lists under each row: 15 statements for N = 12 and N = 400', async () => {
    const small = await run(CONTRIBUTIONS_NESTED, { n: 12 });
    const large = await run(CONTRIBUTIONS_NESTED, { n: 400 });
    const rows = large.data.contributions.edges;
    assert.equal(small.data.contributions.edges.length, 12);
    assert.equal(rows.length, 400);
    const parents = new Set(rows.map((e: any) => e.node.contributor.address)).size;
    assert.equal(parents, 5 + 280, 'distinct contributors on the large page');
    assert.equal(
      small.statements,
      large.statements,
      `first: 12 ran ${small.statements} statements, first: 400 (${parents} distinct contributors) ran ${large.statements}`,
    );
    assert.equal(large.statements, 15, `statements for first: 400: ${large.statements}`);
    // The batched pages hold each parent's own rows.
    const extra = rows.find((e: any) => e.node.id === '1100').node;
    assert.deepEqual(
      extra.contributor.contributions.edges.map((e: any) => e.node.id),
      ['1100'],
    );
    assert.equal(extra.contributor.contributions.totalCount, 1);
    assert.equal(extra.duplicateOf.id, '1099');
    const c0Epochs = fx.seed.accountEpochs.filter((r) => r.account === ADDR.contributors[0]).length;
    assert.equal(extra.contributor.payouts.totalCount, c0Epochs);
    assert.equal(extra.contributor.payouts.edges.length, c0Epochs);
    const seeded = rows.find((e: any) => e.node.id === '1').node;
    assert.equal(seeded.contributor.contributions.totalCount, 24);
    assert.deepEqual(
      seeded.contributor.contributions.edges.map((e: any) => e.node.id),
      ['1', '6', '11', '16', '21', '26', '31', '36', '41', '46'],
    );
  });

  // protocol, its fee split, the epochs page; per epoch: payout table page and count, Datanet and model
  // totals pages; per row of those: Datanets, models, a model's Datanets; the pages and counts of the
  // Datanets' epochs, the models' adapters and epochs.
  test('epochs with their payout tables, Datanet and model totals and the lists below those: 16 statements for N = 1 and N = 3', async () => {
    const one = await run(EPOCHS_NESTED, { n: 1 });
    const all = await run(EPOCHS_NESTED, { n: 3 });
    assert.equal(one.data.epochs.edges.length, 1);
    assert.equal(all.data.epochs.edges.length, 3);
    assert.equal(one.statements, all.statements, `first: 1 ran ${one.statements}, first: 3 ran ${all.statements}`);
    assert.equal(all.statements, 16, `statements for first: 3: ${all.statements}`);
    const closed = all.data.epochs.edges[0].node;
    assert.equal(closed.accounts.totalCount, fx.seed.accountEpochs.filter((r) => r.epoch === 1n).length + 300);
    assert.equal(closed.accounts.edges.length, 5);
  });

  // The documented contributor page (docs/queries.md): the account row comes with its payout totals
  // and its first payouts page in one statement; the reputation is read from the account row.
  test('the contributor page runs 1 statement: the account with its payout totals and its payouts page', async () => {
    const page = await run(
      `query($a: String!) { contributor(address: $a) { address earnedTotal claimed claimable pending
        reputation { score } payouts(first: 10) { edges { node { epoch total claimable } } } } }`,
      { a: ADDR.contributors[0] },
    );
    assert.equal(page.data.contributor.address, ADDR.contributors[0]);
    assert.ok(page.data.contributor.payouts.edges.length > 0);
    assert.equal(page.statements, 1);
    const withoutTotals = await run(
      `query($a: String!) { contributor(address: $a) { address reputation { score } } }`,
      {
        a: ADDR.contributors[0],
      },
    );
    assert.equal(withoutTotals.statements, 1);
    const unknown = await run(`query($a: String!) { contributor(address: $a) { claimed payouts { totalCount } } }`, {
      a: ADDR.zero,
    });
    assert.equal(unknown.data.contributor, null);
    assert.equal(unknown.statements, 1);
  });

  // The folded lookup must answer exactly what the payouts field answers on its own (as it does when
  // the selection sits in a fragment, which the lookup does not fold).
  test('folded or not, the payouts page and totals are the same, page after page, and totalCount still counts', async () => {
    const fields = `claimed claimable pending payouts(first: $n, after: $after) {
      totalCount edges { cursor node { id epoch account total claimed claimable pending epochClosed claimCount } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;
    const folded = `query($a: String!, $n: Int, $after: String) { contributor(address: $a) { ${fields} } }`;
    const apart = `query($a: String!, $n: Int, $after: String) { contributor(address: $a) { ...P } }
      fragment P on Contributor { ${fields} }`;
    let compared = 0;
    for (const who of [ADDR.contributors[0], ADDR.contributors[1], ADDR.ownerA, ADDR.payer]) {
      for (const n of [1, 2, 50]) {
        let after: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const one = await run(folded, { a: who, n, after });
          const two = await run(apart, { a: who, n, after });
          assert.deepEqual(one.data, two.data, `${who} first ${n} after ${after}`);
          assert.ok(one.statements < two.statements, `${one.statements} folded vs ${two.statements}`);
          compared++;
          const info = one.data.contributor.payouts.pageInfo;
          if (!info.hasNextPage) break;
          after = info.endCursor;
        }
      }
    }
    assert.ok(compared > 12, `${compared} pages compared`);
    // A bad argument is still the payouts field's own error, naming it.
    const bad = await graphql({
      schema,
      source: `{ contributor(address: "${ADDR.contributors[0]}") { address payouts(first: 5000) { totalCount } } }`,
      contextValue: { db, chainHead: createChainHeadSource({ log: silentLogger }), finalityConfirmations: 0 },
    });
    assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.deepEqual(bad.errors?.[0].path, ['contributor', 'payouts']);
    assert.equal((bad.data as any).contributor, null);
  });
});
