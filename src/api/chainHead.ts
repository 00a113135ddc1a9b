import type { ApiLogger } from './log';

/** The chain's latest block as the RPC reports it. */
export interface ChainHead {
  number: number;
  /** Unix seconds. */
  timestamp: number;
}

/** Reads the chain head, cached briefly so a burst of `_meta` queries costs one RPC call. */
export interface ChainHeadSource {
  /** The latest block, or null when no RPC is configured or the RPC fails. */
  get(): Promise<ChainHead | null>;
  /** Unix-seconds timestamp of the block with this hash (cached), or null when unknown or the RPC fails. */
  blockTimestamp(hash: string): Promise<number | null>;
}

/** Parameters of {@link createChainHeadSource}. */
export interface ChainHeadSourceParameters {
  /** JSON-RPC URL; without it the head is always null. */
  rpcUrl?: string;
  /** How long a head is reused, ms (default 1000). */
  cacheMs?: number;
  /** RPC request timeout, ms (default 2000). */
  timeoutMs?: number;
  log: ApiLogger;
}

/**
 * Creates a chain head reader over `eth_getBlockByNumber("latest")` (one call gives both the
 * number and the timestamp that `lagSeconds` needs); concurrent callers share one request.
 */
export function createChainHeadSource({
  rpcUrl,
  cacheMs = 1000,
  timeoutMs = 2000,
  log,
}: ChainHeadSourceParameters): ChainHeadSource {
  if (!rpcUrl) return { get: async () => null, blockTimestamp: async () => null };
  let cached: { at: number; head: Promise<ChainHead | null> } | undefined;
  const timestamps = new Map<string, Promise<number | null>>();
  const call = async (method: string, params: unknown[]) => {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as {
      result?: { number?: string; timestamp?: string } | null;
      error?: { message?: string };
    };
    if (body.error || !body.result?.number || !body.result.timestamp) {
      throw new Error(body.error?.message ?? 'no block in the answer');
    }
    return { number: Number(BigInt(body.result.number)), timestamp: Number(BigInt(body.result.timestamp)) };
  };
  const fetchHead = async (): Promise<ChainHead | null> => {
    try {
      return await call('eth_getBlockByNumber', ['latest', false]);
    } catch (err) {
      log('warn', { msg: 'chain head unavailable; _meta.chainHead is null', rpc_url: rpcUrl, error: String(err) });
      return null;
    }
  };
  return {
    get() {
      const now = Date.now();
      if (!cached || now - cached.at >= cacheMs) cached = { at: now, head: fetchHead() };
      return cached.head;
    },
    blockTimestamp(hash) {
      let ts = timestamps.get(hash);
      if (!ts) {
        if (timestamps.size >= 64) timestamps.clear();
        ts = call('eth_getBlockByHash', [hash, false]).then(
          (b) => b.timestamp,
          () => {
            timestamps.delete(hash); // not cached: asked again next time
            return null;
          },
        );
        timestamps.set(hash, ts);
      }
      return ts;
    },
  };
}
