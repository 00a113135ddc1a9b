/**
 * Sends the simulator's transactions in a fixed chain order and counts the logs they cause.
 *
 * `batch` mode (scenarios): automine is switched off; queued transactions are sent in one
 * JSON-RPC batch with explicit nonces and strictly decreasing priority fees, then `evm_mine`
 * packs them into one block in exactly the queued order (hardhat runs batch items concurrently,
 * so the fees, not the arrival order, fix the order). About 5x faster than one block per tx.
 * With `blockSeconds`, each mined block is stamped that many seconds after the previous one
 * (`evm_mine [timestamp]`; later automined blocks continue from there).
 * `auto` mode (live traffic): one eth_sendTransaction at a time, each automined.
 * Any reverted transaction is a simulator bug and throws: the ground truth assumes success.
 */
import type { Hex } from 'viem';
import type { Rpc } from './rpc';

export interface Tx {
  from: string;
  /** null deploys a contract. */
  to: string | null;
  data: Hex;
  value?: bigint;
  /** Gas limit (generous: only the sum per block matters, refunds are automatic). */
  gas: bigint;
  /** What the transaction does, for error messages. */
  label: string;
  /** Called with the receipt once mined (e.g. to read a deployed address). */
  onReceipt?: (receipt: Receipt) => void;
}

export interface Receipt {
  transactionHash: string;
  status: string;
  blockNumber: string;
  gasUsed: string;
  contractAddress: string | null;
  logs: { address: string; topics: string[]; data: string }[];
  /** Unix seconds of the receipt's block (added by the sender: receipts do not carry it). */
  blockTimestamp: number;
}

export interface TxSenderStats {
  transactions: number;
  /** Logs emitted by the counted (configured) addresses. */
  events: number;
  headBlock: number;
  gasUsed: bigint;
}

export interface TxSender {
  readonly mode: 'batch' | 'auto';
  readonly stats: TxSenderStats;
  /** Queues a transaction (batch mode flushes on its own when a block is full). */
  send(tx: Tx): Promise<void>;
  /** Mines everything queued and checks every receipt. */
  flush(): Promise<void>;
  /** Flushes, and in batch mode switches automine back on. */
  close(): Promise<void>;
}

export interface CreateTxSenderParameters {
  rpc: Rpc;
  mode: 'batch' | 'auto';
  /** Addresses whose logs count as events (the 9 configured contracts). */
  countedAddresses: readonly string[];
  /** Max transactions per block in batch mode. Default 400. */
  maxTxsPerBlock?: number;
  /**
   * Batch mode: seconds of chain time from one mined block to the next (at least 1), so a scenario
   * spans hours and days of block timestamps, from the next UTC midnight. Default: the node's own clock.
   */
  blockSeconds?: () => number;
}

const hex = (n: bigint | number): string => `0x${n.toString(16)}`;
const MAX_FEE = 100_000_000_000n; // 100 gwei: far above the devnet's base fee
const TIP_BASE = 1_000_000_000n;

/** Creates a sender; in batch mode it switches the node's automine off until close(). */
export async function createTxSender(params: CreateTxSenderParameters): Promise<TxSender> {
  const { rpc, mode, maxTxsPerBlock = 400 } = params;
  const counted = new Set(params.countedAddresses.map((a) => a.toLowerCase()));
  const stats: TxSenderStats = { transactions: 0, events: 0, headBlock: 0, gasUsed: 0n };
  const block = await rpc.call<{ gasLimit: string; timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
  // With scenario time, start at the next UTC midnight: the same seed then gives the same hour and
  // day buckets whatever the wall clock says when it runs (the node's clock only picks the day).
  const DAY = 86_400;
  let lastTimestamp = params.blockSeconds
    ? Math.ceil((Number(block.timestamp) + 1) / DAY) * DAY - 1
    : Number(block.timestamp);
  // Keep the sum of gas limits under the block limit; actual use stays under half of it, so the
  // base fee never climbs.
  const blockGasBudget = (BigInt(block.gasLimit) * 9n) / 10n;
  let queue: Tx[] = [];
  let queuedGas = 0n;

  /** Adds the block timestamp to each receipt (one batched header read per distinct block). */
  const stampBlocks = async (receipts: Receipt[]) => {
    const numbers = [...new Set(receipts.map((r) => r.blockNumber))];
    const headers = await rpc.batch<{ timestamp: string }>(
      numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [n, false] })),
    );
    const times = new Map(numbers.map((n, i) => [n, Number(headers[i].timestamp)]));
    for (const r of receipts) r.blockTimestamp = times.get(r.blockNumber)!;
  };

  const account = (receipt: Receipt, tx: Tx) => {
    if (receipt.status !== '0x1') {
      throw new Error(
        `simulator transaction reverted: ${tx.label} (tx ${receipt.transactionHash}, block ${Number(receipt.blockNumber)})`,
      );
    }
    stats.transactions++;
    stats.gasUsed += BigInt(receipt.gasUsed);
    stats.headBlock = Math.max(stats.headBlock, Number(receipt.blockNumber));
    for (const log of receipt.logs) if (counted.has(log.address.toLowerCase())) stats.events++;
    tx.onReceipt?.(receipt);
  };

  const mineChunk = async (chunk: Tx[]) => {
    const senders = [...new Set(chunk.map((t) => t.from.toLowerCase()))];
    const counts = await rpc.batch<string>(
      senders.map((a) => ({ method: 'eth_getTransactionCount', params: [a, 'pending'] })),
    );
    const nonces = new Map(senders.map((a, i) => [a, BigInt(counts[i])]));
    const requests = chunk.map((tx, i) => {
      const from = tx.from.toLowerCase();
      const nonce = nonces.get(from)!;
      nonces.set(from, nonce + 1n);
      const body: Record<string, string> = {
        from,
        data: tx.data,
        gas: hex(tx.gas),
        nonce: hex(nonce),
        maxFeePerGas: hex(MAX_FEE),
        maxPriorityFeePerGas: hex(TIP_BASE + BigInt(chunk.length - i)),
      };
      if (tx.to !== null) body.to = tx.to;
      if (tx.value !== undefined && tx.value > 0n) body.value = hex(tx.value);
      return { method: 'eth_sendTransaction', params: [body] };
    });
    const sent = await rpc.batchSettled(requests);
    const hashes = sent.map((s, i) => {
      if ('error' in s)
        throw new Error(`cannot send simulator transaction ${chunk[i].label}: ${s.error.message}`, { cause: s.error });
      return s.result as string;
    });
    const receipts: (Receipt | null)[] = new Array(chunk.length).fill(null);
    for (let attempt = 0; receipts.some((r) => r === null); attempt++) {
      if (attempt === 20)
        throw new Error(`${receipts.filter((r) => r === null).length} simulator transactions were not mined`);
      if (params.blockSeconds) {
        lastTimestamp += Math.max(1, Math.round(params.blockSeconds()));
        await rpc.call('evm_mine', [lastTimestamp]);
      } else {
        await rpc.call('evm_mine');
      }
      const missing = receipts.flatMap((r, i) => (r === null ? [i] : []));
      const got = await rpc.batch<Receipt | null>(
        missing.map((i) => ({ method: 'eth_getTransactionReceipt', params: [hashes[i]] })),
      );
      missing.forEach((i, k) => (receipts[i] = got[k]));
    }
    await stampBlocks(receipts as Receipt[]);
    receipts.forEach((r, i) => account(r!, chunk[i]));
  };

  const sendAuto = async (tx: Tx) => {
    const body: Record<string, string> = { from: tx.from.toLowerCase(), data: tx.data, gas: hex(tx.gas) };
    if (tx.to !== null) body.to = tx.to;
    if (tx.value !== undefined && tx.value > 0n) body.value = hex(tx.value);
    let hash: string;
    try {
      hash = await rpc.call<string>('eth_sendTransaction', [body]);
    } catch (cause) {
      throw new Error(`simulator transaction failed: ${tx.label}: ${(cause as Error).message}`, { cause });
    }
    const receipt = (await rpc.call<Receipt>('eth_getTransactionReceipt', [hash]))!;
    await stampBlocks([receipt]);
    account(receipt, tx);
  };

  // One chunk is mined while the simulator prepares the next (the node and this process overlap).
  let inflight: Promise<void> | undefined;
  let failure: unknown;
  const settle = async () => {
    if (inflight) await inflight;
    inflight = undefined;
    if (failure !== undefined) throw failure;
  };
  const startChunk = async () => {
    await settle();
    let gas = 0n;
    let n = 0;
    while (n < queue.length && n < maxTxsPerBlock && (n === 0 || gas + queue[n].gas <= blockGasBudget))
      gas += queue[n++].gas;
    const chunk = queue.slice(0, n);
    queue = queue.slice(n);
    queuedGas -= gas;
    inflight = mineChunk(chunk).catch((err: unknown) => {
      failure = err;
    });
  };
  const flush = async () => {
    while (queue.length > 0) await startChunk();
    await settle();
  };

  if (mode === 'batch') await rpc.call('evm_setAutomine', [false]);
  return {
    mode,
    stats,
    async send(tx) {
      if (mode === 'auto') return sendAuto(tx);
      if (failure !== undefined) throw failure;
      queue.push(tx);
      queuedGas += tx.gas;
      if (queuedGas >= blockGasBudget || queue.length >= maxTxsPerBlock) await startChunk();
    },
    flush,
    async close() {
      try {
        await flush();
      } finally {
        if (mode === 'batch') await rpc.call('evm_setAutomine', [true]);
      }
    },
  };
}
