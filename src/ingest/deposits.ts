import { parseTransaction, type Hex } from 'viem';
import type { DepositTx } from '../domain/bridge';
import { parseTransaction as parseOpTransaction } from 'viem/op-stack';

/** Fetches deposit transactions' raw bytes in one JSON-RPC batch per `chunk` hashes and parses `mint` and `sourceHash`. */
export async function fetchDepositTransactions(params: {
  rpcUrl: string;
  hashes: readonly string[];
  chunk?: number;
  fetchImpl?: typeof fetch;
}): Promise<Map<string, DepositTx>> {
  const { rpcUrl, hashes, chunk = 100, fetchImpl = fetch } = params;
  const out = new Map<string, DepositTx>();
  for (let i = 0; i < hashes.length; i += chunk) {
    const slice = hashes.slice(i, i + chunk);
    const body = slice.map((hash, id) => ({
      jsonrpc: '2.0',
      id,
      method: 'eth_getRawTransactionByHash',
      params: [hash],
    }));
    const res = await fetchImpl(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`eth_getRawTransactionByHash batch failed: HTTP ${res.status} from ${rpcUrl}`);
    const answers = (await res.json()) as { id: number; result?: Hex | null; error?: { message: string } }[];
    for (const a of answers) {
      const hash = slice[a.id];
      if (a.error || !a.result) {
        throw new Error(`node did not return deposit transaction ${hash}: ${a.error?.message ?? 'null result'}`);
      }
      out.set(hash, decodeDepositTransaction(hash, a.result));
    }
  }
  return out;
}

/** Parses a serialized OP Stack deposit transaction (0x7E) with viem's OP Stack parser. */
export function decodeDepositTransaction(hash: string, raw: Hex): DepositTx {
  if (!raw.startsWith('0x7e')) {
    const t = parseTransaction(raw);
    throw new Error(`transaction ${hash} is not a deposit (type ${t.type})`);
  }
  const tx = parseOpTransaction(raw as `0x7e${string}`) as {
    type?: string;
    from: string;
    to?: string | null;
    mint?: bigint;
    sourceHash: string;
  };
  if (tx.type !== 'deposit') throw new Error(`transaction ${hash} is not a deposit`);
  return {
    hash,
    from: tx.from.toLowerCase(),
    to: tx.to ? tx.to.toLowerCase() : null,
    mint: tx.mint ?? 0n,
    sourceHash: tx.sourceHash,
  };
}
