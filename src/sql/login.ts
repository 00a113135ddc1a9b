import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { embeddedClusterUrl, findRunningCluster, startEmbeddedPostgres } from '../db/embedded';
import { databaseUrlFromEnv, embeddedLocation } from '../db/resolve';

/** The read-only role the migrations create for analysts (migrations/1795339000000-Analytics.js). */
export const ANALYST_DB_ROLE = 'analyst';
/** Its password when ANALYST_DB_PASSWORD is not set: meant for the embedded, loopback-only database. */
export const DEFAULT_ANALYST_DB_PASSWORD = 'analyst';

/** Parameters of {@link resolveAnalystDatabaseLogin}. */
export interface ResolveAnalystDatabaseLoginParameters {
  /** The owner's URL of the indexer's database (DB_URL or the embedded cluster's): the role is looked up there. */
  url: string;
  /** Reads ANALYST_DB_PASSWORD (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The analyst's URL on the same server and database as `url`: user `analyst`, password
 * ANALYST_DB_PASSWORD (default `analyst`), checked by logging in once. A missing role or a wrong
 * password is an error that says what to do.
 */
export async function resolveAnalystDatabaseLogin({
  url,
  env = process.env,
}: ResolveAnalystDatabaseLoginParameters): Promise<string> {
  const owner = new Client({ connectionString: url, application_name: 'openledger-sql-login' });
  await owner.connect();
  let exists: boolean;
  try {
    const { rowCount } = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin', [
      ANALYST_DB_ROLE,
    ]);
    exists = (rowCount ?? 0) > 0;
  } finally {
    await owner.end();
  }
  if (!exists) {
    throw new Error(
      `role ${ANALYST_DB_ROLE} does not exist or cannot log in: run the migrations (npm run migrate) as a user with ` +
        'CREATEROLE, or set ANALYST_DB_URL to a login that reads the analytics schema',
    );
  }
  const roleUrl = new URL(url);
  roleUrl.username = ANALYST_DB_ROLE;
  roleUrl.password = env.ANALYST_DB_PASSWORD || DEFAULT_ANALYST_DB_PASSWORD;
  const probe = new Client({ connectionString: roleUrl.toString(), application_name: 'openledger-sql-login' });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `could not log in as role ${ANALYST_DB_ROLE}: set ANALYST_DB_PASSWORD to its password ` +
        `(the one the migrations were run with, or ALTER ROLE ${ANALYST_DB_ROLE} PASSWORD '…'), or set ANALYST_DB_URL`,
      { cause: err },
    );
  } finally {
    await probe.end().catch(() => {});
  }
  return roleUrl.toString();
}

/** Where `npm run sql` connects, and how it got there. */
export interface SqlTarget {
  /** The analyst's postgres:// URL. */
  url: string;
  /** `ANALYST_DB_URL` as given; the role on DB_URL's database; or the role on the embedded database. */
  via: 'ANALYST_DB_URL' | 'DB_URL' | 'embedded';
  /** What was done to get there, for the user (e.g. the embedded database was started). */
  notes: string[];
  /** Stops what was started for the session (the embedded database when it was not running). */
  stop(): Promise<void>;
}

/** A path for display: relative to the working directory when inside it. */
const displayPath = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};

/**
 * Finds the analyst's database: ANALYST_DB_URL when set; else the role on DB_URL's database; else the
 * embedded database `npm start` uses (EMBEDDED_PG_DIR, EMBEDDED_PG_PORT): the running one, or, when
 * none runs, started for the session (and stopped by `stop()`).
 */
export async function resolveSqlTarget(env: NodeJS.ProcessEnv = process.env): Promise<SqlTarget> {
  const none = async () => {};
  const direct = env.ANALYST_DB_URL?.trim();
  if (direct) return { url: direct, via: 'ANALYST_DB_URL', notes: [], stop: none };
  const owner = databaseUrlFromEnv(env);
  if (owner) {
    return { url: await resolveAnalystDatabaseLogin({ url: owner, env }), via: 'DB_URL', notes: [], stop: none };
  }
  const { dataDir, port } = embeddedLocation(env);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(
      `no embedded database in ${displayPath(dataDir)}: run npm start (or npm run migrate) first, or set DB_URL or ANALYST_DB_URL`,
    );
  }
  const running = findRunningCluster(dataDir);
  if (running) {
    const url = await resolveAnalystDatabaseLogin({ url: embeddedClusterUrl(running.port), env });
    return {
      url,
      via: 'embedded',
      notes: [`using the running embedded database (${displayPath(dataDir)}, port ${running.port})`],
      stop: none,
    };
  }
  const pg = await startEmbeddedPostgres({ dataDir, port });
  try {
    const url = await resolveAnalystDatabaseLogin({ url: pg.url, env });
    return {
      url,
      via: 'embedded',
      notes: [
        `the embedded database was not running: started it (${displayPath(dataDir)}, port ${pg.port}); it stops when this session ends`,
      ],
      stop: () => pg.stop(),
    };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}
