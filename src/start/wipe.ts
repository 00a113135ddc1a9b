import { Client } from 'pg';
import { PROCESSOR_STATE_SCHEMA } from '../store/dataSource';
import { StartError } from './errors';

/** How long the wipe waits for locks held by other sessions before giving up. */
const LOCK_TIMEOUT = '10s';

/**
 * Drops everything the indexer stored (schema `public` with the migrations table, the `analytics` views
 * over it, and the processor's state schema) and recreates an empty `public`: a restarted devnet is a
 * new chain. Migrations run next (and recreate `analytics`). Roles are cluster-wide and stay.
 */
export async function wipeIndexedData(dbUrl: string): Promise<void> {
  const client = new Client({ connectionString: dbUrl, application_name: 'openledger-start-wipe' });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    await client.query('BEGIN');
    await client.query(`DROP SCHEMA IF EXISTS "${PROCESSOR_STATE_SCHEMA}" CASCADE`);
    await client.query('DROP SCHEMA IF EXISTS analytics CASCADE');
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
    await client.query('GRANT USAGE ON SCHEMA public TO PUBLIC');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    if ((err as { code?: string }).code === '55P03') {
      throw new StartError(
        'cannot wipe the indexed data: another session holds locks on it (a previous npm start or processor still running?)\n' +
          '  stop it and retry',
        { cause: err },
      );
    }
    throw err;
  } finally {
    await client.end();
  }
}
