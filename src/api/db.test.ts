// The API's statements: which texts run as named prepared statements, that the bound holds, and that
// a prepared `SELECT *` survives a migration that changes its table's columns.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiDb, PREPARE_AFTER, readPreparedStatements, statementNamer, DEFAULT_PREPARED_STATEMENTS } from './db';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';

describe('statementNamer', () => {
  test(`a text runs unnamed ${PREPARE_AFTER - 1} times, then keeps one name`, () => {
    const namer = statementNamer(10);
    const first = Array.from({ length: PREPARE_AFTER - 1 }, () => namer.name('SELECT 1'));
    assert.deepEqual(first, Array(PREPARE_AFTER - 1).fill(undefined));
    const name = namer.name('SELECT 1');
    assert.match(name ?? '', /^api_/);
    assert.equal(namer.name('SELECT 1'), name);
    assert.equal(namer.name('SELECT 1'), name);
  });

  test('distinct texts get distinct names; at most `max` texts are named, the rest stay unnamed', () => {
    const namer = statementNamer(3, 1);
    const names = ['a', 'b', 'c'].map((t) => namer.name(`SELECT '${t}'`));
    assert.equal(new Set(names).size, 3);
    assert.ok(names.every((n) => n !== undefined));
    assert.equal(namer.name(`SELECT 'd'`), undefined, 'a fourth text over the bound');
    assert.equal(namer.name(`SELECT 'd'`), undefined);
    assert.equal(namer.name(`SELECT 'a'`), names[0], 'named texts keep their names');
    assert.equal(namer.size(), 3);
  });

  test('rename gives a named text a new name, and leaves unnamed texts unnamed', () => {
    const namer = statementNamer(5, 1);
    const before = namer.name('SELECT * FROM t');
    const renamed = namer.rename('SELECT * FROM t');
    assert.ok(before && renamed && before !== renamed);
    assert.equal(namer.name('SELECT * FROM t'), renamed);
    assert.equal(namer.rename('SELECT never'), undefined);
  });

  test('max 0 names nothing', () => {
    const namer = statementNamer(0, 1);
    for (let i = 0; i < 5; i++) assert.equal(namer.name('SELECT 1'), undefined);
  });

  test('API_PREPARED_STATEMENTS: default, 0, a number, and a clear error for a bad value', () => {
    assert.equal(readPreparedStatements({}), DEFAULT_PREPARED_STATEMENTS);
    assert.equal(readPreparedStatements({ API_PREPARED_STATEMENTS: ' ' }), DEFAULT_PREPARED_STATEMENTS);
    assert.equal(readPreparedStatements({ API_PREPARED_STATEMENTS: '0' }), 0);
    assert.equal(readPreparedStatements({ API_PREPARED_STATEMENTS: '50' }), 50);
    for (const bad of ['-1', '1.5', 'many']) {
      assert.throws(
        () => readPreparedStatements({ API_PREPARED_STATEMENTS: bad }),
        /API_PREPARED_STATEMENTS must be a non-negative integer/,
      );
    }
  });
});

describe('prepared statements on a real connection', () => {
  let database: TestDatabase;
  before(async () => {
    database = await setupTestDatabase();
    await database.query('CREATE TABLE prep_probe (a int PRIMARY KEY)');
    await database.query('INSERT INTO prep_probe SELECT generate_series(1, 3)');
  });
  after(async () => {
    await database?.stop();
  });

  /** The session's prepared statement texts (one pooled connection, so always the same session). */
  const prepared = async (db: ReturnType<typeof createApiDb>) =>
    (await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).map((r) => r.statement);

  test('a text run often is prepared on the connection; with 0 nothing is', async () => {
    const text = 'SELECT a FROM prep_probe WHERE a = $1';
    for (const max of [DEFAULT_PREPARED_STATEMENTS, 0]) {
      const db = createApiDb({ url: database.url, maxConnections: 1, maxPreparedStatements: max });
      try {
        for (let i = 1; i <= PREPARE_AFTER + 2; i++) {
          assert.deepEqual(await db.query(text, [2]), [{ a: 2 }]);
        }
        assert.equal((await prepared(db)).includes(text), max > 0, `max ${max}`);
      } finally {
        await db.close();
      }
    }
  });

  test('a prepared SELECT * answers with the new columns after a migration adds one (no "cached plan" error)', async () => {
    const db = createApiDb({ url: database.url, maxConnections: 2 });
    try {
      const text = 'SELECT * FROM prep_probe ORDER BY a';
      // Enough runs that both pooled connections hold it prepared.
      for (let i = 0; i < PREPARE_AFTER + 6; i++) {
        await Promise.all([db.query(text), db.query(text)]);
      }
      await database.query('ALTER TABLE prep_probe ADD COLUMN b int NOT NULL DEFAULT 7');
      for (let i = 0; i < 4; i++) {
        const rows = await Promise.all([db.query(text), db.query(text)]);
        for (const r of rows)
          assert.deepEqual(
            r,
            [1, 2, 3].map((a) => ({ a, b: 7 })),
          );
      }
    } finally {
      await db.close();
    }
  });
});
