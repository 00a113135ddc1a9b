import {
  EvmBatchProcessor,
  type BlockHeader,
  type DataHandlerContext,
  type Log as _Log,
  type Transaction as _Transaction,
} from '@subsquid/evm-processor';
import type { Store } from '@subsquid/typeorm-store';
import type { ProcessorConfig } from '../config/env';
import type { LogDecoder } from '../decode/decodeLog';

/** Fields the handler reads; `type` only when native deposits are indexed (it makes the processor fetch receipts). */
const FIELDS = {
  block: { timestamp: true },
  log: { address: true, topics: true, data: true, transactionHash: true },
  transaction: { hash: true, from: true, to: true },
} as const;

const FIELDS_WITH_TYPE = {
  ...FIELDS,
  transaction: { ...FIELDS.transaction, type: true },
} as const;

/** The deposit transaction type of the OP Stack. */
export const DEPOSIT_TX_TYPE = 0x7e;

/**
 * Creates the processor: logs of the configured contracts only, and deposit transactions when enabled.
 * With GATEWAY_URL, finalized blocks come from that SQD Network gateway and the RPC serves the hot
 * blocks near the head (and the deposit mints); without it, everything comes over RPC.
 */
export function createProcessor(config: ProcessorConfig, decoder: LogDecoder) {
  const { network } = config;
  const p = new EvmBatchProcessor()
    .setRpcEndpoint({
      url: config.rpcUrl,
      rateLimit: network.rpc.rateLimit,
      maxBatchCallSize: network.rpc.maxBatchCallSize,
      capacity: network.rpc.capacity,
      retryAttempts: config.rpcRetryAttempts,
      requestTimeout: 30_000,
    })
    .setRpcDataIngestionSettings({ headPollInterval: network.headPollIntervalMs })
    .setFinalityConfirmation(network.finalityConfirmations)
    .setBlockRange({ from: network.startBlock, to: config.endBlock })
    .setFields(FIELDS_WITH_TYPE as typeof FIELDS);
  if (config.gatewayUrl) p.setGateway(config.gatewayUrl);
  for (const [address, topics] of decoder.topicsByAddress) {
    p.addLog({ address: [address], topic0: topics });
  }
  if (network.nativeDeposits) {
    p.setFields(FIELDS_WITH_TYPE).addTransaction({ type: [DEPOSIT_TX_TYPE] });
  } else {
    p.setFields(FIELDS);
  }
  return p as unknown as EvmBatchProcessor<typeof FIELDS_WITH_TYPE>;
}

export type Fields = typeof FIELDS_WITH_TYPE;
export type Block = BlockHeader<Fields>;
export type Log = _Log<Fields>;
export type Transaction = _Transaction<Fields>;
export type Context = DataHandlerContext<Store, Fields>;
