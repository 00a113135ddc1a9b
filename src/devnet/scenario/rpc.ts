/**
 * A minimal JSON-RPC client over fetch with batch support (hardhat answers batches; note that it
 * runs batch items concurrently, so order-sensitive calls must not rely on batch order).
 */

export interface RpcRequest {
  method: string;
  params?: unknown[];
}

export interface Rpc {
  url: string;
  /** One request; throws with the node's message on a JSON-RPC error. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Several requests in one HTTP round trip; results in request order; throws on the first error. */
  batch<T = unknown>(requests: readonly RpcRequest[]): Promise<T[]>;
  /** Like batch, but returns errors in place instead of throwing. */
  batchSettled(requests: readonly RpcRequest[]): Promise<({ result: unknown } | { error: RpcError })[]>;
}

export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: RpcError;
}

/** Creates a JSON-RPC client for url. */
export function createRpc(url: string): Rpc {
  let nextId = 1;
  const post = async (body: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (cause) {
      throw new Error(`cannot reach the node at ${url}: is it running?`, { cause });
    }
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const batchSettled = async (requests: readonly RpcRequest[]) => {
    if (requests.length === 0) return [];
    const first = nextId;
    nextId += requests.length;
    const body = requests.map((r, i) => ({ jsonrpc: '2.0', id: first + i, method: r.method, params: r.params ?? [] }));
    const answers = (await post(body)) as RpcResponse[];
    if (!Array.isArray(answers)) throw new Error(`${url} did not answer a JSON-RPC batch with an array`);
    const byId = new Map(answers.map((a) => [a.id, a]));
    return requests.map((r, i) => {
      const a = byId.get(first + i);
      if (a === undefined) return { error: { code: -32603, message: `no answer to ${r.method}` } };
      return a.error ? { error: a.error } : { result: a.result };
    });
  };
  return {
    url,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const a = (await post({ jsonrpc: '2.0', id: nextId++, method, params })) as RpcResponse;
      if (a.error) throw new Error(`${method} failed: ${a.error.message}`, { cause: a.error });
      return a.result as T;
    },
    async batch<T>(requests: readonly RpcRequest[]): Promise<T[]> {
      const settled = await batchSettled(requests);
      return settled.map((s, i) => {
        if ('error' in s) {
          const { error } = s as { error: RpcError };
          throw new Error(`${requests[i].method} failed: ${error.message}`, { cause: error });
        }
        return s.result as T;
      });
    },
    batchSettled,
  };
}
