/**
 * The pipelined commits of PipelinedDatabase, on the real TypeormDatabase and real Postgres: the next
 * batch is handled while the previous one commits, commits land in order, a batch at the head is
 * committed before transact returns, and a failed commit fails the next batch without a partial write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TypeormDatabase, type Store } from '@subsquid/typeorm-store';
import { Client } from 'pg';
import { Anomaly } from '../model';
import { PROJECT_ROOT, createDataSource } from '../store/dataSource';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
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
  const events: string[] = [];

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
    const reader = createDataSource(db.url);
    await reader.initialize();
    closeReader = () => reader.destroy();
    const inner = new TypeormDatabase({
      supportHotBlocks: true,
      stateSchema: 'pipeline_test',
      projectDir: PROJECT_ROOT,
    });
    pipeline = new PipelinedDatabase(inner, reader.manager);
    const state = await pipeline.connect();
    assert.equal(state.height, -1);
    // The first batch starts from the empty state's head.
    await pipeline.transact({ prevHead: { height: -1, hash: '0x' }, nextHead: head(0), isOnTop: true }, async () => {});
  });

  after(async () => {
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
    } finally {
      await locker.end();
    }
  });

  it('fails the next batch when a commit fails, leaving nothing of the failed batch', async () => {
    // Batch 3 inserts an id batch 1 already wrote: its commit fails after transact returned.
    await batch(3, false, 'row-1');
    assert.deepEqual(await committed(), ['row-1', 'row-2']);
    await assert.rejects(batch(4, true), /duplicate key/);
    assert.deepEqual(await committed(), ['row-1', 'row-2']);
    assert.equal(await status(), 2);
  });
});
