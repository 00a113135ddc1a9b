/** `/health` and `/ready` on real Postgres: the readiness rule, and both probes with the database down. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChainHead, ChainHeadSource } from './chainHead';
import { createApiDb, type ApiDb } from './db';
import { createReadinessCheck } from './health';
import { createApiServer } from './server';
import { setupApiFixture, type ApiFixture } from './test-fixtures';

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

/** A chain head the test sets (null: the RPC fails). */
function settableHead(): ChainHeadSource & { set(head: ChainHead | null): void } {
  let head: ChainHead | null = null;
  return {
    set: (h) => (head = h),
    get: async () => head,
    blockTimestamp: async () => null,
  };
}

describe('/ready', () => {
  it('is ready within maxLagBlocks of the chain head, and keeps its answer while the RPC fails', async () => {
    const chainHead = settableHead();
    const ready = createReadinessCheck({
      ctx: { db, chainHead, finalityConfirmations: 0 },
      rpcConfigured: true,
      maxLagBlocks: 2,
    });
    const indexed = fx.seed.indexerStatus.height;
    const at = (n: number) => ({ number: n, timestamp: 0 });
    const verdicts: [boolean, string, number | null][] = [];
    for (const head of [null, at(indexed + 2), at(indexed + 3), null, at(indexed), null]) {
      chainHead.set(head);
      const r = await ready();
      assert.equal(r.indexedHeight, indexed);
      verdicts.push([r.ready, r.reason, r.lagBlocks]);
    }
    assert.deepEqual(verdicts, [
      [false, 'chain head unavailable', null],
      [true, 'caught up', 2],
      [false, '3 blocks behind the chain head', 3],
      [false, 'chain head unavailable: previous answer kept', null],
      [true, 'caught up', 0],
      [true, 'chain head unavailable: previous answer kept', null],
    ]);
  });

  it('without an RPC URL, is ready once something is indexed', async () => {
    const ready = createReadinessCheck({
      ctx: { db, chainHead: settableHead(), finalityConfirmations: 0 },
      rpcConfigured: false,
    });
    const r = await ready();
    assert.deepEqual([r.ready, r.reason, r.maxLagBlocks], [true, 'no RPC URL: indexed, lag unknown', 10]);
  });

  it('answers over HTTP with the JSON verdict (the fixture is 12 blocks behind its RPC head)', async () => {
    const base = fx.api.url.replace(/\/graphql$/, '');
    const res = await fetch(`${base}/ready`);
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.deepEqual(body, {
      indexedHeight: fx.seed.indexerStatus.height,
      chainHead: fx.rpcHead.number,
      lagBlocks: 12,
      maxLagBlocks: 10,
      ready: false,
      reason: '12 blocks behind the chain head',
    });
    const health = await fetch(`${base}/health`);
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok', database: 'ok' }]);
  });
});

describe('_meta indexed head', () => {
  it('comes from the processor state (its highest hot block) even when indexer_status is behind', async () => {
    const status = fx.seed.indexerStatus;
    const query = '{ _meta { indexedHeight indexedHash indexedTimestamp lagBlocks eventCount } }';
    await fx.ds.query('CREATE SCHEMA squid_processor');
    try {
      await fx.ds.query('CREATE TABLE squid_processor.status (id int4 primary key, height int4 not null, hash text)');
      await fx.ds.query('CREATE TABLE squid_processor.hot_block (height int4 primary key, hash text not null)');
      await fx.ds.query('INSERT INTO squid_processor.status VALUES (0, $1, $2)', [status.height - 2, '0xf1']);
      // Blocks after the last indexer_status row: the head is the processor's, the timestamp unknown
      // (the fake RPC has no eth_getBlockByHash), the event count still indexer_status's.
      await fx.ds.query('INSERT INTO squid_processor.hot_block VALUES ($1, $2), ($3, $4)', [
        status.height + 2,
        '0xAB02',
        status.height + 3,
        '0xAB03',
      ]);
      assert.deepEqual((await fx.gql(query)).data._meta, {
        indexedHeight: status.height + 3,
        indexedHash: '0xab03',
        indexedTimestamp: null,
        lagBlocks: 12 - 3,
        eventCount: String(status.eventCount),
      });
      // At indexer_status's block: its timestamp.
      await fx.ds.query('DELETE FROM squid_processor.hot_block');
      await fx.ds.query('UPDATE squid_processor.status SET height = $1, hash = $2', [status.height, status.hash]);
      assert.deepEqual((await fx.gql(query)).data._meta, {
        indexedHeight: status.height,
        indexedHash: status.hash,
        indexedTimestamp: status.timestamp.toISOString(),
        lagBlocks: 12,
        eventCount: String(status.eventCount),
      });
    } finally {
      await fx.ds.query('DROP SCHEMA squid_processor CASCADE');
    }
  });
});

describe('with the database down', () => {
  it('/health and /ready answer 503 naming the database', async () => {
    // A port nobody listens on.
    const api = await createApiServer({ dbUrl: 'postgres://nobody@127.0.0.1:9/none', port: 0, host: '127.0.0.1' });
    try {
      const base = api.url.replace(/\/graphql$/, '');
      const health = await fetch(`${base}/health`);
      const body = (await health.json()) as { status: string; database: string; error: string };
      assert.equal(health.status, 503);
      assert.deepEqual([body.status, body.database], ['unavailable', 'unreachable']);
      assert.match(body.error, /ECONNREFUSED/);
      const ready = await fetch(`${base}/ready`);
      assert.equal(ready.status, 503);
      assert.match(((await ready.json()) as { reason: string }).reason, /^database unreachable/);
    } finally {
      await api.close();
    }
  });
});
