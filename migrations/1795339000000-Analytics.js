// The `analytics` schema (version 1 of the SQL contract, views in ./analytics/v1.js) and the login
// role `analyst` that reads it and nothing else.
//
// Views run with their owner's rights (the migrating user), so `analyst` reads the indexed tables only
// through them: it gets USAGE on `analytics`, SELECT on its views (and, through default privileges, on
// the views later migrations add there), EXECUTE on processed_head() (used by analytics.indexer_head),
// and nothing on `public`'s tables or the processor's state schema. Its sessions start read-only, in
// UTC, with `search_path = analytics` and a statement timeout (ANALYST_STATEMENT_TIMEOUT_MS at
// migration time, default 30000; a session may still SET a shorter or longer one).
//
// Like the `api` role (1795338600000-ApiRole.js): the password is ANALYST_DB_PASSWORD at migration
// time (default `analyst`, meant for the embedded, loopback-only database); a role that already exists
// keeps its password (ALTER ROLE analyst PASSWORD '…'); a migrating user without CREATEROLE creates the
// views but not the role, with a notice (set ANALYST_DB_URL to a login you manage).

const { SCHEMA_COMMENT, VIEWS } = require('./analytics/v1');

const SCHEMA = 'analytics';
const ROLE = 'analyst';
const DEFAULT_PASSWORD = 'analyst';
const DEFAULT_STATEMENT_TIMEOUT_MS = 30000;

/** A SQL string literal (standard_conforming_strings is on since Postgres 9.1). */
const literal = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** ANALYST_STATEMENT_TIMEOUT_MS, checked: a positive integer of milliseconds. */
function statementTimeoutMs(env = process.env) {
  const raw = env.ANALYST_STATEMENT_TIMEOUT_MS;
  if (raw == null || raw.trim() === '') return DEFAULT_STATEMENT_TIMEOUT_MS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 2147483647) {
    throw new Error(`ANALYST_STATEMENT_TIMEOUT_MS must be a positive integer of milliseconds (got "${raw}")`);
  }
  return n;
}

module.exports = class Analytics1795339000000 {
  name = 'Analytics1795339000000';

  async up(db) {
    const timeoutMs = statementTimeoutMs();
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await db.query(`COMMENT ON SCHEMA ${SCHEMA} IS ${literal(SCHEMA_COMMENT)}`);
    for (const view of VIEWS) {
      const select = view.columns.map((c) => `${c.expr} AS ${c.name}`).join(',\n       ');
      await db.query(`CREATE VIEW ${SCHEMA}.${view.name} AS\nSELECT ${select}\n  FROM ${view.from}`);
      await db.query(`COMMENT ON VIEW ${SCHEMA}.${view.name} IS ${literal(view.comment)}`);
      for (const c of view.columns) {
        await db.query(`COMMENT ON COLUMN ${SCHEMA}.${view.name}.${c.name} IS ${literal(c.comment)}`);
      }
    }

    const [me] = await db.query(
      `SELECT r.rolsuper OR r.rolcreaterole AS can_create_roles,
              r.rolsuper OR d.datdba = r.oid AS owns_database, current_database() AS database
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    const [existing] = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ROLE]);
    if (!existing) {
      if (!me.can_create_roles) {
        await db.query(
          `DO $$ BEGIN RAISE NOTICE 'role ${ROLE} not created: % lacks CREATEROLE; set ANALYST_DB_URL for npm run sql', current_user; END $$`,
        );
        return;
      }
      const password = process.env.ANALYST_DB_PASSWORD || DEFAULT_PASSWORD;
      await db.query(
        `CREATE ROLE ${ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(password)}`,
      );
    }
    if (me.can_create_roles) {
      await db.query(`ALTER ROLE ${ROLE} SET statement_timeout = ${timeoutMs}`);
      await db.query(`ALTER ROLE ${ROLE} SET default_transaction_read_only = on`);
      await db.query(`ALTER ROLE ${ROLE} SET search_path = ${SCHEMA}`);
      await db.query(`ALTER ROLE ${ROLE} SET timezone = 'UTC'`);
    }
    if (me.owns_database) {
      await db.query(`GRANT CONNECT ON DATABASE "${me.database.replace(/"/g, '""')}" TO ${ROLE}`);
    }
    await db.query(`GRANT USAGE ON SCHEMA ${SCHEMA} TO ${ROLE}`);
    await db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${SCHEMA} TO ${ROLE}`);
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${SCHEMA} GRANT SELECT ON TABLES TO ${ROLE}`);
    // A view's functions run with the caller's rights: analytics.indexer_head calls processed_head().
    await db.query(`GRANT EXECUTE ON FUNCTION public.processed_head() TO ${ROLE}`);
  }

  async down(db) {
    const [existing] = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ROLE]);
    if (existing) {
      await db.query(`REVOKE EXECUTE ON FUNCTION public.processed_head() FROM ${ROLE}`);
      await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${SCHEMA} REVOKE SELECT ON TABLES FROM ${ROLE}`);
    }
    for (const view of [...VIEWS].reverse()) await db.query(`DROP VIEW IF EXISTS ${SCHEMA}.${view.name}`);
    await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA}`);
    if (!existing) return;
    const [{ database }] = await db.query('SELECT current_database() AS database');
    await db.query(`REVOKE CONNECT ON DATABASE "${database.replace(/"/g, '""')}" FROM ${ROLE}`);
    // The role is cluster-wide: it stays while another database still grants it something.
    const [{ elsewhere }] = await db.query(
      `SELECT count(*)::int AS elsewhere FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid
        WHERE r.rolname = $1 AND d.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [ROLE],
    );
    if (elsewhere === 0) await db.query(`DROP ROLE ${ROLE}`);
  }
};
