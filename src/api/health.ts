// `/health` (liveness: the process answers and its database is reachable) and `/ready` (the index
// has caught up with the chain) for load balancers and orchestrators.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './context';
import { loadMeta } from './schema/meta';

/** The default of `READY_MAX_LAG_BLOCKS`: about 20 s of OpenLedger blocks, well inside its finality window. */
export const DEFAULT_READY_MAX_LAG_BLOCKS = 10;

/** Parameters of {@link createHealthRoutes}. */
export interface HealthRoutesParameters {
  /** The context `_meta` is computed with (database, chain head, finality). */
  ctx: ApiContext;
  /** Whether an RPC URL is configured (without one the lag cannot be measured). */
  rpcConfigured: boolean;
  /** `/ready` answers 503 while the index is more than this many blocks behind the chain head (default 10). */
  maxLagBlocks?: number;
}

/** What `/ready` answers (also its JSON body). */
export interface Readiness {
  ready: boolean;
  reason: string;
  indexedHeight: number | null;
  chainHead: number | null;
  lagBlocks: number | null;
  maxLagBlocks: number;
}

/**
 * Decides readiness: ready when the processor has committed a block and the indexed head is at most
 * `maxLagBlocks` behind the chain head. Without an RPC URL the lag is unknown and a non-empty index is
 * ready. When the RPC fails (chain head unknown), the previous answer stands, so an RPC blip does not
 * take every API replica out of the load balancer at once; before any answer it is "not ready".
 */
export function createReadinessCheck({
  ctx,
  rpcConfigured,
  maxLagBlocks = DEFAULT_READY_MAX_LAG_BLOCKS,
}: HealthRoutesParameters) {
  let previous: boolean | null = null;
  return async (): Promise<Readiness> => {
    const base = { indexedHeight: null, chainHead: null, lagBlocks: null, maxLagBlocks };
    let meta;
    try {
      meta = await loadMeta(ctx);
    } catch (err) {
      return { ...base, ready: false, reason: `database unreachable: ${(err as Error).message}` };
    }
    const seen = { ...base, indexedHeight: meta.indexedHeight, chainHead: meta.chainHead, lagBlocks: meta.lagBlocks };
    let verdict: { ready: boolean; reason: string };
    if (meta.indexedHeight === null) verdict = { ready: false, reason: 'nothing indexed yet' };
    else if (!rpcConfigured) verdict = { ready: true, reason: 'no RPC URL: indexed, lag unknown' };
    else if (meta.lagBlocks === null) {
      return previous === null
        ? { ...seen, ready: false, reason: 'chain head unavailable' }
        : { ...seen, ready: previous, reason: 'chain head unavailable: previous answer kept' };
    } else if (meta.lagBlocks <= maxLagBlocks) verdict = { ready: true, reason: 'caught up' };
    else verdict = { ready: false, reason: `${meta.lagBlocks} blocks behind the chain head` };
    previous = verdict.ready;
    return { ...seen, ...verdict };
  };
}

/** How long `/health` waits for the database (ms): a black-holed database must not hang the probe. */
const HEALTH_DB_TIMEOUT_MS = 2000;

/** Checks that the database answers `SELECT 1`; returns the error message, or null when it does. */
async function checkDatabase(ctx: ApiContext): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${HEALTH_DB_TIMEOUT_MS} ms`)), HEALTH_DB_TIMEOUT_MS);
  });
  try {
    await Promise.race([ctx.db.query('SELECT 1'), timeout]);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates the request handler for `GET|HEAD /health` and `/ready`; returns false for any other request
 * (handed to GraphQL). `/health`: 200 `{"status":"ok"}` when the database answers, else 503.
 * `/ready`: 200 or 503 with a {@link Readiness} body.
 */
export function createHealthRoutes(params: HealthRoutesParameters) {
  const readiness = createReadinessCheck(params);
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '').split('?')[0];
    if ((path !== '/health' && path !== '/ready') || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const answer =
      path === '/health'
        ? checkDatabase(params.ctx).then((error) =>
            error === null
              ? { status: 200, body: { status: 'ok', database: 'ok' } }
              : { status: 503, body: { status: 'unavailable', database: 'unreachable', error } },
          )
        : readiness().then((r) => ({ status: r.ready ? 200 : 503, body: r }));
    answer.then(
      ({ status, body }) => send(res, status, body),
      (err) => send(res, 500, { error: String(err) }),
    );
    return true;
  };
}
