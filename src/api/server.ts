import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { createChainHeadSource } from './chainHead';
import type { ApiContext } from './context';
import { useArgumentNames } from './argumentErrors';
import { useBodyLimit } from './bodyLimit';
import { createApiDb, isStatementTimeout, readPreparedStatements, type ApiDb } from './db';
import { createExportRoutes } from './export/routes';
import { createHealthRoutes, DEFAULT_READY_MAX_LAG_BLOCKS } from './health';
import { createLiveHub, type LiveHub } from './live/hub';
import { createResponseCache, readResponseCacheConfig, type ResponseCache } from './responseCache';
import { usePerEventContext } from './live/perEventContext';
import { createLimitPlugins, DEFAULT_API_LIMITS, limitExceeded, type ApiLimits } from './limits';
import { silentLogger, type ApiLogger } from './log';
import { createApiMetrics } from './metrics';
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
  /** Registry the API's metrics go to (default: a new one; `npm run api` passes one with the process metrics). */
  metricsRegistry?: Registry;
  /**
   * Port of a separate metrics listener on `host` (`GET /metrics` there, not on the API port); 0 picks a
   * free one. Default: none, `/metrics` is served on the API port.
   */
  metricsPort?: number;
  /** Distinct statement texts run as prepared statements (default: API_PREPARED_STATEMENTS, else 200; 0: none). */
  preparedStatements?: number;
  /** The response cache (default: API_RESPONSE_CACHE_MB and API_RESPONSE_CACHE_VERIFY_MS; maxBytes 0 turns it off). */
  responseCache?: { maxBytes: number; verifyIntervalMs?: number };
}

/** How {@link ApiServer.close} went. */
export interface ApiCloseResult {
  /** True when every request (and subscription stream) ended before the timeout; false when some were cut. */
  drained: boolean;
  /** Requests still open when the timeout cut them. */
  cut: number;
}

/** How long close() waits for the pool after cutting requests (their statements may still run). */
const POOL_CLOSE_AFTER_CUT_MS = 1_000;

/** A running API server. */
export interface ApiServer {
  /** `http://host:port/graphql` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  /** The live-update hub behind the subscriptions (its LISTEN connection and counters). */
  live: LiveHub;
  /** The server's database handle (tests read its pool's counts). */
  db: ApiDb;
  /** The response cache (tests and benchmarks read its counters). */
  cache: ResponseCache;
  /** `http://host:port/metrics` (on the API port unless `metricsPort` was given). */
  metricsUrl: string;
  /**
   * Graceful stop: stops accepting connections, ends the subscriptions (their SSE responses complete),
   * lets the requests in flight finish (a request arriving on a kept-alive connection meanwhile gets 503),
   * then closes the database pool. Connections still open after `timeoutMs` (default 10,000) are cut.
   */
  close(options?: { timeoutMs?: number }): Promise<ApiCloseResult>;
}

/** Listens on host:port; rejects with the listen error. */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The host part of a URL for a bound address (a wildcard is shown as 127.0.0.1). */
function shownHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
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
  metricsRegistry,
  metricsPort,
  preparedStatements = readPreparedStatements(),
  responseCache = readResponseCacheConfig(),
}: ApiServerParameters): Promise<ApiServer> {
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...limitOverrides };
  const db = createApiDb({
    url: dbUrl,
    statementTimeoutMs: limits.statementTimeoutMs,
    log,
    onQuery,
    maxPreparedStatements: preparedStatements,
  });
  const chainHead = createChainHeadSource({ rpcUrl, log });
  const live = createLiveHub({ dbUrl, db, log });
  const cache = createResponseCache({
    ...responseCache,
    live,
    db,
    maxBodyBytes: limits.maxBodyBytes,
    // Called for requests only, once `metrics` exists.
    onHit: (req, name) => metrics.nameRequest(req, 'query', name),
  });
  const metrics = createApiMetrics({ registry: metricsRegistry, db, live, cacheStats: cache.stats });
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
      metrics.plugin(),
      cache.plugin(),
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
  const serveMetrics = (res: ServerResponse) => {
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
      (err) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      },
    );
  };
  const isMetrics = (req: IncomingMessage) => req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics';
  // Requests being answered, and whether the server is draining (graceful close in progress).
  const open = new Set<ServerResponse>();
  let draining = false;
  const server = createServer((req, res) => {
    if (draining) {
      // Arrived on a kept-alive connection after close() began: refuse, and close that connection.
      res.shouldKeepAlive = false;
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: 'the server is shutting down' }));
      return;
    }
    open.add(res);
    res.once('close', () => {
      open.delete(res);
      // While draining, a connection whose request is answered is closed rather than kept alive.
      if (draining) server.closeIdleConnections();
    });
    if (metricsPort === undefined && isMetrics(req)) return serveMetrics(res);
    if (health(req, res) || exports(req, res)) return;
    metrics.trackRequest(req, res);
    cache.handle(req, res, () => void yoga(req, res));
  });
  const metricsServer =
    metricsPort === undefined
      ? null
      : createServer((req, res) => {
          if (isMetrics(req)) return serveMetrics(res);
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found: GET /metrics');
        });
  let actualPort: number;
  let actualMetricsPort: number | undefined;
  try {
    actualPort = await listen(server, port, host).catch((err) => {
      throw new Error(`GraphQL API could not listen on ${host}:${port}: set GRAPHQL_PORT to a free port`, {
        cause: err,
      });
    });
    if (metricsServer) {
      actualMetricsPort = await listen(metricsServer, metricsPort!, host).catch((err) => {
        server.close();
        throw new Error(`API metrics could not listen on ${host}:${metricsPort}: set API_METRICS_PORT to a free port`, {
          cause: err,
        });
      });
    }
  } catch (err) {
    cache.close();
    await live.close();
    await db.close();
    throw err;
  }
  const url = `http://${shownHost(host)}:${actualPort}/graphql`;
  const metricsUrl = `http://${shownHost(host)}:${actualMetricsPort ?? actualPort}/metrics`;
  log('info', { msg: 'GraphQL API listening', url, metrics_url: metricsUrl });
  let closing: Promise<ApiCloseResult> | undefined;
  return {
    url,
    live,
    db,
    cache,
    metricsUrl,
    close: ({ timeoutMs = 10_000 } = {}) =>
      (closing ??= (async () => {
        draining = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Ending the subscriptions completes their SSE responses; other requests finish on their own.
        cache.close();
        await live.close();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        });
        const cutShort = await Promise.race([closed.then(() => false), timedOut]);
        clearTimeout(timer);
        const cut = cutShort ? open.size : 0;
        if (cutShort) {
          log('warn', {
            msg: 'requests still open at the shutdown timeout were cut',
            requests: cut,
            timeout_ms: timeoutMs,
          });
          server.closeAllConnections();
          await closed;
        }
        if (metricsServer) {
          await new Promise<void>((resolve) => {
            metricsServer.close(() => resolve());
            metricsServer.closeAllConnections();
          });
        }
        // A cut request may still hold a pool connection (its statement runs until the statement timeout):
        // the pool is then not waited for beyond a moment; the process exits and Postgres ends the session.
        const poolClosed = db.close();
        if (cutShort) {
          poolClosed.catch(() => undefined);
          await Promise.race([poolClosed, new Promise((r) => setTimeout(r, POOL_CLOSE_AFTER_CUT_MS))]);
        } else {
          await poolClosed;
        }
        return { drained: !cutShort, cut };
      })()),
  };
}
