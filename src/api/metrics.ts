// Prometheus metrics of the API: GraphQL request durations by operation type and name, errors by
// code, requests in flight, active subscriptions per topic and the database pool. Served as
// `GET /metrics` on the API's port, or on API_METRICS_PORT when set (see server.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiDb } from './db';
import type { LiveHub } from './live/hub';
import type { ResponseCacheStats } from './responseCache';

/** Metric names, for the README and the tests. */
export const API_METRIC_NAMES = {
  requestDuration: 'openledger_api_request_duration_seconds',
  errors: 'openledger_api_errors_total',
  inFlight: 'openledger_api_requests_in_flight',
  subscriptions: 'openledger_api_active_subscriptions',
  dbPool: 'openledger_api_db_pool_connections',
  dbPoolMax: 'openledger_api_db_pool_max_connections',
  responseCache: 'openledger_api_response_cache',
} as const;

/** Request duration buckets, in seconds (1 ms to 10 s, past the default statement timeout). */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Distinct operation names kept as label values; later names count as `other` (clients choose names). */
export const MAX_OPERATION_NAMES = 200;

/** What a request turned out to be, learned by the yoga plugin and read when its response ends. */
interface RequestInfo {
  type: string;
  name: string;
  /** Whether its errors were counted from its result (a 413 refused before parsing has none). */
  counted: boolean;
}

/** The API's metrics and the hooks that feed them. */
export interface ApiMetrics {
  registry: Registry;
  /** The yoga plugin naming each request's operation and counting the errors of its result. */
  plugin(): Plugin;
  /** Call when a GraphQL HTTP request arrives; records its duration (and a 413) when its response ends. */
  trackRequest(req: IncomingMessage, res: ServerResponse): void;
  /** Names a request answered without yoga (a response cache hit): its type and operation name. */
  nameRequest(req: IncomingMessage, type: string, name: string): void;
}

/** Parameters of {@link createApiMetrics}. */
export interface ApiMetricsParameters {
  /** Where the metrics are registered (default: a new registry; `npm run api` adds the process's default metrics). */
  registry?: Registry;
  db: ApiDb;
  live: LiveHub;
  /** The response cache's counters (default: none). */
  cacheStats?: () => ResponseCacheStats;
}

/** The error's code, and for LIMIT_EXCEEDED the limit (`maxCost`, `statementTimeoutMs`, …). */
function errorLabels(error: GraphQLError | { extensions?: Record<string, unknown> }): { code: string; limit: string } {
  const ext = (error.extensions ?? {}) as { code?: unknown; limit?: unknown };
  const code = typeof ext.code === 'string' ? ext.code : 'UNKNOWN';
  return { code, limit: code === 'LIMIT_EXCEEDED' && typeof ext.limit === 'string' ? ext.limit : '' };
}

/** Creates the API's metrics over its database pool and live hub. */
export function createApiMetrics({
  registry = new Registry(),
  db,
  live,
  cacheStats,
}: ApiMetricsParameters): ApiMetrics {
  const registers = [registry];
  const duration = new Histogram({
    name: API_METRIC_NAMES.requestDuration,
    help: 'GraphQL HTTP requests from arrival to the end of the response, by operation type (query, mutation; none: refused before execution) and name (subscriptions are not timed: see active subscriptions)',
    labelNames: ['operation_type', 'operation_name'],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: API_METRIC_NAMES.errors,
    help: 'Errors returned to clients, by extensions.code (BAD_USER_INPUT, LIMIT_EXCEEDED with the limit, INTERNAL_SERVER_ERROR, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, …)',
    labelNames: ['code', 'limit'],
    registers,
  });
  const inFlight = new Gauge({
    name: API_METRIC_NAMES.inFlight,
    help: 'GraphQL HTTP requests being answered (open subscription streams included)',
    registers,
  });
  new Gauge({
    name: API_METRIC_NAMES.subscriptions,
    help: 'Open subscriptions by topic (head, contributors, models)',
    labelNames: ['topic'],
    registers,
    collect() {
      const s = live.stats().subscribers;
      this.set({ topic: 'head' }, s.head);
      this.set({ topic: 'contributors' }, s.contributors);
      this.set({ topic: 'models' }, s.models);
    },
  });
  new Gauge({
    name: API_METRIC_NAMES.dbPool,
    help: 'Database pool connections: total open, idle, and waiting (queries queued for a connection)',
    labelNames: ['state'],
    registers,
    collect() {
      const p = db.poolStats();
      this.set({ state: 'total' }, p.total);
      this.set({ state: 'idle' }, p.idle);
      this.set({ state: 'waiting' }, p.waiting);
    },
  });
  new Gauge({
    name: API_METRIC_NAMES.dbPoolMax,
    help: 'Size of the database pool',
    registers,
    collect() {
      this.set(db.poolStats().max);
    },
  });

  if (cacheStats) {
    new Gauge({
      name: API_METRIC_NAMES.responseCache,
      help: 'Response cache: requests answered from it (hits) or by executing (misses), answers stored, clears (commits, LISTEN changes), contributor pages kept across a commit that did not change their accounts, hits that waited for the answer an identical request was computing (coalesced, also in hits), and the entries and bytes held now; hits and misses only count requests it could serve (queries over POST JSON or GET)',
      labelNames: ['stat'],
      registers,
      collect() {
        const s = cacheStats();
        for (const stat of ['hits', 'misses', 'stores', 'clears', 'kept', 'coalesced', 'entries', 'bytes'] as const)
          this.set({ stat }, s[stat]);
      },
    });
  }

  const requests = new WeakMap<IncomingMessage, RequestInfo>();
  const names = new Set<string>();
  const nameLabel = (name: string | undefined) => {
    if (!name) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  const infoOf = (req: IncomingMessage | undefined): RequestInfo | undefined => {
    if (!req) return undefined;
    let info = requests.get(req);
    if (!info) {
      info = { type: 'none', name: '', counted: false };
      requests.set(req, info);
    }
    return info;
  };
  const nameOperation = (args: { document: DocumentNode; operationName?: string | null; contextValue: unknown }) => {
    const info = infoOf((args.contextValue as { req?: IncomingMessage }).req);
    if (!info) return;
    const op = getOperationAST(args.document, args.operationName ?? undefined);
    info.type = op?.operation ?? 'none';
    info.name = nameLabel(op?.name?.value);
  };

  return {
    registry,
    plugin: (): Plugin => ({
      onExecute({ args }) {
        nameOperation(args);
      },
      onSubscribe({ args }) {
        nameOperation(args);
      },
      onResultProcess({ result, serverContext }) {
        const info = infoOf((serverContext as { req?: IncomingMessage }).req);
        if (info) info.counted = true;
        // A subscription's stream carries its events' errors: not counted here.
        const results = Array.isArray(result) ? result : Symbol.asyncIterator in result ? [] : [result];
        for (const r of results) for (const e of r.errors ?? []) errors.inc(errorLabels(e));
      },
    }),
    nameRequest(req, type, name) {
      const info = infoOf(req)!;
      info.type = type;
      info.name = nameLabel(name);
      info.counted = true;
    },
    trackRequest(req, res) {
      const started = performance.now();
      inFlight.inc();
      res.once('close', () => {
        inFlight.dec();
        const info = requests.get(req);
        if (res.statusCode === 413 && !info?.counted) errors.inc({ code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes' });
        if (info?.type === 'subscription') return;
        duration.observe(
          { operation_type: info?.type ?? 'none', operation_name: info?.name ?? '' },
          (performance.now() - started) / 1000,
        );
      });
    },
  };
}
