/**
 * `npm run api`: serves the GraphQL API over DB_URL (or the embedded database) until SIGTERM/SIGINT,
 * then stops gracefully: exit 0 once the requests in flight have finished and the pool is closed,
 * 1 when SHUTDOWN_TIMEOUT_MS cut some. Logs are JSON lines (LOG_LEVEL).
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { readShutdownTimeoutMs } from '../config/env';
import { resolveDatabase } from '../db/resolve';
import { createJsonLogger, readLogLevel } from '../util/log';
import { DEFAULT_READY_MAX_LAG_BLOCKS } from './health';
import { resolveApiDatabaseLogin } from './dbRole';
import { readApiLimits } from './limits';
import { createApiServer, type ApiServer } from './server';

/** Extra time after SHUTDOWN_TIMEOUT_MS for closing the pool and the embedded database before a forced exit. */
const EXIT_GRACE_MS = 5_000;

function intEnv(name: string, fallback: number): number;
function intEnv(name: string, fallback?: number): number | undefined;
function intEnv(name: string, fallback?: number): number | undefined {
  const value = process.env[name];
  if (value == null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${value}")`);
  return n;
}

async function main(): Promise<void> {
  const log = createJsonLogger({ level: readLogLevel() });
  // SQD Cloud tells the API its port in GRAPHQL_SERVER_PORT.
  const port = intEnv('GRAPHQL_PORT') ?? intEnv('GRAPHQL_SERVER_PORT', 4350);
  const metricsPort = intEnv('API_METRICS_PORT');
  const finalityConfirmations = intEnv('FINALITY_CONFIRMATIONS', 0);
  const readyMaxLagBlocks = intEnv('READY_MAX_LAG_BLOCKS', DEFAULT_READY_MAX_LAG_BLOCKS);
  const shutdownTimeoutMs = readShutdownTimeoutMs();
  const limits = readApiLimits(process.env);
  const metricsRegistry = new Registry();
  collectDefaultMetrics({ register: metricsRegistry });
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
      metricsRegistry,
      metricsPort,
    });
  } catch (err) {
    await db.stop();
    throw err;
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    log('info', { msg: 'API stopping', signal, timeout_ms: shutdownTimeoutMs });
    setTimeout(() => {
      log('error', { msg: 'API did not stop in time: exiting', timeout_ms: shutdownTimeoutMs + EXIT_GRACE_MS });
      process.exit(1);
    }, shutdownTimeoutMs + EXIT_GRACE_MS).unref();
    api
      .close({ timeoutMs: shutdownTimeoutMs })
      .then(async (result) => {
        await db.stop();
        log(result.drained ? 'info' : 'warn', {
          msg: 'API stopped',
          signal,
          drained: result.drained,
          cut_requests: result.cut,
          duration_ms: Date.now() - started,
        });
        process.exit(result.drained ? 0 : 1);
      })
      .catch((err) => {
        log('error', { msg: 'API shutdown failed', err });
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  createJsonLogger()('fatal', { msg: 'API failed to start', err, cause: err?.cause?.message });
  process.exit(1);
});
