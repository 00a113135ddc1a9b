/**
 * The two read-only roles, proven against a migrated, seeded database: `analyst` reads the analytics
 * views only, `api` reads the indexed tables only; neither writes; a runaway query is cancelled by the
 * statement timeout; the Analytics migration's settings come from its env variables and its down
 * migration removes the schema, the role and every grant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { createApiDb } from '../api/db';
import { setupApiFixture, type ApiFixture } from '../api/test-fixtures';
import { wipeIndexedData } from '../start/wipe';
import { runMigrations } from '../store/dataSource';
import { ANALYST_DB_ROLE, resolveAnalystDatabaseLogin } from './login';

let fx: ApiFixture;
let analystUrl: string;
before(async () => {
  fx = await setupApiFixture();
  analystUrl = await resolveAnalystDatabaseLogin({ url: fx.dbUrl, env: {} });
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

/** The views of `analytics` and the tables of `public`, as the owner sees them. */
async function relations(): Promise<{ views: string[]; tables: string[] }> {
  const rows: { schema: string; name: string }[] = await fx.ds.query(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE (n.nspname = 'analytics' AND c.relkind = 'v') OR (n.nspname = 'public' AND c.relkind = 'r') ORDER BY 2`,
  );
  return {
    views: rows.filter((r) => r.schema === 'analytics').map((r) => r.name),
    tables: rows.filter((r) => r.schema === 'public').map((r) => r.name),
  };
}

/** The privileges `role` holds on each relation of `schema` (SELECT, INSERT, …). */
async function privileges(role: string, schema: string, names: string[]): Promise<Record<string, string[]>> {
  const rows: { t: string; p: string[] }[] = await fx.ds.query(
    `SELECT t, array_remove(ARRAY[
              CASE WHEN has_table_privilege($1, quote_ident($2) || '.' || quote_ident(t), 'SELECT') THEN 'SELECT' END,
              CASE WHEN has_table_privilege($1, quote_ident($2) || '.' || quote_ident(t), 'INSERT') THEN 'INSERT' END,
              CASE WHEN has_table_privilege($1, quote_ident($2) || '.' || quote_ident(t), 'UPDATE') THEN 'UPDATE' END,
              CASE WHEN has_table_privilege($1, quote_ident($2) || '.' || quote_ident(t), 'DELETE') THEN 'DELETE' END,
              CASE WHEN has_table_privilege($1, quote_ident($2) || '.' || quote_ident(t), 'TRUNCATE') THEN 'TRUNCATE' END
            ], NULL) AS p
       FROM unnest($3::text[]) AS t`,
    [role, schema, names],
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.p]));
}

/** A query over the views that would run for hours. */
const RUNAWAY =
  'SELECT count(*) FROM analytics.contributions a, analytics.contributions b, analytics.contributions c, generate_series(1, 1000000) g';

describe('the analyst role', () => {
  test('the migration creates it: a login, no superuser, no CREATEROLE/CREATEDB, and its session settings', async () => {
    const [role] = await fx.ds.query(
      `SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
              (SELECT setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS settings
         FROM pg_roles r WHERE rolname = $1`,
      [ANALYST_DB_ROLE],
    );
    assert.deepEqual(role, {
      rolcanlogin: true,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      settings: [
        'statement_timeout=30000',
        'default_transaction_read_only=on',
        'search_path=analytics',
        'TimeZone=UTC',
      ],
    });
    const url = new URL(analystUrl);
    assert.deepEqual([url.username, url.password], ['analyst', 'analyst']);
  });

  test('it may SELECT every analytics view and nothing else; it holds no privilege on any table of public', async () => {
    const { views, tables } = await relations();
    assert.ok(views.length >= 30 && tables.length >= 25, `${views.length} views, ${tables.length} tables`);
    const onViews = await privileges(ANALYST_DB_ROLE, 'analytics', views);
    assert.deepEqual(
      Object.entries(onViews).filter(([, p]) => p.join() !== 'SELECT'),
      [],
    );
    const onTables = await privileges(ANALYST_DB_ROLE, 'public', tables);
    assert.deepEqual(
      Object.entries(onTables).filter(([, p]) => p.length > 0),
      [],
    );
    const [schemas] = await fx.ds.query(
      `SELECT has_schema_privilege('analyst', 'analytics', 'USAGE') AS usage,
              has_schema_privilege('analyst', 'analytics', 'CREATE') AS create_analytics,
              has_schema_privilege('analyst', 'public', 'CREATE') AS create_public`,
    );
    assert.deepEqual(schemas, { usage: true, create_analytics: false, create_public: false });
  });

  test('it reads the indexed data through the views (search_path analytics, UTC)', async () => {
    await withClient(analystUrl, async (c) => {
      const { rows } = await c.query("SELECT count(*)::int AS n, current_setting('TimeZone') AS tz FROM contributions");
      assert.deepEqual(rows, [{ n: fx.seed.contributions.length, tz: 'UTC' }]);
      const names = (await c.query('SELECT name FROM analytics.datanets ORDER BY datanet_id')).rows.map((r) => r.name);
      assert.deepEqual(
        names,
        [...fx.seed.datanets].sort((a, b) => (a.datanetId < b.datanetId ? -1 : 1)).map((d) => d.name),
      );
      const [head] = (await c.query('SELECT block_number, event_count FROM indexer_head')).rows;
      assert.equal(head.event_count, fx.seed.indexerStatus.eventCount.toString());
    });
  });

  test("a read outside analytics fails: the tables of public, the processor's state schema", async () => {
    await fx.ds.query('CREATE SCHEMA squid_processor');
    await fx.ds.query('CREATE TABLE squid_processor.status (id int4 primary key, height int4 not null, hash text)');
    try {
      await withClient(analystUrl, async (c) => {
        await assert.rejects(c.query('SELECT * FROM public.contribution'), /permission denied for table contribution/);
        await assert.rejects(c.query('SELECT id FROM public.account LIMIT 1'), /permission denied for table account/);
        await assert.rejects(c.query('SELECT * FROM contribution'), /relation "contribution" does not exist/);
        await assert.rejects(
          c.query('SELECT * FROM squid_processor.status'),
          /permission denied for schema squid_processor/,
        );
      });
    } finally {
      await fx.ds.query('DROP SCHEMA squid_processor CASCADE');
    }
  });

  test('a write fails: read-only sessions, and without them no privilege to write a view, a table or a schema', async () => {
    await withClient(analystUrl, async (c) => {
      assert.deepEqual((await c.query('SHOW default_transaction_read_only')).rows, [
        { default_transaction_read_only: 'on' },
      ]);
      await assert.rejects(
        c.query("UPDATE public.datanet SET name = 'x'"),
        /cannot execute UPDATE in a read-only transaction/,
      );
      await assert.rejects(c.query('CREATE TEMP TABLE t (x int)'), /cannot execute CREATE TABLE in a read-only/);
      await c.query('SET default_transaction_read_only = off');
      // Simple views are updatable: only the missing privilege stops a write through them.
      await assert.rejects(
        c.query("UPDATE analytics.datanets SET name = 'x' WHERE datanet_id = 1"),
        /permission denied for view datanets/,
      );
      await assert.rejects(c.query('DELETE FROM analytics.claims'), /permission denied for view claims/);
      await assert.rejects(
        c.query("INSERT INTO public.anomaly (id) VALUES ('x')"),
        /permission denied for table anomaly/,
      );
      await assert.rejects(c.query('CREATE VIEW analytics.mine AS SELECT 1'), /permission denied for schema analytics/);
      await assert.rejects(c.query('CREATE TABLE public.mine (x int)'), /permission denied for schema public/);
      await assert.rejects(c.query('DROP VIEW analytics.datanets'), /must be owner of view datanets/);
    });
    const [{ name }] = await fx.ds.query("SELECT name FROM datanet WHERE id = '1'");
    assert.equal(name, fx.seed.datanets[0].name);
  });

  test('its statement timeout is the role default (30s), and a runaway query is cancelled by it', async () => {
    await withClient(analystUrl, async (c) => {
      assert.deepEqual((await c.query('SHOW statement_timeout')).rows, [{ statement_timeout: '30s' }]);
    });
    // The role's own setting, shortened for the test: no SET in the analyst's session.
    await fx.ds.query('ALTER ROLE analyst SET statement_timeout = 300');
    try {
      await withClient(analystUrl, async (c) => {
        assert.deepEqual((await c.query('SHOW statement_timeout')).rows, [{ statement_timeout: '300ms' }]);
        const t0 = Date.now();
        await assert.rejects(c.query(RUNAWAY), (err: { code?: string; message: string }) => {
          assert.equal(err.code, '57014');
          assert.match(err.message, /canceling statement due to statement timeout/);
          return true;
        });
        const ms = Date.now() - t0;
        assert.ok(ms >= 250 && ms < 10_000, `cancelled after ${ms} ms`);
        // The session goes on.
        assert.deepEqual((await c.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
      });
    } finally {
      await fx.ds.query('ALTER ROLE analyst SET statement_timeout = 30000');
    }
  });
});

describe('the api role', () => {
  test('it reads the indexed tables but not the analytics schema', async () => {
    await withClient(fx.apiDbUrl, async (c) => {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM contribution');
      assert.deepEqual(rows, [{ n: fx.seed.contributions.length }]);
      await assert.rejects(c.query('SELECT * FROM analytics.datanets'), /permission denied for schema analytics/);
    });
  });

  test('a write fails', async () => {
    await withClient(fx.apiDbUrl, async (c) => {
      await assert.rejects(
        c.query("UPDATE datanet SET name = 'x'"),
        /cannot execute UPDATE in a read-only transaction/,
      );
      await c.query('SET default_transaction_read_only = off');
      await assert.rejects(c.query("UPDATE datanet SET name = 'x'"), /permission denied for table datanet/);
    });
  });

  test("a runaway query is cancelled by the API's statement timeout", async () => {
    const db = createApiDb({ url: fx.apiDbUrl, statementTimeoutMs: 300 });
    try {
      await assert.rejects(
        db.query('SELECT count(*) FROM contribution a, contribution b, contribution c, generate_series(1, 1000000) g'),
        (err: { code?: string }) => err.code === '57014',
      );
    } finally {
      await db.close();
    }
  });
});

describe('the Analytics migration', () => {
  const env = (vars: Record<string, string | undefined>) => {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    return () => {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    };
  };

  test('down removes the schema, the role and its grants; up again takes ANALYST_DB_PASSWORD and ANALYST_STATEMENT_TIMEOUT_MS', async () => {
    // Undo the migrations after Analytics (none of them depends on it), then Analytics itself.
    const latest = async () =>
      ((await fx.ds.query('SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1')) as { name: string }[])[0]
        ?.name;
    const later: string[] = [];
    for (let name = await latest(); name !== 'Analytics1795339000000'; name = await latest()) {
      assert.ok(name && later.length < 20, `Analytics not among the applied migrations (latest: ${name})`);
      later.push(name);
      await fx.ds.undoLastMigration({ transaction: 'each' });
    }
    await fx.ds.undoLastMigration({ transaction: 'each' });
    const [left] = await fx.ds.query(
      `SELECT (SELECT count(*)::int FROM pg_namespace WHERE nspname = 'analytics') AS schemas,
              (SELECT count(*)::int FROM pg_roles WHERE rolname = 'analyst') AS roles,
              (SELECT count(*)::int FROM pg_default_acl a JOIN pg_namespace n ON n.oid = a.defaclnamespace
                WHERE n.nspname = 'analytics') AS default_acls,
              (SELECT proacl::text FROM pg_proc WHERE proname = 'processed_head') AS function_acl`,
    );
    assert.deepEqual(
      { ...left, function_acl: /analyst/.test(left.function_acl) },
      {
        schemas: 0,
        roles: 0,
        default_acls: 0,
        function_acl: false,
      },
    );

    const restore = env({ ANALYST_STATEMENT_TIMEOUT_MS: 'soon', ANALYST_DB_PASSWORD: 's3cr3t' });
    try {
      await assert.rejects(
        runMigrations(fx.dbUrl),
        /ANALYST_STATEMENT_TIMEOUT_MS must be a positive integer of milliseconds \(got "soon"\)/,
      );
      process.env.ANALYST_STATEMENT_TIMEOUT_MS = '1234';
      assert.deepEqual(await runMigrations(fx.dbUrl), ['Analytics1795339000000', ...later.reverse()]);
    } finally {
      restore();
    }
    await assert.rejects(
      resolveAnalystDatabaseLogin({ url: fx.dbUrl, env: {} }),
      /could not log in as role analyst: set ANALYST_DB_PASSWORD/,
    );
    const url = await resolveAnalystDatabaseLogin({ url: fx.dbUrl, env: { ANALYST_DB_PASSWORD: 's3cr3t' } });
    await withClient(url, async (c) => {
      assert.deepEqual((await c.query('SHOW statement_timeout')).rows, [{ statement_timeout: '1234ms' }]);
      const { rows } = await c.query('SELECT count(*)::int AS n FROM contributions');
      assert.deepEqual(rows, [{ n: fx.seed.contributions.length }]);
    });
    // Back to the defaults for the tests below.
    await fx.ds.query("ALTER ROLE analyst PASSWORD 'analyst'");
    await fx.ds.query('ALTER ROLE analyst SET statement_timeout = 30000');
  });

  test('a database wiped and migrated again (npm start on a new devnet, db:reset) gets its views back, readable by analyst', async () => {
    await fx.ds.destroy();
    try {
      await wipeIndexedData(fx.dbUrl);
      assert.ok((await runMigrations(fx.dbUrl)).includes('Analytics1795339000000'));
      await withClient(analystUrl, async (c) => {
        const { rows } = await c.query('SELECT count(*)::int AS n FROM contributions');
        assert.deepEqual(rows, [{ n: 0 }]);
        assert.deepEqual((await c.query('SELECT block_number FROM indexer_head')).rows, [{ block_number: null }]);
      });
    } finally {
      await fx.ds.initialize(); // for the fixture's close()
    }
  });
});

describe('resolveAnalystDatabaseLogin', () => {
  test('without the role it says to migrate or set ANALYST_DB_URL', async () => {
    await fx.ds.query('ALTER ROLE analyst NOLOGIN');
    try {
      await assert.rejects(
        resolveAnalystDatabaseLogin({ url: fx.dbUrl, env: {} }),
        /role analyst does not exist or cannot log in: run the migrations .* or set ANALYST_DB_URL/,
      );
    } finally {
      await fx.ds.query('ALTER ROLE analyst LOGIN');
    }
  });
});
