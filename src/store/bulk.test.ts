/**
 * bulkWrite and Table.persist against real Postgres: COPY (inserts, staged upserts) and the
 * statement path give back exactly what was written, for every column type the model uses.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Store } from '@subsquid/typeorm-store';
import { ChangeTracker, rollbackBlock } from '@subsquid/typeorm-store/lib/hot';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { Attribution, Contribution, ContributionStatus, Epoch, Inference, Model } from '../model';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { COPY_MIN_ROWS, bulkWrite } from './bulk';
import { copyField, fieldFormatters, fieldReaders } from './copyText';
import { createDataSource } from './dataSource';
import { Table } from './table';

const STATE_SCHEMA = 'squid_processor';

const TEXTS = [
  'plain',
  'tab\there',
  'new\nline',
  'cr\rlf\r\n',
  'back\\slash\\',
  '\\N',
  '\\.',
  '\\',
  `quote"s 'single'`,
  'unicode ✓ é 漢字 🚀 e\u0301',
  '',
  ' leading and trailing ',
  'comma,{brace}',
  'NULL',
];
const ARRAYS: string[][] = [
  [],
  [''],
  ['a,b', '"q"', 'back\\slash', '\\', '{x}', '}', '', 'NULL', 'null', ' sp ', 'tab\t', 'nl\n', '🚀', '\\N'],
  ['1', '2'],
];

const BIG = 2n ** 70n;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** A model row with awkward values everywhere; `v` varies it (another version of the same id). */
function model(i: number, v = 0): Model {
  return new Model({
    id: `m-${String(i).padStart(6, '0')}`,
    modelId: (i % 2 ? -1n : 1n) * (BIG + BigInt(i) + BigInt(v)),
    owner: TEXTS[(i + v) % TEXTS.length],
    name: `${TEXTS[(i * 3 + v) % TEXTS.length]}#${v}`,
    datanetIds: ARRAYS[(i + v) % ARRAYS.length],
    adapterCount: i % 3 === 0 ? INT_MIN : INT_MAX - i - v,
    latestAdapterVersion: (i + v) % 4 === 0 ? null : -(i + v),
    inferenceCount: v,
    totalFees: 10n ** 40n + BigInt(v),
    ownerEarned: 0n,
    contributorsEarned: -(2n ** 64n) - BigInt(v),
    datanetOwnersEarned: 2n ** 64n,
    protocolEarned: BigInt(i * v),
    createdAtBlock: i,
    createdAt: new Date(Date.UTC(1960 + (i % 120), i % 12, 1 + (i % 28), i % 24, i % 60, (i + v) % 60, (i * 7) % 1000)),
    createdTxHash: `0x${i.toString(16)}`,
  });
}

function epoch(i: number, v = 0): Epoch {
  const nulls = (i + v) % 3 === 0;
  return new Epoch({
    id: String(i),
    epoch: BigInt(i),
    inferenceCount: i + v,
    totalFees: BIG * BigInt(v + 1),
    accruedToAccounts: 0n,
    protocolAmount: -BigInt(v),
    closed: (i + v) % 2 === 0,
    postedRoot: nulls ? null : TEXTS[(i + v) % TEXTS.length],
    postedTotal: nulls ? null : BIG + BigInt(v),
    recomputedRoot: nulls ? null : `0x${v}`,
    recomputedTotal: nulls ? null : 0n,
    reconciled: nulls ? null : (i + v) % 4 === 1,
    closedAtBlock: nulls ? null : i * 10 + v,
    earningAccounts: v,
    claimedTotal: BigInt(v),
    claimCount: v,
  });
}

function attribution(i: number, v = 0): Attribution {
  const known = (i + v) % 3 !== 0;
  return new Attribution({
    id: `a-${String(i).padStart(6, '0')}`,
    inference: new Inference({ id: `0xinf${i % 7}` }),
    position: i,
    rawContributionId: BIG * 3n + BigInt(i),
    contribution: known ? new Contribution({ id: String(i % 11) }) : null,
    weightPpm: 1_000_000 - v,
    statusAtAttribution: known ? [ContributionStatus.ACCEPTED, ContributionStatus.PENDING][v % 2] : null,
    eligible: known && v % 2 === 0,
    contributor: known ? `0xc${i}\t${v}` : null,
    datanetId: known ? BigInt(i % 5) : null,
    amount: BigInt(v) * 10n ** 20n,
    epoch: BigInt(v),
    blockNumber: i + v,
  });
}

/** Every column of each row by database name (relations as ids, undefined as null), via the entity metadata. */
function columnsOf(em: EntityManager, cls: new () => object, rows: object[]): Record<string, unknown>[] {
  const meta = em.connection.getMetadata(cls);
  return rows.map((r) =>
    Object.fromEntries(
      meta.columns.map((c) => {
        const v = c.getEntityValue(r);
        return [c.databaseName, v === undefined ? null : v];
      }),
    ),
  );
}

const byId = <E extends { id: string }>(rows: E[]) =>
  [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Reads the whole table back through TypeORM (relations as ids) and compares it with the rows expected. */
async function assertTable(em: EntityManager, cls: new () => { id: string }, expected: { id: string }[]) {
  const got = await em.getRepository(cls).find({ loadRelationIds: true });
  assert.deepEqual(columnsOf(em, cls, byId(got)), columnsOf(em, cls, byId(expected)));
}

/** Records the SQL text of every query sent on the transaction's connection while `fn` runs. */
async function recordingQueries<T>(em: EntityManager, fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const client = (await em.queryRunner!.connect()) as { query: (...args: any[]) => unknown };
  const original = client.query;
  const sql: string[] = [];
  client.query = function (this: unknown, ...args: any[]) {
    const q = args[0];
    sql.push(typeof q === 'string' ? q : String(q?.text ?? ''));
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), sql };
  } finally {
    client.query = original;
  }
}

describe('bulkWrite', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const tx = <T>(fn: (store: Store, em: EntityManager) => Promise<T>) =>
    ds.transaction('SERIALIZABLE', (em) => fn(new Store(() => em), em));

  before(async () => {
    db = await setupTestDatabase();
    ds = createDataSource(db.url);
    await ds.initialize();
    // The Subsquid store's hot-block tables (as TypeormDatabase creates them).
    await ds.query(`CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA}`);
    await ds.query(`CREATE TABLE ${STATE_SCHEMA}.hot_block (height int4 primary key, hash text not null)`);
    await ds.query(
      `CREATE TABLE ${STATE_SCHEMA}.hot_change_log (block_height int4 not null references ${STATE_SCHEMA}.hot_block on delete cascade, ` +
        `index int4 not null, change jsonb not null, PRIMARY KEY (block_height, index))`,
    );
  });
  after(async () => {
    await ds?.destroy();
    await db?.stop();
  });
  beforeEach(async () => {
    await ds.query(`TRUNCATE model, epoch, attribution, ${STATE_SCHEMA}.hot_block CASCADE`);
  });

  it('reads and formats every column of every entity as TypeORM getEntityValue and copyField do', () => {
    let n = 0;
    for (const meta of ds.entityMetadatas) {
      // A row with a distinct value in every property: relations as { id }, the rest by type.
      const row = new (meta.target as new () => Record<string, unknown>)();
      row.id = `${meta.tableName}-id`;
      for (const c of meta.columns) {
        const relation = c.relationMetadata;
        if (relation) row[relation.propertyName] = { id: `${c.databaseName}-${n++}` };
        else if (c.propertyName !== 'id') {
          const t = ds.driver.normalizeType(c);
          row[c.propertyName] = c.isArray
            ? [`a${n++}`, `b${n}`]
            : t === 'numeric'
              ? BigInt(n++) * 10n ** 20n
              : t === 'integer'
                ? n++
                : t === 'boolean'
                  ? n++ % 2 === 0
                  : t.startsWith('timestamp')
                    ? new Date(n++ * 1000)
                    : `s\t${n++}\\`;
        }
      }
      const readers = fieldReaders(meta.columns);
      const formatters = fieldFormatters(meta.columns);
      meta.columns.forEach((c, k) => {
        const name = `${meta.tableName}.${c.databaseName}`;
        assert.deepEqual(readers[k](row as never), c.getEntityValue(row, true), name);
        assert.equal(formatters[k](row as never), copyField(c.getEntityValue(row, true)), name);
        const unset = { ...row, [c.propertyName]: null };
        assert.equal(formatters[k](unset as never), copyField(c.getEntityValue(unset, true)), `${name} null`);
      });
      // A relation set to null reads as null.
      for (const c of meta.columns.filter((x) => x.relationMetadata)) {
        const copy = { ...row, [c.relationMetadata!.propertyName]: null };
        assert.equal(readers[meta.columns.indexOf(c)](copy as never) ?? null, c.getEntityValue(copy, true) ?? null);
      }
    }
    assert.ok(n > 100);
  });

  for (const n of [7, COPY_MIN_ROWS, 3_000]) {
    const copy = n >= COPY_MIN_ROWS;
    it(`inserts ${n} rows of every column type (${copy ? 'COPY' : 'one INSERT'})`, async () => {
      const models = Array.from({ length: n }, (_, i) => model(i));
      const epochs = Array.from({ length: n }, (_, i) => epoch(i));
      const attributions = Array.from({ length: n }, (_, i) => attribution(i));
      await tx(async (store, em) => {
        const { sql } = await recordingQueries(em, async () => {
          await bulkWrite(store, models, 'insert');
          await bulkWrite(store, epochs, 'insert');
          await bulkWrite(store, attributions, 'insert');
        });
        const copies = sql.filter((q) => q.startsWith('COPY'));
        assert.deepEqual(
          copies,
          copy
            ? [
                'COPY "model" ("id", "model_id", "owner", "name", "datanet_ids", "adapter_count", "latest_adapter_version", "inference_count", "total_fees", "owner_earned", "contributors_earned", "datanet_owners_earned", "protocol_earned", "created_at_block", "created_at", "created_tx_hash") FROM STDIN',
                copies[1],
                copies[2],
              ]
            : [],
        );
      });
      await tx(async (_store, em) => {
        await assertTable(em, Model, models);
        await assertTable(em, Epoch, epochs);
        await assertTable(em, Attribution, attributions);
      });
      // Spot checks in SQL itself: NULLs are NULL, the text "\N" is text, arrays have their elements.
      const [row] = await db.query<{ nulls: string; backslash_n: string; arrays: string }>(
        `SELECT (SELECT count(*) FROM epoch WHERE posted_root IS NULL)::text nulls,
                (SELECT count(*) FROM model WHERE owner = E'\\\\N')::text backslash_n,
                (SELECT string_agg(l, ',' ORDER BY l)
                   FROM (SELECT DISTINCT coalesce(array_length(datanet_ids, 1), 0)::text l FROM model) s) arrays`,
      );
      assert.deepEqual(row, {
        nulls: String(epochs.filter((e) => e.postedRoot === null).length),
        backslash_n: String(models.filter((m) => m.owner === '\\N').length),
        arrays: '0,1,14,2',
      });
    });

    it(`upserts ${n} rows: updates existing ones and inserts new ones in one call (${copy ? 'staged COPY' : 'one INSERT'})`, async () => {
      const first = Array.from({ length: n }, (_, i) => model(i * 2));
      const firstEpochs = Array.from({ length: n }, (_, i) => epoch(i * 2));
      await tx((store) => bulkWrite(store, first, 'insert').then(() => bulkWrite(store, firstEpochs, 'insert')));
      // Odd ids are new; even ids exist and change in every column (NULLs become values and back).
      const second = Array.from({ length: n }, (_, i) => model(i, 1));
      const secondEpochs = Array.from({ length: n }, (_, i) => epoch(i, 1));
      await tx(async (store, em) => {
        const { sql } = await recordingQueries(em, async () => {
          await bulkWrite(store, second, 'upsert');
          await bulkWrite(store, secondEpochs, 'upsert');
        });
        assert.equal(sql.filter((q) => q.startsWith('COPY "_stage_')).length, copy ? 2 : 0);
      });
      const kept = (rows: { id: string }[], over: { id: string }[]) => {
        const ids = new Set(over.map((r) => r.id));
        return [...rows.filter((r) => !ids.has(r.id)), ...over];
      };
      await tx(async (_store, em) => {
        await assertTable(em, Model, kept(first, second));
        await assertTable(em, Epoch, kept(firstEpochs, secondEpochs));
      });
    });
  }

  it('merges only its own rows when one table is upserted twice in a transaction', async () => {
    const n = COPY_MIN_ROWS + 50;
    const a = Array.from({ length: n }, (_, i) => epoch(i, 1));
    const b = Array.from({ length: n }, (_, i) => epoch(i + n, 2));
    const c = Array.from({ length: n }, (_, i) => epoch(i, 3)); // the first rows again, changed
    await tx(async (store, em) => {
      await bulkWrite(store, a, 'upsert');
      // Changed behind the writer's back: a second merge of the first rows would undo this.
      await em.query(`UPDATE epoch SET recomputed_root = 'changed' WHERE id = ANY($1::text[])`, [a.map((e) => e.id)]);
      await bulkWrite(store, b, 'upsert');
      const [{ staged }] = await em.query(`SELECT count(*)::int staged FROM "_stage_epoch"`);
      assert.equal(staged, 0);
      for (const e of a) e.recomputedRoot = 'changed';
      await assertTable(em, Epoch, [...a, ...b]);
      // The same ids a third time in the same transaction (a second hot block).
      await bulkWrite(store, c, 'upsert');
      await assertTable(em, Epoch, [...c, ...b]);
    });
    await tx((_store, em) => assertTable(em, Epoch, [...c, ...b]));
  });

  for (const n of [5, COPY_MIN_ROWS + 10]) {
    it(`fails on a duplicate id and aborts the transaction (${n} rows)`, async () => {
      const rows = Array.from({ length: n }, (_, i) => model(i));
      await tx((store) => bulkWrite(store, rows.slice(0, 2), 'insert'));
      await assert.rejects(
        tx(async (store, em) => {
          const err = await bulkWrite(store, rows.slice(1), 'insert').then(
            () => assert.fail('duplicate inserted'),
            (e: unknown) => e,
          );
          assert.ok(err instanceof QueryFailedError, String(err));
          assert.equal((err as unknown as { code: string }).code, '23505');
          await assert.rejects(em.query('SELECT 1'), (e: { code?: string }) => e.code === '25P02');
          throw err;
        }),
        (e: { code?: string }) => e.code === '23505',
      );
      // Nothing of the failed transaction stayed, and the pooled connections still work.
      await tx(async (store, em) => {
        await assertTable(em, Model, rows.slice(0, 2));
        await bulkWrite(store, rows.slice(2), 'insert');
        await assertTable(em, Model, rows);
      });
    });
  }

  it('a duplicate inside one COPY fails too', async () => {
    const rows = Array.from({ length: COPY_MIN_ROWS + 5 }, (_, i) => model(i));
    await assert.rejects(
      tx((store) => bulkWrite(store, [...rows, model(3, 1)], 'insert')),
      (e: { code?: string }) => e.code === '23505',
    );
    await tx((_store, em) => assertTable(em, Model, []));
  });

  it('cancels the COPY on a value it cannot write, leaving the connection usable', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => model(i));
    (rows[4_000] as unknown as { name: unknown }).name = { not: 'text' };
    await assert.rejects(
      tx(async (store, em) => {
        await assert.rejects(bulkWrite(store, rows, 'insert'), /cannot write/);
        await assert.rejects(em.query('SELECT 1'), (e: { code?: string }) => e.code === '25P02');
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await tx(async (store, em) => {
      await bulkWrite(store, rows.slice(0, 3_000), 'insert');
      await assertTable(em, Model, rows.slice(0, 3_000));
    });
  });

  it('refuses a row whose relation was not loaded', async () => {
    for (const n of [1, COPY_MIN_ROWS]) {
      const rows = Array.from({ length: n }, (_, i) => attribution(i));
      (rows[n - 1] as unknown as { contribution: unknown }).contribution = undefined;
      await assert.rejects(
        tx((store) => bulkWrite(store, rows, 'insert')),
        /attribution a-\d+: relation contribution is not loaded/,
      );
    }
  });

  it('records inserts and upserts for hot-block rollback as the store does', async () => {
    const n = COPY_MIN_ROWS + 20;
    const initial = Array.from({ length: n }, (_, i) => epoch(i));
    await tx((store) => bulkWrite(store, initial, 'insert'));
    await ds.transaction('SERIALIZABLE', async (em) => {
      await em.query(`INSERT INTO ${STATE_SCHEMA}.hot_block (height, hash) VALUES (100, '0x100')`);
      const store = new Store(() => em, new ChangeTracker(em, STATE_SCHEMA, 100));
      // Through a Table: the loaded half exists (upsert), the other half is new (insert).
      const table = new Table(Epoch);
      await table.load(
        store,
        initial.slice(0, n / 2).map((e) => e.id),
      );
      for (const e of table.map.values()) {
        e.inferenceCount += 1000;
        e.postedRoot = e.postedRoot === null ? 'now set' : null;
        table.touch(e);
      }
      for (let i = n; i < n + n / 2; i++) table.put(epoch(i, 5));
      assert.equal(await table.persist(store), n);
      const log: { kind: string; id: string; fields?: Record<string, unknown> }[] = (
        await em.query(`SELECT change FROM ${STATE_SCHEMA}.hot_change_log WHERE block_height = 100 ORDER BY index`)
      ).map((r: { change: unknown }) => r.change);
      const kinds = new Map(log.map((c) => [c.id, c.kind]));
      assert.equal(log.length, n);
      for (let i = 0; i < n / 2; i++) assert.equal(kinds.get(String(i)), 'update');
      for (let i = n; i < n + n / 2; i++) assert.equal(kinds.get(String(i)), 'insert');
      assert.equal(log.find((c) => c.id === '0')!.fields!.inference_count, 0);
      // Written rows are known now: a second persist in the same transaction upserts them.
      const again = table.get(String(n))!;
      again.claimCount = 77;
      table.touch(again);
      assert.equal(await table.persist(store), 1);
      const [last] = await em.query(
        `SELECT change FROM ${STATE_SCHEMA}.hot_change_log WHERE block_height = 100 ORDER BY index DESC LIMIT 1`,
      );
      assert.equal(last.change.kind, 'update');
      assert.equal(last.change.id, String(n));
      // Rolling the block back restores the table as it was before it.
      await rollbackBlock(STATE_SCHEMA, em, 100);
      await assertTable(em, Epoch, initial);
    });
  });

  it('Table inserts ids it does not know and upserts the ones it loaded, adopted or wrote', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => epoch(i));
    await tx((store) => bulkWrite(store, rows.slice(0, 3), 'insert'));
    const table = new Table(Epoch);
    await tx(async (store) => {
      await table.load(store, ['0']);
      table.adopt(epoch(1));
      table.put(epoch(0, 1)); // replaces a loaded row: upsert
      table.put(epoch(1, 1)); // replaces an adopted row: upsert
      table.put(epoch(3, 1)); // new: insert
      assert.equal(await table.persist(store), 3);
    });
    assert.deepEqual(
      ['0', '1', '2', '3', '4'].map((id) => table.isKnown(id)),
      [true, true, false, true, false],
    );
    // A later batch (same Table): the written row is known and upserted.
    await tx(async (store) => {
      table.put(epoch(3, 2));
      table.put(epoch(4, 2));
      await table.persist(store);
    });
    await tx((_store, em) => assertTable(em, Epoch, [epoch(0, 1), epoch(1, 1), rows[2], epoch(3, 2), epoch(4, 2)]));
    // A row created without being loaded although it exists fails loudly instead of overwriting it.
    await assert.rejects(
      tx(async (store) => {
        const fresh = new Table(Epoch);
        fresh.put(epoch(2, 9));
        await fresh.persist(store);
      }),
      (e: { code?: string }) => e.code === '23505',
    );
    table.clear();
    assert.equal(table.isKnown('3'), false);
    assert.equal(table.map.size, 0);
  });
  it('a Table that found its table empty asks the database nothing for ids it does not hold, until it drops a row', async () => {
    await tx(async (store, em) => {
      const table = new Table(Model);
      assert.equal(table.holdsAll(), false, 'unknown until the first look');
      const first = await recordingQueries(em, () => table.load(store, ['m-000001', 'm-000002']));
      assert.deepEqual(first.result, []);
      assert.equal(table.holdsAll(), true);
      assert.equal(first.sql.length, 1, `one emptiness probe: ${first.sql.join(' | ')}`);
      table.put(model(1));
      await table.persist(store);
      const again = await recordingQueries(em, () => table.load(store, ['m-000003', 'm-000004']));
      assert.deepEqual([again.result, again.sql], [[], []], 'complete: misses are known new');
      assert.equal(table.get('m-000001')?.id, 'm-000001');
      // Dropping a held row ends completeness: the dropped row exists and must be loaded again. (The
      // rows of the latest write are kept by retain, so write another one first.)
      table.put(model(2));
      await table.persist(store);
      table.retain(() => false);
      assert.equal(table.holdsAll(), false, 'a dropped row ends completeness');
      assert.equal(table.get('m-000001'), undefined);
      const reloaded = await recordingQueries(em, () => table.load(store, ['m-000001']));
      assert.deepEqual(
        reloaded.result.map((r) => r.id),
        ['m-000001'],
      );
      assert.ok(reloaded.sql.length >= 1);
    });
  });

  it('a Table that found rows in its table looks every miss up', async () => {
    await tx(async (store) => bulkWrite(store, [model(7)], 'insert'));
    await tx(async (store, em) => {
      const table = new Table(Model);
      const { result } = await recordingQueries(em, () => table.load(store, ['m-000007', 'm-000008']));
      assert.deepEqual(
        result.map((r) => r.id),
        ['m-000007'],
      );
      assert.equal(table.holdsAll(), false);
      const miss = await recordingQueries(em, () => table.load(store, ['m-000009']));
      assert.deepEqual(miss.result, []);
      assert.equal(miss.sql.length, 1, 'not complete: the miss is looked up');
    });
  });
});

describe('Table change marks', () => {
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

  it('writes each changed row once, in the order first changed, and nothing after a write round', () => {
    const table = new Table(Model);
    const [a, b, c] = [model(1), model(2), model(3)];
    table.put(a);
    table.put(b);
    table.adopt(c);
    assert.deepEqual(ids(table.changed()), [a.id, b.id], 'an adopted row is not changed');
    table.touch(a);
    table.touch(c);
    table.touch(b);
    assert.deepEqual(ids(table.changed()), [a.id, b.id, c.id]);
    table.retain(() => true);
    assert.deepEqual(table.changed(), [], 'a new round: nothing is changed');
    table.touch(c);
    assert.deepEqual(ids(table.changed()), [c.id]);
  });

  it('writes the row that holds an id now: a replaced row is not written', () => {
    const table = new Table(Model);
    table.put(model(1, 1));
    table.put(model(2));
    const replacement = table.put(model(1, 2));
    assert.deepEqual(table.changed(), [table.get('m-000002'), replacement]);
  });

  it('refuses to lose a change made to a row it does not hold', () => {
    const replacedThenTouched = new Table(Model);
    const old = replacedThenTouched.put(model(1, 1));
    replacedThenTouched.put(model(1, 2));
    replacedThenTouched.touch(old);
    assert.throws(() => replacedThenTouched.changed(), /Model m-000001 was changed, but the table holds another row/);
    const neverHeld = new Table(Model);
    neverHeld.touch(model(3));
    assert.throws(() => neverHeld.changed(), /Model m-000003 was changed/);
  });

  it('a copy of a changed row is not changed (the mark is not copied)', () => {
    const table = new Table(Model);
    const row = table.put(model(1));
    const copy = Object.assign(new Model(), { ...row });
    assert.deepEqual(Object.getOwnPropertySymbols(copy), []);
    assert.equal(copy.totalFees, row.totalFees);
    const other = new Table(Model);
    other.adopt(copy);
    assert.deepEqual(other.changed(), []);
    other.touch(copy);
    assert.deepEqual(other.changed(), [copy]);
    assert.deepEqual(table.changed(), [row], 'marks of one table do not change another');
  });
});
