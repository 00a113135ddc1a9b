import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { runMigrations } from './dataSource';
import { deferIndexesForBackfill, restoreDeferredIndexes } from './deferredIndexes';

type Index = { table: string; name: string; unique: boolean; def: string };

describe('indexes deferred during a backfill', () => {
  let db: TestDatabase;
  let migrated: Index[];
  const indexes = () =>
    db.query<Index>(
      `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, pg_get_indexdef(i.oid) AS def
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = 'public'::regnamespace ORDER BY 1, 2`,
    );

  before(async () => {
    db = await setupTestDatabase();
    migrated = await indexes();
  });
  after(() => db?.stop());
  beforeEach(async () => {
    await restoreDeferredIndexes(db.url);
    await db.query('TRUNCATE indexer_status');
  });

  it('drops exactly the non-unique indexes of an empty database, and builds the same ones back', async () => {
    const secondary = migrated.filter((i) => !i.unique && i.table !== 'migrations');
    assert.ok(secondary.length > 30, `${secondary.length} secondary indexes`);
    assert.equal(await deferIndexesForBackfill(db.url), secondary.length);
    assert.deepEqual(
      await indexes(),
      migrated.filter((i) => !secondary.includes(i)),
      'primary keys and unique indexes stay',
    );
    const recorded = await db.query<{ name: string }>('SELECT name FROM deferred_index ORDER BY name');
    assert.deepEqual(
      recorded.map((r) => r.name),
      secondary.map((i) => i.name).sort(),
    );
    assert.equal(await deferIndexesForBackfill(db.url), 0, 'already deferred: nothing more to drop');

    const restored = await restoreDeferredIndexes(db.url);
    assert.equal(restored.built, secondary.length);
    assert.deepEqual(await indexes(), migrated);
    assert.deepEqual(await db.query('SELECT * FROM deferred_index'), []);
    assert.equal((await restoreDeferredIndexes(db.url)).built, 0);
  });

  it('defers nothing once anything is indexed', async () => {
    await db.query(
      `INSERT INTO indexer_status (id, height, hash, timestamp, event_count) VALUES ('head', 1, '0x01', now(), 0)`,
    );
    assert.equal(await deferIndexesForBackfill(db.url), 0);
    assert.deepEqual(await indexes(), migrated);
  });

  it('finishes a build that stopped halfway (some indexes already there)', async () => {
    await deferIndexesForBackfill(db.url);
    const [first] = await db.query<{ definition: string }>(
      'SELECT definition FROM deferred_index ORDER BY name LIMIT 1',
    );
    await db.query(first.definition);
    await restoreDeferredIndexes(db.url, { connections: 3 });
    assert.deepEqual(await indexes(), migrated);
  });

  it('builds them before a pending migration runs', async () => {
    await deferIndexesForBackfill(db.url);
    // Make the latest migration pending again (its up is idempotent).
    await db.query(`DELETE FROM migrations WHERE name = 'DeferredIndexes1795339200000'`);
    assert.deepEqual(await runMigrations(db.url), ['DeferredIndexes1795339200000']);
    assert.deepEqual(await indexes(), migrated);
    assert.deepEqual(await db.query('SELECT * FROM deferred_index'), []);
  });

  it('keeps them deferred when no migration is pending (npm start migrates before every run)', async () => {
    const dropped = await deferIndexesForBackfill(db.url);
    assert.deepEqual(await runMigrations(db.url), []);
    assert.equal((await db.query('SELECT name FROM deferred_index')).length, dropped);
  });
});
