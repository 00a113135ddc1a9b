/** Minimal JSON-RPC over HTTP for the indexer's own calls (start-up checks, progress, chain head). */

const TIMEOUT_MS = 10_000;

/** Calls one JSON-RPC method over HTTP; throws with the endpoint's own error message. */
export async function rpcCall<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const body = (await res.json()) as { result?: T; error?: { message?: string } };
  if (body.error) throw new Error(body.error.message ?? JSON.stringify(body.error));
  return body.result as T;
}

/** The chain head height (`eth_blockNumber`). */
export async function fetchChainHead(rpcUrl: string): Promise<number> {
  return Number(BigInt(await rpcCall<string>(rpcUrl, 'eth_blockNumber')));
}

/** The chain id (`eth_chainId`). */
export async function fetchChainId(rpcUrl: string): Promise<number> {
  return Number(BigInt(await rpcCall<string>(rpcUrl, 'eth_chainId')));
}

/** Hash of the block at `height`, or null when the chain has no such block. */
export async function fetchBlockHash(rpcUrl: string, height: number): Promise<string | null> {
  const block = await rpcCall<{ hash: string } | null>(rpcUrl, 'eth_getBlockByNumber', [
    '0x' + height.toString(16),
    false,
  ]);
  return block?.hash?.toLowerCase() ?? null;
}
