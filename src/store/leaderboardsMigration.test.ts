import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { insertRows } from '../api/test-seed-sql';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';

/** A migration as TypeORM runs it (`up` / `down` with a query runner). */
type MigrationClass = new () => {
  up(db: { query(sql: string, params?: unknown[]): Promise<unknown> }): Promise<void>;
  down(db: { query(sql: string, params?: unknown[]): Promise<unknown> }): Promise<void>;
};
/* eslint-disable @typescript-eslint/no-require-imports */
const Migration = require(path.resolve(__dirname, '../../migrations/1795338700000-Leaderboards.js')) as MigrationClass;
/** Later migrations whose views read the Leaderboards columns: undone first, redone after, as TypeORM would. */
const Analytics = require(path.resolve(__dirname, '../../migrations/1795339000000-Analytics.js')) as MigrationClass;
/* eslint-enable @typescript-eslint/no-require-imports */

let db: TestDatabase;
before(async () => {
  db = await setupTestDatabase();
});
after(async () => {
  await db?.stop();
});

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';

test('the Leaderboards migration derives its columns and table on a database indexed before it', async () => {
  const runner = { query: (sql: string, params?: unknown[]) => db.query(sql, params) };
  const migration = new Migration();
  const analytics = new Analytics();
  await analytics.down(runner);
  await migration.down(runner);
  // Rows as the previous version wrote them (no earned_total, no last_accrued_at_block, no datanet_account).
  await db.query(
    `INSERT INTO datanet (id, datanet_id, owner, name, metadata_uri, status, validator_count, contribution_count, pending_count,
       accepted_count, rejected_count, duplicate_count, total_size_bytes, accepted_size_bytes, slash_count, slashed_amount,
       attribution_count, owner_earned, contributors_earned, created_at_block, created_at, created_tx_hash)
     VALUES ('7', 7, $1, 'd', 'u', 'ACTIVE', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 12, 1, now(), '0x')`,
    [B],
  );
  await insertRows(db, 'attribution', [
    { id: 'i1-0', inference_id: 'i1', contributor: A, datanet_id: 7, amount: 5, epoch: 1, block_number: 10 },
    { id: 'i2-0', inference_id: 'i2', contributor: A, datanet_id: 7, amount: 7, epoch: 1, block_number: 20 },
    { id: 'i3-0', inference_id: 'i3', contributor: A, datanet_id: 7, amount: 0, epoch: 1, block_number: 30 },
    {
      id: 'i4-0',
      inference_id: 'i4',
      contributor: A,
      datanet_id: 7,
      amount: 9,
      eligible: false,
      epoch: 1,
      block_number: 40,
    },
  ]);
  await insertRows(db, 'payout', [
    { id: 'i2-D-7', inference_id: 'i2', account: B, role: 'DATANET_OWNER', amount: 30, epoch: 1, block_number: 25 },
  ]);
  await db.query(
    `INSERT INTO account_epoch (id, epoch, account, as_contributor, as_datanet_owner, as_model_owner, total, claimed, claim_count,
       first_accrued_at_block) VALUES ('1-' || $1, 1, $1, 12, 0, 0, 12, 0, 0, 10), ('1-' || $2, 1, $2, 0, 30, 0, 30, 0, 0, 25),
       ('2-' || $2, 2, $2, 0, 0, 0, 0, 4, 1, 50)`,
    [A, B],
  );
  await migration.up(runner);
  await analytics.up(runner);
  assert.deepEqual(await db.query(`SELECT id, earned_total FROM datanet`), [{ id: '7', earned_total: '42' }]);
  assert.deepEqual(
    await db.query(`SELECT id, datanet_id, account, earned, paid_attribution_count FROM datanet_account`),
    [{ id: `7-${A}`, datanet_id: '7', account: A, earned: '12', paid_attribution_count: 2 }],
  );
  // The analytics views, recreated over the derived table, read it.
  assert.deepEqual(await db.query(`SELECT datanet_id, contributor, earned FROM analytics.datanet_contributors`), [
    { datanet_id: '7', contributor: A, earned: '12' },
  ]);
  assert.deepEqual(await db.query(`SELECT id, last_accrued_at_block FROM account_epoch ORDER BY id`), [
    { id: `1-${A}`, last_accrued_at_block: 20 },
    { id: `1-${B}`, last_accrued_at_block: 25 },
    { id: `2-${B}`, last_accrued_at_block: null },
  ]);
});
