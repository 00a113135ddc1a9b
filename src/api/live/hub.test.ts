/**
 * Live subscriptions over SSE against real Postgres: NOTIFY payloads as the processor sends them,
 * rows changed in the same transaction, an API server whose every statement is counted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EntityManager } from 'typeorm';
import { Inference } from '../../model';
import { BATCH_CHANNEL, encodeBatchNotification } from '../../store/notify';
import { subscribeSse, type SseSubscription } from '../../test/sse';
import type { EventStream } from './eventStream';
import { createLiveHub } from './hub';
import { createApiDb } from '../db';
import { createApiServer, type ApiServer } from '../server';
import { setupApiFixture, type ApiFixture } from '../test-fixtures';
import { ADDR, hash } from '../test-values';

let fx: ApiFixture;
let api: ApiServer;
let statements: string[] = [];

before(async () => {
  fx = await setupApiFixture();
  api = await createApiServer({ dbUrl: fx.dbUrl, port: 0, host: '127.0.0.1', onQuery: (q) => statements.push(q) });
  await api.live.listening();
});
after(async () => {
  await api?.close();
  await fx?.close();
});

/** Commits `change` and the processor's NOTIFY for `from..to` in one transaction. */
async function commit(from: number, to: number, change?: (em: EntityManager) => Promise<unknown>, tag = to) {
  await fx.ds.transaction(async (em) => {
    await change?.(em);
    await em.query('SELECT pg_notify($1, $2)', [
      BATCH_CHANNEL,
      encodeBatchNotification({ from, to, hash: hash(tag), at: Date.now() }),
    ]);
  });
}

/** Opens subscriptions and waits until the hub has registered them all. */
async function open<T = any>(query: string, variables: Record<string, unknown>[]): Promise<SseSubscription<T>[]> {
  const subs = variables.map((v) => subscribeSse<T>(api.url, query, v));
  await Promise.all(subs.map((s) => s.opened));
  return subs;
}

/** Waits until the hub has dispatched `n` ranges in total. */
async function dispatched(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (api.live.stats().dispatches < n) {
    if (Date.now() > deadline) throw new Error(`hub dispatched ${api.live.stats().dispatches} ranges, not ${n}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The next event of a hub stream, or a failure after 10 s. */
async function nextOf<T>(stream: EventStream<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('no event in 10 s')), 10_000)),
  );
  try {
    const r = await Promise.race([stream.next(), timeout]);
    assert.equal(r.done, false);
    return r.value;
  } finally {
    clearTimeout(timer);
  }
}

const HEAD = `subscription { indexerHead { height hash fromBlock previousHeight reorg committedAt } }`;
const CONTRIBUTOR = `subscription ($a: String!) { contributorUpdates(address: $a) {
  address fromBlock toBlock reorg earnedAsContributor earnedTotal claimable pending reputationScore
  contributor { address lastActivityBlock } } }`;
const MODEL = `subscription ($m: ID!) { modelInferences(modelId: $m) {
  modelId fromBlock toBlock inference { id fee blockNumber model { inferenceCount } } } }`;

describe('live subscriptions', () => {
  it('sends every committed head, one that goes backwards too (flagged reorg)', async () => {
    const [sub] = await open(HEAD, [{}]);
    try {
      await commit(401, 405);
      await commit(403, 404);
      const first = (await sub.next()).data!.indexerHead;
      const second = (await sub.next()).data!.indexerHead;
      assert.deepEqual(
        { ...first, committedAt: undefined },
        {
          height: 405,
          hash: hash(405),
          fromBlock: 401,
          previousHeight: first.previousHeight,
          reorg: false,
          committedAt: undefined,
        },
      );
      assert.ok(Date.now() - Date.parse(first.committedAt) < 10_000);
      assert.deepEqual(
        { ...second, committedAt: undefined },
        { height: 404, hash: hash(404), fromBlock: 403, previousHeight: 405, reorg: true, committedAt: undefined },
      );
    } finally {
      sub.close();
    }
  });

  it('fans one statement per topic out to many subscribers, sending each only its own changes', async () => {
    const [c1, c2] = ADDR.contributors;
    // 40 subscribers of c1, 10 of every other contributor, 20 of model 7, 10 of model 8.
    const contributorSubs = await open(CONTRIBUTOR, [
      ...Array.from({ length: 40 }, () => ({ a: c1.toUpperCase().replace('0X', '0x') })),
      ...ADDR.contributors.slice(1).flatMap((a) => Array.from({ length: 10 }, () => ({ a }))),
    ]);
    const modelSubs = await open(MODEL, [
      ...Array.from({ length: 20 }, () => ({ m: '7' })),
      ...Array.from({ length: 10 }, () => ({ m: '8' })),
    ]);
    try {
      const before = api.live.stats();
      assert.equal(before.subscribers.contributors, 80);
      assert.equal(before.subscribers.models, 30);
      statements = [];
      // One commit changes c1's account (a contributor payment) and settles an inference of model 7.
      const newInference = new Inference({ ...fx.seed.inference, id: hash('e1'), blockNumber: 410, logIndex: 0 });
      await commit(410, 410, async (em) => {
        await em.query(
          `UPDATE account SET earned_as_contributor = earned_as_contributor + 1000, earned_total = earned_total + 1000,
                  last_activity_block = 410, reputation_score = 777 WHERE id = $1`,
          [c1],
        );
        await em.insert(Inference, newInference);
        await em.query('UPDATE model SET inference_count = inference_count + 1 WHERE id = $1', ['7']);
      });
      await dispatched(before.dispatches + 1);
      const events = await Promise.all(contributorSubs.slice(0, 40).map((s) => s.next()));
      const models = await Promise.all(modelSubs.slice(0, 20).map((s) => s.next()));
      const [row] = await fx.ds.query(
        'SELECT earned_as_contributor::text e, earned_total::text t FROM account WHERE id = $1',
        [c1],
      );
      // claimable / pending as the contributor query computes them (its own loader).
      const { data: page } = await fx.gql(`{ contributor(address: "${c1}") { claimable pending } }`);
      assert.ok(BigInt(page.contributor.claimable) + BigInt(page.contributor.pending) > 0n, 'the seed accrued c1');
      for (const { data } of events) {
        assert.deepEqual(data!.contributorUpdates, {
          address: c1,
          fromBlock: 410,
          toBlock: 410,
          reorg: false,
          earnedAsContributor: row.e,
          earnedTotal: row.t,
          claimable: page.contributor.claimable,
          pending: page.contributor.pending,
          reputationScore: 777,
          contributor: { address: c1, lastActivityBlock: 410 },
        });
      }
      const [inferenceCount] = await fx.ds.query(
        `SELECT inference_count AS "inferenceCount" FROM model WHERE id = '7'`,
      );
      for (const { data } of models) {
        assert.deepEqual(data!.modelInferences, {
          modelId: '7',
          fromBlock: 410,
          toBlock: 410,
          inference: { id: hash('e1'), fee: String(fx.seed.inference.fee), blockNumber: 410, model: inferenceCount },
        });
      }
      // Subscribers whose key did not change got nothing.
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        [...contributorSubs.slice(40), ...modelSubs.slice(20)].map((s) => s.received.length),
        Array(50).fill(0),
      );
      // 110 subscribers, one notification: one statement for the contributors topic and one for the
      // models topic; the nested model { inferenceCount } of 20 subscribers was read by them (one
      // loader call each, on a fresh per-event context).
      const topicStatements = statements.filter((s) => !s.includes('FROM model WHERE id = ANY'));
      assert.equal(topicStatements.length, 2, topicStatements.join('\n---\n'));
      assert.deepEqual(api.live.stats().queries, {
        contributors: before.queries.contributors + 1,
        models: before.queries.models + 1,
      });
      assert.ok(statements.length - topicStatements.length <= 20);
      // c2 reads c2's state after a reorg (every subscribed account is sent, changed or not).
      await commit(405, 409);
      const afterReorg = await contributorSubs[40].next();
      assert.equal(afterReorg.data!.contributorUpdates.address, c2);
      assert.equal(afterReorg.data!.contributorUpdates.reorg, true);
    } finally {
      for (const s of [...contributorSubs, ...modelSubs]) s.close();
    }
  });

  it('reads nested fields afresh for every event (DataLoaders per event, not per subscription)', async () => {
    const [sub] = await open(MODEL, [{ m: '7' }]);
    try {
      const counts: number[] = [];
      for (const [i, block] of [420, 421].entries()) {
        await commit(block, block, async (em) => {
          await em.insert(Inference, new Inference({ ...fx.seed.inference, id: hash(`f${i}`), blockNumber: block }));
          await em.query(`UPDATE model SET inference_count = inference_count + 1 WHERE id = '7'`);
        });
        counts.push((await sub.next()).data!.modelInferences.inference.model.inferenceCount);
      }
      assert.equal(counts[1], counts[0] + 1);
    } finally {
      sub.close();
    }
  });

  it('rejects an invalid address or modelId with BAD_USER_INPUT naming the argument', async () => {
    const [bad, badModel] = [
      subscribeSse(api.url, CONTRIBUTOR, { a: '0x1234' }),
      subscribeSse(api.url, MODEL, { m: 'seven' }),
    ];
    for (const [sub, argument] of [
      [bad, 'address'],
      [badModel, 'modelId'],
    ] as const) {
      const { errors } = await sub.next();
      assert.equal(errors?.length, 1);
      assert.equal(errors![0].extensions?.code, 'BAD_USER_INPUT');
      assert.match(errors![0].message, new RegExp(`"${argument}"`));
      sub.close();
    }
  });

  it('reconnects a dropped LISTEN connection and sends what was committed meanwhile', async () => {
    await fx.ds.query('CREATE SCHEMA IF NOT EXISTS squid_processor');
    await fx.ds.query('CREATE TABLE squid_processor.status (id int4 primary key, height int4 not null, hash text)');
    await fx.ds.query('CREATE TABLE squid_processor.hot_block (height int4 primary key, hash text not null)');
    await fx.ds.query(`INSERT INTO squid_processor.status VALUES (0, 430, $1)`, [hash(430)]);
    // A hub of its own that waits 1 s before reconnecting: the commit below happens while it is down.
    const db = createApiDb({ url: fx.dbUrl });
    const hub = createLiveHub({ dbUrl: fx.dbUrl, db, minReconnectDelayMs: 1000 });
    const heads = hub.head();
    try {
      await hub.listening();
      await commit(431, 431, (em) => em.query('INSERT INTO squid_processor.hot_block VALUES (431, $1)', [hash(431)]));
      assert.equal((await nextOf(heads)).height, 431);
      const killed = await fx.ds.query(
        `SELECT pg_terminate_backend(pid, 5000) AS ok FROM pg_stat_activity
          WHERE application_name = 'openledger-api-listen' AND datname = current_database()`,
      );
      assert.ok(killed.length >= 1 && killed.every((k: { ok: boolean }) => k.ok));
      const notifiedBefore = hub.stats().notifications;
      await commit(432, 433, (em) =>
        em.query('INSERT INTO squid_processor.hot_block VALUES (432, $1), (433, $2)', [hash(432), hash(433)]),
      );
      const gap = await nextOf(heads);
      assert.deepEqual(
        { height: gap.height, hash: gap.hash, fromBlock: gap.fromBlock, previousHeight: gap.previousHeight },
        { height: 433, hash: hash(433), fromBlock: 432, previousHeight: 431 },
      );
      assert.equal(hub.stats().connections, 2);
      assert.equal(hub.stats().notifications, notifiedBefore + 1);
      // And it listens again.
      await commit(434, 434);
      assert.equal((await nextOf(heads)).height, 434);
    } finally {
      await hub.close();
      await db.close();
      await fx.ds.query('DROP SCHEMA squid_processor CASCADE');
    }
  });
});
