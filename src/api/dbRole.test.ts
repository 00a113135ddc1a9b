import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { wipeIndexedData } from '../start/wipe';
import { runMigrations } from '../store/dataSource';
import { createApiDb } from './db';
import { API_DB_ROLE, resolveApiDatabaseLogin } from './dbRole';
import type { ApiLogger } from './log';
import { setupApiFixture, type ApiFixture } from './test-fixtures';

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
});
after(async () => {
  await fx?.close();
});

/** Runs `fn` with a plain client logged in as `url`'s user. */
async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The public tables, as the owner sees them. */
async function publicTables(): Promise<string[]> {
  const rows: { table_name: string }[] = await fx.ds.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.table_name);
}

describe('the API database role', () => {
  test('the migration creates role api: it logs in, is no superuser, creates nothing and starts read-only', async () => {
    const [role] = await fx.ds.query(
      `SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
              (SELECT setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS settings
         FROM pg_roles r WHERE rolname = $1`,
      [API_DB_ROLE],
    );
    assert.deepEqual(role, {
      rolcanlogin: true,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      settings: ['default_transaction_read_only=on'],
    });
    assert.equal(new URL(fx.apiDbUrl).username, 'api');
  });

  test('api may SELECT every indexed table and nothing else on them', async () => {
    const tables = await publicTables();
    assert.ok(tables.includes('contribution') && tables.length >= 25, tables.join());
    const rows: { t: string; privileges: string[] }[] = await fx.ds.query(
      `SELECT t, array_remove(ARRAY[
                CASE WHEN has_table_privilege('api', 'public.' || quote_ident(t), 'SELECT') THEN 'SELECT' END,
                CASE WHEN has_table_privilege('api', 'public.' || quote_ident(t), 'INSERT') THEN 'INSERT' END,
                CASE WHEN has_table_privilege('api', 'public.' || quote_ident(t), 'UPDATE') THEN 'UPDATE' END,
                CASE WHEN has_table_privilege('api', 'public.' || quote_ident(t), 'DELETE') THEN 'DELETE' END,
                CASE WHEN has_table_privilege('api', 'public.' || quote_ident(t), 'TRUNCATE') THEN 'TRUNCATE' END
              ], NULL) AS privileges
         FROM unnest($1::text[]) AS t`,
      [tables],
    );
    assert.deepEqual(
      rows.filter((r) => r.privileges.join() !== 'SELECT'),
      [],
    );
  });

  test('a write through the API connection fails, even with read-only transactions turned off', async () => {
    const db = createApiDb({ url: fx.apiDbUrl });
    try {
      await assert.rejects(db.query("UPDATE datanet SET name = 'x' WHERE id = '1'"), /read-only transaction/);
    } finally {
      await db.close();
    }
    await withClient(fx.apiDbUrl, async (c) => {
      await c.query('SET default_transaction_read_only = off');
      await assert.rejects(
        c.query("UPDATE datanet SET name = 'x' WHERE id = '1'"),
        /permission denied for table datanet/,
      );
      await assert.rejects(c.query('DELETE FROM account'), /permission denied for table account/);
      await assert.rejects(c.query('TRUNCATE epoch'), /permission denied for table epoch/);
      await assert.rejects(c.query('CREATE TABLE sneaky (id int)'), /permission denied for schema public/);
      await assert.rejects(c.query('ALTER TABLE datanet ADD COLUMN x int'), /must be owner of table datanet/);
      const [{ name }] = (await c.query("SELECT name FROM datanet WHERE id = '1'")).rows;
      assert.equal(name, fx.seed.datanets[0].name);
    });
  });

  test("the processor's state schema is not readable by api; _meta gets its head through processed_head()", async () => {
    await fx.ds.query('CREATE SCHEMA squid_processor');
    await fx.ds.query('CREATE TABLE squid_processor.status (id int4 primary key, height int4 not null, hash text)');
    await fx.ds.query("INSERT INTO squid_processor.status VALUES (0, 450, '0xfeed')");
    const [head] = await fx.ds.query("SELECT * FROM indexer_status WHERE id = 'head'");
    await fx.ds.query("DELETE FROM indexer_status WHERE id = 'head'");
    try {
      await withClient(fx.apiDbUrl, async (c) => {
        await assert.rejects(
          c.query('SELECT * FROM squid_processor.status'),
          /permission denied for schema squid_processor/,
        );
      });
      await withClient(fx.apiDbUrl, async (c) => {
        const { rows } = await c.query('SELECT height, hash FROM processed_head()');
        assert.deepEqual(rows, [{ height: 450, hash: '0xfeed' }]);
      });
      const res = await fx.gql('{ _meta { indexedHeight indexedHash } }');
      assert.deepEqual(res, { data: { _meta: { indexedHeight: 450, indexedHash: '0xfeed' } } });
    } finally {
      await fx.ds.query('DROP SCHEMA squid_processor CASCADE');
      await fx.ds.query(
        'INSERT INTO indexer_status (id, height, hash, timestamp, event_count) VALUES ($1, $2, $3, $4, $5)',
        [head.id, head.height, head.hash, head.timestamp, head.event_count],
      );
    }
  });

  test('the API server answers queries logged in as api', async () => {
    const res = await fx.gql(
      '{ datanets { totalCount } contributor(address: "0x0000000000000000000000000000000000000000") { address } }',
    );
    assert.deepEqual(res, { data: { datanets: { totalCount: 3 }, contributor: null } });
    const users: { usename: string }[] = await fx.ds.query(
      "SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'openledger-api'",
    );
    assert.deepEqual(
      users.map((u) => u.usename),
      ['api'],
    );
  });
});

describe('resolveApiDatabaseLogin', () => {
  test('API_DB_URL wins over everything', async () => {
    const login = await resolveApiDatabaseLogin({ url: fx.dbUrl, env: { API_DB_URL: 'postgres://me:pw@db:5432/x' } });
    assert.deepEqual(login, { url: 'postgres://me:pw@db:5432/x', via: 'API_DB_URL' });
  });

  test('the role when it exists: same server and database, user api, password API_DB_PASSWORD or api', async () => {
    const login = await resolveApiDatabaseLogin({ url: fx.dbUrl, env: {} });
    const owner = new URL(fx.dbUrl);
    const url = new URL(login.url);
    assert.equal(login.via, 'role');
    assert.deepEqual([url.username, url.password, url.host, url.pathname], ['api', 'api', owner.host, owner.pathname]);
  });

  test('a wrong API_DB_PASSWORD is an error that says what to set', async () => {
    await assert.rejects(
      resolveApiDatabaseLogin({ url: fx.dbUrl, env: { API_DB_PASSWORD: 'wrong' } }),
      /could not log in as role api: set API_DB_PASSWORD to its password .* or set API_DB_URL/,
    );
  });

  test('without a role that can log in, the URL as given, with a warning', async () => {
    await fx.ds.query('ALTER ROLE api NOLOGIN');
    const warnings: string[] = [];
    const log: ApiLogger = (level, entry) => warnings.push(`${level}: ${entry.msg}`);
    try {
      const login = await resolveApiDatabaseLogin({ url: fx.dbUrl, env: {}, log });
      assert.deepEqual(login, { url: fx.dbUrl, via: 'owner' });
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0],
        /^warn: role api does not exist .* the API connects as postgres, in read-only transactions$/,
      );
    } finally {
      await fx.ds.query('ALTER ROLE api LOGIN');
    }
  });
});

describe('wipe and migrate again (npm start on a fresh devnet, npm run db:reset)', () => {
  test('the role survives and reads the re-created tables', async () => {
    await fx.ds.destroy();
    await wipeIndexedData(fx.dbUrl);
    const applied = await runMigrations(fx.dbUrl);
    assert.ok(applied.includes('ApiRole1795338600000'), applied.join());
    await withClient(fx.apiDbUrl, async (c) => {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM datanet');
      assert.deepEqual(rows, [{ n: 0 }]);
      await c.query('SET default_transaction_read_only = off');
      await assert.rejects(c.query("INSERT INTO anomaly (id) VALUES ('x')"), /permission denied for table anomaly/);
    });
    await fx.ds.initialize(); // for the fixture's close()
  });
});
