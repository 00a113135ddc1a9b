/** `npm run api`: serves the GraphQL API over DB_URL (or the embedded database) until SIGINT/SIGTERM. */
import { resolveDatabase } from '../db/resolve';
import { DEFAULT_READY_MAX_LAG_BLOCKS } from './health';
import { resolveApiDatabaseLogin } from './dbRole';
import { readApiLimits } from './limits';
import { jsonLineLogger as log } from './log';
import { createApiServer, type ApiServer } from './server';

function intEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value == null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${value}")`);
  return n;
}

async function main(): Promise<void> {
  const port = intEnv('GRAPHQL_PORT', 4350);
  const finalityConfirmations = intEnv('FINALITY_CONFIRMATIONS', 0);
  const readyMaxLagBlocks = intEnv('READY_MAX_LAG_BLOCKS', DEFAULT_READY_MAX_LAG_BLOCKS);
  const limits = readApiLimits(process.env);
  const db = await resolveDatabase();
  let api: ApiServer;
  try {
    const login = await resolveApiDatabaseLogin({ url: db.url, log });
    log('info', { msg: 'API database login', via: login.via, user: new URL(login.url).username });
    api = await createApiServer({
      dbUrl: login.url,
      limits,
      port,
      host: process.env.GRAPHQL_HOST || '0.0.0.0',
      rpcUrl: process.env.RPC_URL || undefined,
      finalityConfirmations,
      readyMaxLagBlocks,
      log,
    });
  } catch (err) {
    await db.stop();
    throw err;
  }
  process.stdout.write(`GraphQL API: ${api.url}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', { msg: 'shutting down', signal });
    api
      .close()
      .then(() => db.stop())
      .then(
        () => process.exit(0),
        (err) => {
          log('error', { msg: 'shutdown failed', error: String(err) });
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  const cause = err?.cause ? ` (${err.cause.message ?? err.cause})` : '';
  process.stderr.write(`api failed to start: ${err?.message ?? err}${cause}\n`);
  process.exit(1);
});
