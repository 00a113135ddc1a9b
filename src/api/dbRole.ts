import { Client } from 'pg';
import { silentLogger, type ApiLogger } from './log';

/** The read-only role the migrations create for the API (migrations/1795338600000-ApiRole.js). */
export const API_DB_ROLE = 'api';
/** Its password when API_DB_PASSWORD is not set: meant for the embedded, loopback-only database. */
export const DEFAULT_API_DB_PASSWORD = 'api';

/** How the API logs in to Postgres. */
export interface ApiDatabaseLogin {
  /** postgres:// URL the API's pool uses. */
  url: string;
  /** `API_DB_URL` as given; the `api` role on the indexer's database; or the indexer's own URL (no role). */
  via: 'API_DB_URL' | 'role' | 'owner';
}

/** Parameters of {@link resolveApiDatabaseLogin}. */
export interface ResolveApiDatabaseLoginParameters {
  /** URL of the indexer's database (DB_URL or the embedded cluster's), used to look the role up. */
  url: string;
  /** Reads API_DB_URL and API_DB_PASSWORD (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: ApiLogger;
}

/**
 * Picks the API's login: `API_DB_URL` when set; else the `api` role (password API_DB_PASSWORD,
 * default `api`) on the same server and database when the migrations created it, checked by
 * logging in once; else the indexer's own URL, with a warning (the API still runs read-only
 * transactions). A role whose password does not match is an error that says what to set.
 */
export async function resolveApiDatabaseLogin({
  url,
  env = process.env,
  log = silentLogger,
}: ResolveApiDatabaseLoginParameters): Promise<ApiDatabaseLogin> {
  const override = env.API_DB_URL?.trim();
  if (override) return { url: override, via: 'API_DB_URL' };
  const owner = new Client({ connectionString: url, application_name: 'openledger-api-login' });
  await owner.connect();
  let exists: boolean;
  try {
    const { rowCount } = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin', [API_DB_ROLE]);
    exists = (rowCount ?? 0) > 0;
  } finally {
    await owner.end();
  }
  if (!exists) {
    const user = new URL(url).username || 'the URL user';
    log('warn', {
      msg: `role ${API_DB_ROLE} does not exist (run the migrations as a user with CREATEROLE, or set API_DB_URL): the API connects as ${user}, in read-only transactions`,
    });
    return { url, via: 'owner' };
  }
  const roleUrl = new URL(url);
  roleUrl.username = API_DB_ROLE;
  roleUrl.password = env.API_DB_PASSWORD || DEFAULT_API_DB_PASSWORD;
  const probe = new Client({ connectionString: roleUrl.toString(), application_name: 'openledger-api-login' });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `the API could not log in as role ${API_DB_ROLE}: set API_DB_PASSWORD to its password ` +
        `(the one the migrations were run with, or ALTER ROLE ${API_DB_ROLE} PASSWORD '…'), or set API_DB_URL`,
      { cause: err },
    );
  } finally {
    await probe.end().catch(() => {});
  }
  return { url: roleUrl.toString(), via: 'role' };
}
