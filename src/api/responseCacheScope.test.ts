// Contributor pages across commits, against the real API server and Postgres: a commit that extends
// the head keeps the pages of the accounts it did not change (byte for byte, served from memory) and
// drops the others, and the pages of the accounts with accruals in an epoch it closed; a replaced
// range (a reorg) and every other answer are cleared as before.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { documentedQueries } from '../test/documentedQueries';
import { notifyCommitted } from '../store/notify';
import { createApiServer, type ApiServer } from './server';
import { setupApiFixture, type ApiFixture } from './test-fixtures';

let fx: ApiFixture;
let api: ApiServer;
/** The head this test's "processor" committed last (squid_processor.status, as processed_head() reads it). */
let head: number;
const hashOf = (height: number) => `0x${height.toString(16).padStart(64, '0')}`;

before(async () => {
  fx = await setupApiFixture();
  head = fx.seed.indexerStatus.height;
  await fx.ds.query(`CREATE SCHEMA IF NOT EXISTS squid_processor`);
  await fx.ds.query(`CREATE TABLE IF NOT EXISTS squid_processor.status (id int PRIMARY KEY, height int, hash text)`);
  await fx.ds.query(`INSERT INTO squid_processor.status VALUES (0, $1, $2)`, [head, hashOf(head)]);
  // Its own server, so that its LISTEN connection reads the head above when it comes up.
  api = await createApiServer({ dbUrl: fx.apiDbUrl, port: 0, host: '127.0.0.1' });
  await api.live.listening();
});
after(async () => {
  await api?.close();
  await fx?.close();
});

/**
 * Commits the next block as the processor does: its changes, the new head and the notification in
 * one transaction; resolves once the server heard it. `from` below the new head announces a
 * replaced range (a reorg).
 */
async function commit(change: (em: EntityManager, block: number) => Promise<unknown>, from = head + 1) {
  const block = head + 1;
  const heard = new Promise<void>((resolve) => {
    const stop = api.live.onAnnounce((h) => {
      if (h?.height !== block) return;
      stop();
      resolve();
    });
  });
  await fx.ds.transaction(async (em) => {
    await change(em, block);
    await em.query(`UPDATE squid_processor.status SET height = $1, hash = $2 WHERE id = 0`, [block, hashOf(block)]);
    await notifyCommitted(em, { from, to: block, hash: hashOf(block) });
  });
  head = block;
  await heard;
}
const nothing = async () => {};

const PAGE = documentedQueries().get('Contributor page')!;

/** POSTs a query; the raw body. */
async function post(query: string, variables?: Record<string, unknown>): Promise<string> {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  assert.equal(res.status, 200);
  return res.text();
}
const page = (address: string) => post(PAGE, { address });

/** What each of `addresses` costs now: 'hit' (from memory) or 'miss', and its body. */
async function pages(addresses: string[]): Promise<{ how: ('hit' | 'miss')[]; bodies: string[] }> {
  const how: ('hit' | 'miss')[] = [];
  const bodies: string[] = [];
  for (const address of addresses) {
    const hits = api.cache.stats().hits;
    bodies.push(await page(address));
    how.push(api.cache.stats().hits > hits ? 'hit' : 'miss');
  }
  return { how, bodies };
}

/** Waits for the check of held pages to finish (nothing held back any more). */
async function settled(): Promise<void> {
  for (let i = 0; i < 500 && api.cache.stats().suspects > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(api.cache.stats().suspects, 0);
}

describe('contributor pages across commits', () => {
  let accounts: string[];
  let inEpoch2: string;
  let notInEpoch2: string;
  before(async () => {
    accounts = (await fx.ds.query(`SELECT id FROM account ORDER BY id LIMIT 3`)).map((r: { id: string }) => r.id);
    [{ id: inEpoch2 }] = await fx.ds.query(
      `SELECT account AS id FROM account_epoch WHERE epoch = 2 AND total > 0 ORDER BY account LIMIT 1`,
    );
    [{ id: notInEpoch2 }] = await fx.ds.query(
      `SELECT id FROM account a WHERE NOT EXISTS (SELECT 1 FROM account_epoch ae WHERE ae.account = a.id AND ae.epoch = 2)
        ORDER BY id LIMIT 1`,
    );
  });

  test("a commit keeps the pages of the accounts it did not change, and drops the changed one's", async () => {
    const [changed, ...untouched] = accounts;
    const cold = await pages(accounts);
    assert.deepEqual((await pages(accounts)).how, ['hit', 'hit', 'hit'], 'cached before the commit');
    const board = '{ contributorLeaderboard(by: EARNINGS, first: 3) { edges { node { address } } } }';
    await post(board);
    const kept = api.cache.stats().kept;
    await commit((em, block) =>
      em.query(`UPDATE account SET earned_total = earned_total + 7, last_activity_block = $2 WHERE id = $1`, [
        changed,
        block,
      ]),
    );
    await settled();
    assert.equal(api.cache.stats().kept - kept, 2, 'the two untouched pages were kept');
    const warm = await pages(accounts);
    assert.deepEqual(warm.how, ['miss', 'hit', 'hit']);
    assert.deepEqual(warm.bodies.slice(1), cold.bodies.slice(1), 'kept pages are byte for byte the same');
    const earned = (body: string) => BigInt(JSON.parse(body).data.contributor.earnedTotal);
    assert.equal(earned(warm.bodies[0]) - earned(cold.bodies[0]), 7n, 'the changed page shows the change');
    assert.equal(untouched.length, 2);
    // Anything but a contributor page is cleared by every commit.
    const hits = api.cache.stats().hits;
    await post(board);
    assert.equal(api.cache.stats().hits, hits, 'the leaderboard was not kept');
  });

  test('a commit that closes an epoch drops the pages of the accounts with accruals in it', async () => {
    const both = [inEpoch2, notInEpoch2];
    const cold = await pages(both);
    assert.deepEqual((await pages(both)).how, ['hit', 'hit']);
    const epochClosed = (body: string) =>
      JSON.parse(body).data.contributor.payouts.edges.find((e: any) => e.node.epoch === '2')?.node.epochClosed;
    assert.equal(epochClosed(cold.bodies[0]), false);
    try {
      await commit((em, block) =>
        em.query(`UPDATE epoch SET closed = true, closed_at_block = $1 WHERE epoch = 2`, [block]),
      );
      await settled();
      const warm = await pages(both);
      assert.deepEqual(warm.how, ['miss', 'hit']);
      assert.equal(epochClosed(warm.bodies[0]), true);
      assert.equal(warm.bodies[1], cold.bodies[1]);
    } finally {
      await commit((em) => em.query(`UPDATE epoch SET closed = false, closed_at_block = NULL WHERE epoch = 2`), head);
    }
  });

  test('the page of an address the indexer has never seen is kept until a commit creates its account', async () => {
    const fresh = '0x00000000000000000000000000000000000000aa';
    const none = await page(fresh);
    assert.equal(JSON.parse(none).data.contributor, null);
    await commit(nothing);
    await settled();
    assert.deepEqual((await pages([fresh])).how, ['hit']);
    try {
      // A copy of another account's row under the new address, first seen in this block.
      await commit((em, block) =>
        em.query(
          `INSERT INTO account SELECT (jsonb_populate_record(a,
             jsonb_build_object('id', $1::text, 'first_seen_block', $3::int, 'last_activity_block', $3::int))).*
             FROM account a WHERE id = $2`,
          [fresh, accounts[0], block],
        ),
      );
      await settled();
      const after = await pages([fresh]);
      assert.deepEqual(after.how, ['miss']);
      assert.equal(JSON.parse(after.bodies[0]).data.contributor.address, fresh);
    } finally {
      await commit((em) => em.query(`DELETE FROM account WHERE id = $1`, [fresh]), head);
    }
  });

  test('a request for a held-back page waits for the check, then is served from memory', async () => {
    const [address] = accounts;
    const cold = await page(address);
    assert.deepEqual((await pages([address])).how, ['hit']);
    // The owner locks the account table: the check (and any execution of the page) must wait.
    const owner = new Client({ connectionString: fx.dbUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query('LOCK TABLE account IN ACCESS EXCLUSIVE MODE');
      await commit(nothing);
      assert.equal(api.cache.stats().suspects, 1, 'held back while the check waits');
      const hits = api.cache.stats().hits;
      let answered = false;
      const answer = page(address).then((body) => ((answered = true), body));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(answered, false, 'answered before the check could run');
      await owner.query('COMMIT');
      assert.equal(await answer, cold);
      assert.equal(api.cache.stats().hits - hits, 1, 'served from memory once the check kept it');
    } finally {
      await owner.end();
    }
  });

  test('commits outpacing the check: after 3 overtaken rounds the held pages are dropped', async () => {
    const [address] = accounts;
    await page(address);
    assert.deepEqual((await pages([address])).how, ['hit']);
    // Each round's statement is held by a lock on the account table, and a commit lands meanwhile.
    // The next lock is queued behind the round's statement, so it holds the next round too.
    const lockers = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const c = new Client({ connectionString: fx.dbUrl });
        await c.connect();
        return c;
      }),
    );
    try {
      await lockers[0].query('BEGIN');
      await lockers[0].query('LOCK TABLE account IN ACCESS EXCLUSIVE MODE');
      await commit(nothing); // round 1 starts, and waits
      await fx.waitForLockWaiters(1);
      const kept = api.cache.stats().kept;
      for (let round = 1; round <= 3; round++) {
        await commit(nothing); // overtakes this round
        const nextLock = round < 3 ? lockers[round] : null;
        let locked: Promise<unknown> | null = null;
        if (nextLock) {
          await nextLock.query('BEGIN');
          locked = nextLock.query('LOCK TABLE account IN ACCESS EXCLUSIVE MODE');
          await fx.waitForLockWaiters(2);
        }
        await lockers[round - 1].query('COMMIT');
        await locked;
        if (nextLock) await fx.waitForLockWaiters(1); // the next round waits behind it
      }
      await settled();
      assert.equal(api.cache.stats().kept, kept, 'nothing was kept');
      assert.deepEqual((await pages([address])).how, ['miss'], 'the page was dropped');
    } finally {
      for (const c of lockers) await c.end();
    }
  });

  test('a replaced range (a reorg, a replay) clears every page', async () => {
    await pages(accounts);
    assert.deepEqual((await pages(accounts)).how, ['hit', 'hit', 'hit']);
    await commit(nothing, head); // from = the old head: blocks at or below it were rewritten
    assert.equal(api.cache.stats().entries, 0);
    assert.deepEqual((await pages(accounts)).how, ['miss', 'miss', 'miss']);
  });
});
