import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql } from 'graphql';
import { createChainHeadSource } from './chainHead';
import type { ApiContext } from './context';
import { createApiDb, type ApiDb } from './db';
import { silentLogger } from './log';
import { encodeCursor } from './pagination';
import { schema } from './schema';
import { setupApiFixture, type ApiFixture } from './test-fixtures';
import { ADDR } from './test-values';

let fx: ApiFixture;
let db: ApiDb;
before(async () => {
  fx = await setupApiFixture();
  db = createApiDb({ url: fx.dbUrl });
});
after(async () => {
  await db?.close();
  await fx?.close();
});

/** Runs a query that must fail with one BAD_USER_INPUT error naming `argument`. */
async function assertBadInput(query: string, argument: string, variables?: Record<string, unknown>) {
  const res = await fx.gql(query, variables);
  assert.equal(res.errors?.length, 1, `${query}: ${JSON.stringify(res)}`);
  const [err] = res.errors!;
  assert.equal(err.extensions?.code, 'BAD_USER_INPUT', query);
  assert.match(err.message, new RegExp(`"${argument.replace('.', '\\.')}"`), query);
}

/** A context over the test's database handle, and the statements it ran since. */
function countingContext(): { ctx: ApiContext; count: () => number } {
  const start = db.queryCount();
  const ctx = { db, chainHead: createChainHeadSource({ log: silentLogger }), finalityConfirmations: 0 };
  return { ctx, count: () => db.queryCount() - start };
}

describe('bad input', () => {
  test('first above 1000 or below 0 is BAD_USER_INPUT naming "first"', async () => {
    await assertBadInput('{ contributions(first: 5000) { edges { cursor } } }', 'first');
    await assertBadInput('{ datanets(first: -1) { edges { cursor } } }', 'first');
    await assertBadInput(
      `{ contributor(address: "${ADDR.contributors[0]}") { contributions(first: 1001) { totalCount } } }`,
      'first',
    );
    const ok = await fx.gql('{ contributions(first: 1000) { edges { cursor } } }');
    assert.equal(ok.data.contributions.edges.length, 120);
  });

  test('a malformed cursor, or a cursor of another list, is BAD_USER_INPUT naming "after"', async () => {
    await assertBadInput('{ contributions(after: "not a cursor!") { totalCount } }', 'after');
    await assertBadInput('{ contributions(after: "bm9wZQ") { totalCount } }', 'after');
    await assertBadInput(
      `{ contributions(after: "${encodeCursor('contribution:id', ['1 OR 1=1'])}") { totalCount } }`,
      'after',
    );
    const other = await fx.gql('{ datanets(first: 1) { pageInfo { endCursor } } }');
    await assertBadInput('query($a: String) { contributions(after: $a) { totalCount } }', 'after', {
      a: other.data.datanets.pageInfo.endCursor,
    });
  });

  test('an invalid address is BAD_USER_INPUT naming the argument', async () => {
    await assertBadInput('{ contributor(address: "0x123") { address } }', 'address');
    await assertBadInput(`{ bridgeAccount(address: "0x${'g'.repeat(40)}") { address } }`, 'address');
    await assertBadInput('{ contributions(where: { contributor: "alice" }) { totalCount } }', 'where.contributor');
    await assertBadInput('{ datanets(where: { owner: "0x" }) { totalCount } }', 'where.owner');
    await assertBadInput('{ bridgeTransfers(where: { account: "0xabc" }) { totalCount } }', 'where.account');
  });

  test('ids must be decimal and inference ids / withdrawal hashes 0x + 64 hex', async () => {
    await assertBadInput('{ datanet(id: "0x01") { id } }', 'id');
    await assertBadInput('{ contribution(id: "-4") { id } }', 'id');
    await assertBadInput('{ epoch(number: "1e3") { id } }', 'number');
    await assertBadInput('{ contributions(where: { datanetId: "one" }) { totalCount } }', 'where.datanetId');
    await assertBadInput('{ inference(id: "0x1234") { id } }', 'id');
    await assertBadInput(
      '{ bridgeTransfers(where: { withdrawalHash: "0xzz" }) { totalCount } }',
      'where.withdrawalHash',
    );
  });
});

describe('resilience', () => {
  test('a database failure is masked: no SQL detail reaches the client', async () => {
    await fx.ds.query('ALTER TABLE epoch RENAME TO epoch_hidden');
    try {
      const res = await fx.gql('{ epochs { totalCount } }');
      assert.equal(res.errors?.[0].message, 'Unexpected error.');
      assert.equal(res.errors?.[0].extensions?.code, 'INTERNAL_SERVER_ERROR');
      assert.doesNotMatch(JSON.stringify(res), /epoch_hidden|relation|does not exist/);
    } finally {
      await fx.ds.query('ALTER TABLE epoch_hidden RENAME TO epoch');
    }
  });

  test('the API database handle runs read-only transactions', async () => {
    await assert.rejects(db.query("UPDATE datanet SET name = 'x' WHERE id = '1'"), /read-only transaction/);
  });

  test('_meta falls back to squid_processor.status, and reports no chain head without an RPC URL', async () => {
    const { ctx } = countingContext();
    await fx.ds.transaction(async (em) => {
      await em.query("DELETE FROM indexer_status WHERE id = 'head'");
      await em.query('CREATE SCHEMA squid_processor');
      await em.query('CREATE TABLE squid_processor.status (id int4 primary key, height int4 not null, hash text)');
      await em.query("INSERT INTO squid_processor.status (id, height, hash) VALUES (0, 450, '0xfeed')");
    });
    const source =
      '{ _meta { indexedHeight indexedHash indexedTimestamp chainHead finalizedHeight lagBlocks lagSeconds eventCount } }';
    const res = await graphql({ schema, contextValue: ctx, source });
    try {
      assert.deepEqual(JSON.parse(JSON.stringify(res.data)), {
        _meta: {
          indexedHeight: 450,
          indexedHash: '0xfeed',
          indexedTimestamp: null,
          chainHead: null,
          finalizedHeight: null,
          lagBlocks: null,
          lagSeconds: null,
          eventCount: null,
        },
      });
    } finally {
      await fx.ds.query('DROP SCHEMA squid_processor CASCADE');
      await fx.ds.query(
        'INSERT INTO indexer_status (id, height, hash, timestamp, event_count) VALUES ($1, $2, $3, $4, $5)',
        [
          'head',
          fx.seed.indexerStatus.height,
          fx.seed.indexerStatus.hash,
          fx.seed.indexerStatus.timestamp,
          fx.seed.indexerStatus.eventCount.toString(),
        ],
      );
    }
  });
});

describe('DataLoaders', () => {
  test('a page of 50 contributions with datanet, contributor and duplicateOf costs 4 statements', async () => {
    const { ctx, count } = countingContext();
    const res = await graphql({
      schema,
      contextValue: ctx,
      source: '{ contributions { edges { node { id datanet { name } contributor { address } duplicateOf { id } } } } }',
    });
    assert.equal(res.errors, undefined);
    const edges = (res.data as any).contributions.edges;
    assert.equal(edges.length, 50);
    assert.ok(edges.every((e: any) => e.node.datanet.name && e.node.contributor.address));
    assert.equal(count(), 4); // page, datanets, accounts, duplicated contributions
  });

  test('an inference with attributions, their contributions and Datanets costs one statement per level', async () => {
    const { ctx, count } = countingContext();
    const res = await graphql({
      schema,
      contextValue: ctx,
      source: `{ inference(id: "${fx.seed.inference.id}") { model { name datanets { id } } attributions { edges { node { contribution { id datanet { id } } } } } } }`,
    });
    assert.equal(res.errors, undefined);
    assert.equal((res.data as any).inference.attributions.edges.length, 4);
    assert.equal(count(), 6); // inference, model, model datanets, attributions, contributions, datanets
  });
});
