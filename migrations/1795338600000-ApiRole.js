// The API's read-only database role. One login role per consumer, each granted USAGE and SELECT on
// exactly the schemas it serves, and nothing else: `api` reads the indexed tables in `public` (and
// the ones later migrations add there, through default privileges) but cannot write them, create
// objects, or read the processor's state schema (`squid_processor`, never granted). An `analyst`
// role later gets the same treatment for its own `analytics` schema only.
//
// The password is API_DB_PASSWORD at migration time (default `api`, meant for the embedded,
// loopback-only database; set your own anywhere else). A role that already exists keeps its
// password (rotate it with ALTER ROLE api PASSWORD '…'). A migrating user without CREATEROLE (some
// managed databases) skips this migration's work with a notice: the API then connects with its own
// URL (see src/api/dbRole.ts).

const ROLE = 'api';
const DEFAULT_PASSWORD = 'api';
const SCHEMAS = ['public'];

/** A SQL string literal (standard_conforming_strings is on since Postgres 9.1). */
const literal = (s) => `'${String(s).replace(/'/g, "''")}'`;

module.exports = class ApiRole1795338600000 {
  name = 'ApiRole1795338600000';

  async up(db) {
    const [me] = await db.query(
      `SELECT r.rolsuper OR r.rolcreaterole AS can_create_roles,
              r.rolsuper OR d.datdba = r.oid AS owns_database, current_database() AS database
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    const [existing] = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ROLE]);
    if (!existing) {
      if (!me.can_create_roles) {
        await db.query(
          `DO $$ BEGIN RAISE NOTICE 'role ${ROLE} not created: % lacks CREATEROLE; the API connects with its own URL', current_user; END $$`,
        );
        return;
      }
      const password = process.env.API_DB_PASSWORD || DEFAULT_PASSWORD;
      await db.query(
        `CREATE ROLE ${ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(password)}`,
      );
    }
    // Every session of the role starts read-only (the API asks for it too); privileges are the guard.
    if (me.can_create_roles) await db.query(`ALTER ROLE ${ROLE} SET default_transaction_read_only = on`);
    if (me.owns_database) {
      await db.query(`GRANT CONNECT ON DATABASE "${me.database.replace(/"/g, '""')}" TO ${ROLE}`);
    }
    // Postgres 15+ already refuses CREATE on public to PUBLIC; older servers granted it to everyone.
    await db.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    for (const schema of SCHEMAS) {
      await db.query(`GRANT USAGE ON SCHEMA ${schema} TO ${ROLE}`);
      await db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${ROLE}`);
      // Tables that later migrations create (as this same user) are readable too.
      await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${ROLE}`);
    }
  }

  async down(db) {
    const [existing] = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ROLE]);
    if (!existing) return;
    for (const schema of SCHEMAS) {
      await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE SELECT ON TABLES FROM ${ROLE}`);
      await db.query(`REVOKE SELECT ON ALL TABLES IN SCHEMA ${schema} FROM ${ROLE}`);
      await db.query(`REVOKE USAGE ON SCHEMA ${schema} FROM ${ROLE}`);
    }
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
