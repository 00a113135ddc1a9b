import path from 'node:path';
import {
  NETWORK_NAMES,
  OPENLEDGER_MAINNET,
  OPENLEDGER_TESTNET,
  devnetProfile,
  readDeployment,
  type NetworkName,
  type NetworkProfile,
} from './networks';
import type { ContractName } from '../devnet/types';
import { CONTRACT_NAMES } from '../devnet/types';
import { databaseUrlFromEnv } from '../db/resolve';

/** The processor's configuration, from the environment. */
export interface ProcessorConfig {
  network: NetworkProfile;
  /** RPC_URL (default: the profile's). */
  rpcUrl: string;
  /** DB_URL, or a URL built from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASS (required for the processor). */
  dbUrl: string;
  /** GATEWAY_URL: an SQD Network gateway for finalized blocks (default: none, RPC only). */
  gatewayUrl?: string;
  /** PROMETHEUS_PORT for the processor's metrics (default: none). */
  prometheusPort?: number;
  /** RPC_RETRY_ATTEMPTS: bounded in tests so a dead node fails fast (default: retry forever). */
  rpcRetryAttempts?: number;
  /** END_BLOCK: stop after this block (tests, benchmarks). */
  endBlock?: number;
  /**
   * COMMIT_EVERY_EVENTS: during backfill, batches are committed together once they hold this many
   * events (default 50,000; 1 commits every batch). The chain head and hot blocks are always committed
   * at once.
   */
  commitEveryEvents: number;
  /**
   * DEFER_INDEXES: a backfill from an empty database builds the secondary indexes once, at the chain
   * head, instead of maintaining them row by row (default true; `false` keeps them all along).
   */
  deferIndexes: boolean;
}

/** Default of SHUTDOWN_TIMEOUT_MS: how long a graceful stop may take before the process exits anyway. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Reads SHUTDOWN_TIMEOUT_MS (default 10,000 ms); throws naming the variable when it is not a positive integer. */
export function readShutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = int(env, 'SHUTDOWN_TIMEOUT_MS');
  if (n === 0) throw new Error('SHUTDOWN_TIMEOUT_MS must be a positive integer (got "0")');
  return n ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
}

/** Reads an optional http(s) URL; throws naming the variable when it is not one. */
function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  if (!v) return undefined;
  let protocol = '';
  try {
    protocol = new URL(v).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`${name} must be an http(s) URL (got "${v}")`);
  return v;
}

/** A `true`/`false` variable; undefined when unset or empty. */
function bool(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new Error(`${name} must be true or false (got "${raw}")`);
}

function int(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v == null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${v}")`);
  return n;
}

/**
 * Builds the processor configuration from env: NETWORK (default devnet), RPC_URL, DB_URL (or DB_HOST,
 * DB_PORT, DB_NAME, DB_USER, DB_PASS), GATEWAY_URL, DEPLOYMENT_FILE (devnet, default
 * .devnet/deployment.json), START_BLOCK, FINALITY_CONFIRMATIONS, CONTRACT_<Name> address overrides,
 * PROMETHEUS_PORT, RPC_RETRY_ATTEMPTS, END_BLOCK, COMMIT_EVERY_EVENTS.
 */
export function loadProcessorConfig(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const networkName = (env.NETWORK ?? 'devnet') as NetworkName;
  if (!NETWORK_NAMES.includes(networkName)) {
    throw new Error(`NETWORK must be one of ${NETWORK_NAMES.join(', ')} (got "${env.NETWORK}")`);
  }
  let network: NetworkProfile;
  if (networkName === 'devnet') {
    const file = path.resolve(env.DEPLOYMENT_FILE ?? '.devnet/deployment.json');
    network = devnetProfile(readDeployment(file));
  } else {
    network = networkName === 'openledger-mainnet' ? OPENLEDGER_MAINNET : OPENLEDGER_TESTNET;
  }
  const contracts = { ...network.contracts };
  for (const name of CONTRACT_NAMES) {
    const v = env[`CONTRACT_${name}`];
    if (v) {
      if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw new Error(`CONTRACT_${name} must be a 0x address (got "${v}")`);
      contracts[name as ContractName] = v.toLowerCase();
    }
  }
  network = {
    ...network,
    contracts,
    startBlock: int(env, 'START_BLOCK') ?? network.startBlock,
    finalityConfirmations: int(env, 'FINALITY_CONFIRMATIONS') ?? network.finalityConfirmations,
    nativeDeposits: env.NATIVE_DEPOSITS ? env.NATIVE_DEPOSITS === 'true' : network.nativeDeposits,
  };
  const dbUrl = databaseUrlFromEnv(env);
  if (!dbUrl) {
    throw new Error(
      'DB_URL is required (postgres://user:pass@host:port/db, or DB_HOST, DB_NAME, …); npm start provides one',
    );
  }
  return {
    network,
    rpcUrl: env.RPC_URL || network.defaultRpcUrl,
    dbUrl,
    gatewayUrl: httpUrl(env, 'GATEWAY_URL'),
    prometheusPort: int(env, 'PROMETHEUS_PORT'),
    rpcRetryAttempts: int(env, 'RPC_RETRY_ATTEMPTS'),
    endBlock: int(env, 'END_BLOCK'),
    commitEveryEvents: Math.max(1, int(env, 'COMMIT_EVERY_EVENTS') ?? 50_000),
    deferIndexes: bool(env, 'DEFER_INDEXES') ?? true,
  };
}
