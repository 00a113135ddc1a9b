import fs from 'node:fs';
import type { ContractName, Deployment } from '../devnet/types';

/** The OP Stack L2 predeploys, at the same address on every OP Stack chain. */
export const PREDEPLOYS = {
  L2CrossDomainMessenger: '0x4200000000000000000000000000000000000007',
  L2StandardBridge: '0x4200000000000000000000000000000000000010',
  L2ToL1MessagePasser: '0x4200000000000000000000000000000000000016',
} as const;

export type NetworkName = 'devnet' | 'openledger-testnet' | 'openledger-mainnet';
export const NETWORK_NAMES: NetworkName[] = ['devnet', 'openledger-testnet', 'openledger-mainnet'];

/** Everything the processor needs to know about a chain. */
export interface NetworkProfile {
  name: NetworkName;
  chainId: number;
  /** Default RPC endpoint (RPC_URL overrides). */
  defaultRpcUrl: string;
  /** First block to index. */
  startBlock: number;
  /** Blocks behind the head considered final; hot blocks (reorg-safe) above. */
  finalityConfirmations: number;
  /** Head poll interval of the processor, ms. */
  headPollIntervalMs: number;
  /** Largest block range the node accepts in one eth_getLogs (informational for our own fetchers; the processor asks 10 blocks at a time). */
  maxLogRange: number;
  /** RPC client limits. */
  rpc: { rateLimit?: number; maxBatchCallSize: number; capacity: number };
  /** Contract addresses (lowercase); a name left unset is not indexed until its address is known. */
  contracts: Partial<Record<ContractName, string>>;
  /** Index native OPEN deposits (type 0x7E transactions): needs transaction types, so receipts are fetched. */
  nativeDeposits: boolean;
}

/** The OpenLedger mainnet (chain 1612); Datanet/attribution contracts have no public address yet. */
export const OPENLEDGER_MAINNET: NetworkProfile = {
  name: 'openledger-mainnet',
  chainId: 1612,
  defaultRpcUrl: 'https://rpc.openledger.xyz',
  startBlock: 0,
  finalityConfirmations: 75,
  headPollIntervalMs: 2000,
  maxLogRange: 1000,
  rpc: { rateLimit: 20, maxBatchCallSize: 50, capacity: 5 },
  contracts: {
    ...PREDEPLOYS,
    CreditManager: '0x6a2dbd72ad8441a57f6a98521d1fee199be22d15',
    DatanetFactory: '0xac1ef5a64d768ca58d4e701b7ab3456d22a4c878',
  },
  nativeDeposits: true,
};

/** The OpenLedger testnet (chain 161201). */
export const OPENLEDGER_TESTNET: NetworkProfile = {
  ...OPENLEDGER_MAINNET,
  name: 'openledger-testnet',
  chainId: 161201,
  defaultRpcUrl: 'https://rpctn.openledger.xyz',
  contracts: { ...PREDEPLOYS },
};

/** The local hardhat devnet (chain 901); addresses come from the deployment file. */
export function devnetProfile(deployment: Deployment): NetworkProfile {
  const contracts: Partial<Record<ContractName, string>> = {};
  for (const [name, address] of Object.entries(deployment.contracts)) {
    contracts[name as ContractName] = address.toLowerCase();
  }
  return {
    name: 'devnet',
    chainId: deployment.chainId,
    defaultRpcUrl: 'http://127.0.0.1:8545',
    startBlock: deployment.startBlock,
    finalityConfirmations: 5,
    headPollIntervalMs: 200,
    maxLogRange: 100_000,
    rpc: { maxBatchCallSize: 200, capacity: 10 },
    contracts,
    nativeDeposits: false,
  };
}

/** Reads a devnet deployment file, with an error that says how to produce one. */
export function readDeployment(file: string): Deployment {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new Error(`DEPLOYMENT_FILE ${file} cannot be read: start the devnet first (npm run devnet)`, { cause });
  }
  const d = JSON.parse(text) as Deployment;
  if (typeof d.chainId !== 'number' || typeof d.startBlock !== 'number' || !d.contracts) {
    throw new Error(`DEPLOYMENT_FILE ${file} is not a deployment (needs chainId, startBlock, contracts)`);
  }
  return d;
}
