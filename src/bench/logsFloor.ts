/** The floor of any RPC-fed indexer: fetch the same logs with eth_getLogs, nothing else. */

/**
 * Largest range asked for. Hardhat answers 100-200 blocks of this chain fastest (about 60k logs/s);
 * 2,000-block answers (hundreds of MB of JSON) take twice as long and leave the node holding GBs.
 */
const MAX_RANGE = 200;

interface RpcLog {
  blockNumber: string;
}

async function getLogs(rpcUrl: string, addresses: string[], from: number, to: number): Promise<RpcLog[]> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_getLogs',
      params: [{ address: addresses, fromBlock: '0x' + from.toString(16), toBlock: '0x' + to.toString(16) }],
    }),
  });
  const body = (await res.json()) as { result?: RpcLog[]; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result!;
}

/**
 * Fetches every log of `addresses` in [from, to] with eth_getLogs, in ranges that shrink when the node
 * refuses an answer as too large and grow back after; returns the count and the wall time.
 */
export async function measureLogsFloor(params: {
  rpcUrl: string;
  addresses: string[];
  from: number;
  to: number;
  initialRange?: number;
}): Promise<{ logs: number; ms: number; requests: number }> {
  const { rpcUrl, addresses, from, to } = params;
  let range = params.initialRange ?? 200;
  let logs = 0;
  let requests = 0;
  const started = performance.now();
  for (let b = from; b <= to;) {
    const end = Math.min(to, b + range - 1);
    try {
      requests++;
      logs += (await getLogs(rpcUrl, addresses, b, end)).length;
      b = end + 1;
      range = Math.min(range * 2, MAX_RANGE);
    } catch (err) {
      if (range === 1) throw err;
      range = Math.max(1, Math.floor(range / 2));
    }
  }
  return { logs, ms: performance.now() - started, requests };
}

/** The last block in [from, to] holding a log of `addresses` (searched backwards, 10 blocks at a time); -1 when none. */
export async function findLastLogBlock(params: { rpcUrl: string; addresses: string[]; from: number; to: number }) {
  const { rpcUrl, addresses, from, to } = params;
  for (let end = to; end >= from; end -= 10) {
    const logs = await getLogs(rpcUrl, addresses, Math.max(from, end - 9), end);
    if (logs.length) return Math.max(...logs.map((l) => Number(l.blockNumber)));
  }
  return -1;
}
