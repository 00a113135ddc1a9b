/**
 * The pipelined commits of PipelinedDatabase, on the real TypeormDatabase and real Postgres: the next
 * batch is handled while the previous one commits, commits land in order, a batch at the head is
 * committed before transact returns, held batches commit together (with the next write, or before a
 * hot-block transaction), and a failed commit fails the next batch without a partial write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TypeormDatabase, type Store } from '@subsquid/typeorm-store';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { Anomaly } from '../model';
import { PROJECT_ROOT, createDataSource } from '../store/dataSource';
import { BATCH_CHANNEL, parseBatchNotification } from '../store/notify';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { Registry } from 'prom-client';
import { parsePrometheus, valueOf } from '../test/prometheus';
import { PROCESSOR_METRIC_NAMES, createProcessorMetrics } from './metrics';
import { PipelinedDatabase } from './pipeline';

const head = (height: number) => ({ height, hash: `0x${height.toString(16).padStart(4, '0')}` });

function anomaly(id: string, block: number): Anomaly {
  return new Anomaly({
    id,
    kind: 'TEST',
    reason: 'pipeline test',
    contract: null,
    blockNumber: block,
    txHash: null,
    logIndex: null,
    timestamp: new Date(0),
  });
}

describe('pipelined commits', () => {
  let db: TestDatabase;
  let pipeline: PipelinedDatabase;
  let closeReader: () => Promise<void>;
  let reader: EntityManager;
  let listener: Client;
  const events: string[] = [];
  /** NOTIFY payloads received, without their clock (`at`). */
  const notes: { from: number; to: number; hash: string }[] = [];

  /** Waits for the notifications expected since the last call (and a little longer for unexpected ones). */
  const notified = async (expected: { from: number; to: number }[]) => {
    const deadline = Date.now() + 5000;
    while (notes.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150));
    const got = notes.splice(0);
    assert.deepEqual(
      got,
      expected.map((e) => ({ ...e, hash: head(e.to).hash })),
    );
  };

  /** One finalized batch: the "handler" records that it ran and defers a write of one anomaly row. */
  const batch = (n: number, isOnTop: boolean, rowId = `row-${n}`) =>
    pipeline.transact({ prevHead: head(n - 1), nextHead: head(n), isOnTop }, async () => {
      events.push(`handled ${n}`);
      pipeline.defer(async (store: Store) => {
        await store.insert(anomaly(rowId, n));
        events.push(`wrote ${n}`);
      });
    });

  const committed = async () =>
    (await db.query<{ id: string }>('SELECT id FROM anomaly ORDER BY block_number, id')).map((r) => r.id);
  const status = async () => (await db.query<{ height: number }>('SELECT height FROM pipeline_test.status'))[0].height;

  before(async () => {
    db = await setupTestDatabase();
    process.env.DB_URL = db.url;
    const source = createDataSource(db.url);
    await source.initialize();
    reader = source.manager;
    closeReader = () => source.destroy();
    const inner = new TypeormDatabase({
      supportHotBlocks: true,
      stateSchema: 'pipeline_test',
      projectDir: PROJECT_ROOT,
    });
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (msg) => {
      const n = msg.channel === BATCH_CHANNEL ? parseBatchNotification(msg.payload) : null;
      if (n) notes.push({ from: n.from, to: n.to, hash: n.hash });
    });
    await listener.query(`LISTEN ${BATCH_CHANNEL}`);
    pipeline = new PipelinedDatabase(inner, reader);
    const state = await pipeline.connect();
    assert.equal(state.height, -1);
    // The first batch starts from the empty state's head.
    await pipeline.transact({ prevHead: { height: -1, hash: '0x' }, nextHead: head(0), isOnTop: true }, async () => {});
    await notified([{ from: 0, to: 0 }]);
  });

  after(async () => {
    await listener?.end();
    await closeReader?.();
    await db?.stop();
  });

  it('handles the next batch while the previous one commits, and commits in order', async () => {
    // Hold a lock that blocks inserts into the anomaly table, so batch 1's commit cannot finish.
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE anomaly IN SHARE MODE');
    try {
      await batch(1, false); // returns with its commit in flight
      const second = batch(2, true); // handled now, committed after batch 1
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(events, ['handled 1', 'handled 2']);
      assert.deepEqual(await committed(), []);
      assert.equal(await status(), 0);
      await locker.query('COMMIT');
      await second;
      assert.deepEqual(events, ['handled 1', 'handled 2', 'wrote 1', 'wrote 2']);
      assert.deepEqual(await committed(), ['row-1', 'row-2']);
      assert.equal(await status(), 2);
      await notified([
        { from: 1, to: 1 },
        { from: 2, to: 2 },
      ]);
    } finally {
      await locker.end();
    }
  });

  /** One finalized batch whose "handler" holds it: its row is written only when the held batches are flushed. */
  const heldBatch = (n: number, held: string[]) =>
    pipeline.transact({ prevHead: head(n - 1), nextHead: head(n), isOnTop: false }, async () => {
      events.push(`handled ${n}`);
      assert.equal(pipeline.canHold(), true);
      held.push(`row-${n}`);
      const rows = [...held];
      pipeline.hold(async () => async (store: Store) => {
        for (const id of rows) await store.insert(anomaly(id, n));
        events.push(`flushed ${rows.join(' ')}`);
      });
    });

  it('commits held batches with the next deferred write, in one transaction from the first held head', async () => {
    events.length = 0;
    const held: string[] = [];
    await heldBatch(3, held);
    await heldBatch(4, held);
    // Nothing of batches 3 and 4 is committed (nor announced): the status still says 2.
    assert.deepEqual(await committed(), ['row-1', 'row-2']);
    assert.equal(await status(), 2);
    await notified([]);
    // Batch 5 defers a write holding everything since the last commit (the handler's state does).
    await pipeline.transact({ prevHead: head(4), nextHead: head(5), isOnTop: true }, async () => {
      events.push('handled 5');
      pipeline.defer(async (store: Store) => {
        for (const id of [...held, 'row-5']) await store.insert(anomaly(id, 5));
        events.push('wrote 3 4 5');
      });
    });
    assert.deepEqual(events, ['handled 3', 'handled 4', 'handled 5', 'wrote 3 4 5']);
    assert.deepEqual(await committed(), ['row-1', 'row-2', 'row-3', 'row-4', 'row-5']);
    assert.equal(await status(), 5);
    // One notification for the grouped commit, covering every held block.
    await notified([{ from: 3, to: 5 }]);
  });

  it('never lets a batch at the head or at the end block be held', async () => {
    await pipeline.transact({ prevHead: head(5), nextHead: head(6), isOnTop: true }, async () => {
      assert.equal(pipeline.canHold(), false);
      assert.throws(() => pipeline.hold(async () => async () => {}), /may be held/);
    });
    assert.equal(await status(), 6);
    const bounded = new PipelinedDatabase(
      new TypeormDatabase({ supportHotBlocks: true, stateSchema: 'pipeline_test', projectDir: PROJECT_ROOT }),
      reader,
      { endBlock: 7 },
    );
    await bounded.connect();
    await bounded.transact({ prevHead: head(6), nextHead: head(7), isOnTop: false }, async () => {
      assert.equal(bounded.canHold(), false);
    });
    assert.equal(await status(), 7);
    assert.equal(pipeline.canHold(), false, 'outside transact');
    await notified([
      { from: 6, to: 6 },
      { from: 7, to: 7 },
    ]);
  });

  it('flushes held batches before a hot-block transaction', async () => {
    events.length = 0;
    const held: string[] = [];
    await heldBatch(8, held);
    await heldBatch(9, held);
    assert.equal(await status(), 7);
    await pipeline.transactHot2(
      { baseHead: head(9), finalizedHead: head(9), newBlocks: [head(10)] },
      async (store: Store) => {
        events.push('hot 10');
        await store.insert(anomaly('row-10', 10));
      },
    );
    assert.deepEqual(events, ['handled 8', 'handled 9', 'flushed row-8 row-9', 'hot 10']);
    assert.deepEqual((await committed()).slice(-3), ['row-8', 'row-9', 'row-10']);
    assert.equal(await status(), 9, 'the finalized head; block 10 is hot');
    const hot = await db.query<{ height: number }>('SELECT height FROM pipeline_test.hot_block ORDER BY height');
    assert.deepEqual(
      hot.map((h) => h.height),
      [10],
    );
    // Held blocks 8-9 flushed in their own transaction, then the hot block's.
    await notified([
      { from: 8, to: 9 },
      { from: 10, to: 10 },
    ]);
    // Back to finalized batches: the next one starts from the hot block's head. Only finality moved:
    // nothing new to announce.
    await pipeline.transactHot2({ baseHead: head(10), finalizedHead: head(10), newBlocks: [] }, async () => {});
    assert.equal(await status(), 10);
    await notified([]);
  });

  it('fails the next batch when a commit fails, leaving nothing of the failed batch', async () => {
    // Batch 3 inserts an id batch 1 already wrote: its commit fails after transact returned.
    const before = await committed();
    await batch(11, false, 'row-1');
    assert.deepEqual(await committed(), before);
    await assert.rejects(batch(12, true), /duplicate key/);
    assert.deepEqual(await committed(), before);
    assert.equal(await status(), 10);
    // The rolled-back transaction announced nothing.
    await notified([]);
  });

  it('announces a hot reorg from the fork point, with the new branch head', async () => {
    const fresh = new PipelinedDatabase(
      new TypeormDatabase({ supportHotBlocks: true, stateSchema: 'pipeline_test', projectDir: PROJECT_ROOT }),
      reader,
    );
    const state = await fresh.connect();
    assert.equal(state.height, 10);
    const alt = (height: number) => ({ height, hash: `0xa1${height.toString(16).padStart(4, '0')}` });
    const noop = async () => {};
    await fresh.transactHot2({ baseHead: head(10), finalizedHead: head(10), newBlocks: [head(11), head(12)] }, noop);
    await notified([{ from: 11, to: 12 }]);
    // Block 12 is replaced: the new branch forks after 11 and is one block longer.
    await fresh.transactHot2({ baseHead: head(11), finalizedHead: head(10), newBlocks: [alt(12), alt(13)] }, noop);
    const deadline = Date.now() + 5000;
    while (notes.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(notes.splice(0), [{ from: 12, to: 13, hash: alt(13).hash }]);
  });
});

describe('graceful stop', () => {
  let db: TestDatabase;
  let closeReader: () => Promise<void>;
  let reader: EntityManager;
  before(async () => {
    db = await setupTestDatabase();
    process.env.DB_URL = db.url;
    const source = createDataSource(db.url);
    await source.initialize();
    reader = source.manager;
    closeReader = () => source.destroy();
  });
  after(async () => {
    await closeReader?.();
    await db?.stop();
  });

  const inner = () =>
    new TypeormDatabase({ supportHotBlocks: true, stateSchema: 'stop_test', projectDir: PROJECT_ROOT });
  const committed = async () =>
    (await db.query<{ id: string }>('SELECT id FROM anomaly ORDER BY block_number, id')).map((r) => r.id);
  const status = async () => (await db.query<{ height: number }>('SELECT height FROM stop_test.status'))[0].height;
  const pending = async (p: Promise<unknown>, ms = 300) =>
    Promise.race([p.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);

  it('waits for the commit in flight, commits the held batches, and starts nothing after', async () => {
    const registry = new Registry();
    const pipeline = new PipelinedDatabase(inner(), reader, { metrics: createProcessorMetrics(registry) });
    await pipeline.connect();
    await pipeline.transact({ prevHead: { height: -1, hash: '0x' }, nextHead: head(0), isOnTop: true }, async () => {});
    const handled: number[] = [];
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE anomaly IN SHARE MODE');
    let stop: ReturnType<PipelinedDatabase['stop']>;
    let third: Promise<void>;
    try {
      // Batch 1's commit is in flight (blocked by the lock); batch 2 is held.
      await pipeline.transact({ prevHead: head(0), nextHead: head(1), isOnTop: false }, async () => {
        handled.push(1);
        pipeline.defer(async (store: Store) => store.insert(anomaly('row-1', 1)));
      });
      await pipeline.transact({ prevHead: head(1), nextHead: head(2), isOnTop: false }, async () => {
        handled.push(2);
        pipeline.hold(async () => async (store: Store) => store.insert(anomaly('row-2', 2)));
      });
      stop = pipeline.stop();
      third = pipeline.transact({ prevHead: head(2), nextHead: head(3), isOnTop: true }, async () => {
        handled.push(3);
      });
      assert.equal(await pending(stop), true, 'stop waits for the commit in flight');
      assert.deepEqual(await committed(), []);
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
    assert.deepEqual(await stop, { waitedForTransaction: false, committedHeld: true, waitedForCommit: true });
    assert.deepEqual(await committed(), ['row-1', 'row-2']);
    assert.equal(await status(), 2);
    assert.equal(await pending(third), true, 'a transaction asked for after stop() never starts');
    assert.deepEqual(handled, [1, 2]);
    const s = parsePrometheus(await registry.metrics());
    assert.equal(valueOf(s, `${PROCESSOR_METRIC_NAMES.commitDuration}_count`, { kind: 'final' }), 3);
    assert.equal(valueOf(s, PROCESSOR_METRIC_NAMES.indexedHeight), 2);
  });

  it('reads the committed head for the height gauge when it connects', async () => {
    const registry = new Registry();
    const state = await new PipelinedDatabase(inner(), reader, { metrics: createProcessorMetrics(registry) }).connect();
    assert.equal(state.height, 2);
    assert.equal(valueOf(parsePrometheus(await registry.metrics()), PROCESSOR_METRIC_NAMES.indexedHeight), 2);
  });

  it('waits for the transaction in progress when stopped during a batch', async () => {
    const pipeline = new PipelinedDatabase(inner(), reader);
    await pipeline.connect();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const running = pipeline.transact({ prevHead: head(2), nextHead: head(3), isOnTop: true }, async () => {
      await gate;
      pipeline.defer(async (store: Store) => store.insert(anomaly('row-3', 3)));
    });
    await new Promise((r) => setTimeout(r, 50));
    const stop = pipeline.stop();
    assert.equal(await pending(stop, 200), true);
    release();
    await running;
    assert.deepEqual(await stop, { waitedForTransaction: true, committedHeld: false, waitedForCommit: false });
    assert.deepEqual(await committed(), ['row-1', 'row-2', 'row-3']);
    assert.equal(await status(), 3);
  });
});
