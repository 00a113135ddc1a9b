import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import { createChainHeadSource } from './chainHead';
import type { ApiContext } from './context';
import { useArgumentNames } from './argumentErrors';
import { useBodyLimit } from './bodyLimit';
import { createApiDb, isStatementTimeout, type ApiDb } from './db';
import { createExportRoutes } from './export/routes';
import { createHealthRoutes, DEFAULT_READY_MAX_LAG_BLOCKS } from './health';
import { createLiveHub, type LiveHub } from './live/hub';
import { usePerEventContext } from './live/perEventContext';
import { createLimitPlugins, DEFAULT_API_LIMITS, limitExceeded, type ApiLimits } from './limits';
import { silentLogger, type ApiLogger } from './log';
import { schema } from './schema';

/** Parameters of {@link createApiServer}. */
export interface ApiServerParameters {
  /** postgres:// URL of the indexer database (a read-only role is enough). */
  dbUrl: string;
  /** TCP port (default 4350; 0 picks a free one). */
  port?: number;
  /** Interface to bind (default 0.0.0.0). */
  host?: string;
  /** JSON-RPC URL for `_meta.chainHead` (default: none, chainHead is null). */
  rpcUrl?: string;
  /** Blocks behind the head considered final, for `_meta.finalizedHeight` (default 0). */
  finalityConfirmations?: number;
  /** Request limits (default {@link DEFAULT_API_LIMITS}; `readApiLimits()` reads them from the environment). */
  limits?: Partial<ApiLimits>;
  /** Structured log sink (default: silent). */
  log?: ApiLogger;
  /** `/ready` answers 503 while the index is more than this many blocks behind the chain head (default 10). */
  readyMaxLagBlocks?: number;
  /** Called with every statement the API runs (tests and benchmarks count queries; default: none). */
  onQuery?: (text: string) => void;
}

/** A running API server. */
export interface ApiServer {
  /** `http://host:port/graphql` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  /** The live-update hub behind the subscriptions (its LISTEN connection and counters). */
  live: LiveHub;
  /** The server's database handle (tests read its pool's counts). */
  db: ApiDb;
  /** Stops accepting requests, closes open connections and the database pool. */
  close(): Promise<void>;
}

/**
 * Starts the GraphQL API (graphql-yoga on node:http, path /graphql, GraphiQL on, errors masked):
 * depth, alias, token, cost and body-size limits, and a statement timeout on every query; beside it
 * `/health`, `/ready` and the CSV exports under `/export/`.
 */
export async function createApiServer({
  dbUrl,
  port = 4350,
  host = '0.0.0.0',
  rpcUrl,
  finalityConfirmations = 0,
  limits: limitOverrides,
  log = silentLogger,
  readyMaxLagBlocks = DEFAULT_READY_MAX_LAG_BLOCKS,
  onQuery,
}: ApiServerParameters): Promise<ApiServer> {
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...limitOverrides };
  const db = createApiDb({ url: dbUrl, statementTimeoutMs: limits.statementTimeoutMs, log, onQuery });
  const chainHead = createChainHeadSource({ rpcUrl, log });
  const live = createLiveHub({ dbUrl, db, log });
  const health = createHealthRoutes({
    ctx: { db, chainHead, finalityConfirmations },
    rpcConfigured: Boolean(rpcUrl),
    maxLagBlocks: readyMaxLagBlocks,
  });
  const yoga = createYoga<Record<string, unknown>, ApiContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: true,
    landingPage: false,
    // /health and /ready are ours (yoga's own /health only says the process is up).
    healthCheckEndpoint: '/_yoga/health',
    context: (): ApiContext => ({ db, chainHead, finalityConfirmations, live }),
    plugins: [
      useBodyLimit(limits.maxBodyBytes),
      ...createLimitPlugins(limits),
      useArgumentNames(),
      usePerEventContext(),
    ],
    maskedErrors: {
      errorMessage: 'Unexpected error.',
      isDev: false,
      maskError: (error, message) => {
        const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
        if (isStatementTimeout(original)) {
          // Postgres cancelled the statement: say so (no SQL detail), the connection stays usable.
          const path = error instanceof GraphQLError ? error.path : undefined;
          log('warn', { msg: 'statement timeout in a GraphQL request', path: path?.join('.') });
          const timeout = limits.statementTimeoutMs;
          const err = limitExceeded(
            'statementTimeoutMs',
            `A database statement ran longer than the statement timeout of ${timeout} ms and was cancelled: ` +
              'ask for smaller pages or narrower filters',
            timeout,
          );
          return new GraphQLError(err.message, { path, extensions: err.extensions });
        }
        if (!(original instanceof GraphQLError)) {
          const path = error instanceof GraphQLError ? error.path?.join('.') : undefined;
          log('error', { msg: 'unexpected error in a GraphQL request', error: String(original), path });
        }
        return maskError(error, message, false);
      },
    },
    logging: {
      debug: () => {},
      info: (...args) => log('info', { msg: args.map(String).join(' ') }),
      warn: (...args) => log('warn', { msg: args.map(String).join(' ') }),
      error: (...args) => {
        // yoga logs every error it masked; maskError above already logged it with its path and cause.
        if (args.length === 1 && args[0] instanceof GraphQLError) return;
        log('error', { msg: args.map(String).join(' ') });
      },
    },
  });
  const exports = createExportRoutes({ db, limits, log });
  const server = createServer((req, res) => {
    if (!health(req, res) && !exports(req, res)) void yoga(req, res);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await live.close();
    await db.close();
    throw new Error(`GraphQL API could not listen on ${host}:${port}: set GRAPHQL_PORT to a free port`, { cause: err });
  }
  const { port: actualPort } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${actualPort}/graphql`;
  log('info', { msg: 'GraphQL API listening', url });
  let closing: Promise<void> | undefined;
  return {
    url,
    live,
    db,
    close: () =>
      (closing ??= (async () => {
        // Ending the subscriptions first completes their SSE responses, so the server can close.
        await live.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await db.close();
      })()),
  };
}
