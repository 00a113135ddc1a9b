import { readApiLimits, type ApiLimits } from '../api/limits';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../config/env';
import { NETWORK_NAMES, OPENLEDGER_MAINNET, OPENLEDGER_TESTNET, type NetworkName } from '../config/networks';
import { LOG_LEVELS, type LogLevel } from '../util/log';
import { StartError } from './errors';

/** Devnet scenarios `npm start` accepts (DEVNET_SCENARIO). */
export const DEVNET_SCENARIOS = ['small', 'medium', 'large', 'none'] as const;
export type DevnetScenario = (typeof DEVNET_SCENARIOS)[number];

/** Start a local hardhat devnet with live traffic (no RPC_URL, NETWORK unset or devnet). */
export interface DevnetChain {
  kind: 'devnet';
  /** DEVNET_SCENARIO, default `medium`. */
  scenario: DevnetScenario;
  /** DEVNET_SEED, default 1. */
  seed: number;
  /** DEVNET_PORT, default 8545. */
  port: number;
  /** True when DEVNET_PORT was given: then a busy port is an error instead of a reason to pick another. */
  portExplicit: boolean;
  /** DEVNET_LIVE, default true: keep simulating traffic after the scenario. */
  live: boolean;
  /** DEVNET_OUT, default `.devnet/deployment.json`: where the deployment (and ground truth beside it) is written. */
  out: string;
}

/** Index an existing chain through RPC_URL; never wipes, resumes where it stopped. */
export interface RpcChain {
  kind: 'rpc';
  rpcUrl: string;
  network: NetworkName;
  /** Why this network / endpoint was chosen, for the start-up summary (null when both were given). */
  note: string | null;
  /** DEPLOYMENT_FILE, only for NETWORK=devnet against an external node. */
  deploymentFile?: string;
}

/** Everything `npm start` reads from the environment. */
export interface StartOptions {
  chain: DevnetChain | RpcChain;
  /** GRAPHQL_PORT, default 4350. */
  graphqlPort: number;
  /** GRAPHQL_HOST, default: the API server's own default. */
  graphqlHost?: string;
  /** PROCESSOR_PROMETHEUS_PORT (or PROMETHEUS_PORT), default: a free port picked by the processor. */
  prometheusPort?: number;
  /** READY_MAX_LAG_BLOCKS: `/ready` answers 503 beyond this lag (default: the API server's, 10 blocks). */
  readyMaxLagBlocks?: number;
  /** The API's request limits (GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_COST, ...; defaults in src/api/limits.ts). */
  apiLimits: ApiLimits;
  /** API_METRICS_PORT: a separate port for the API's /metrics (default: none, on the GraphQL port). */
  apiMetricsPort?: number;
  /** LOG_FORMAT: `text` (default, for a terminal) or `json` (every line a JSON record, the processor's too). */
  logFormat: 'text' | 'json';
  /** LOG_LEVEL: lowest level written in the JSON format (default info). */
  logLevel: LogLevel;
  /** PROCESSOR_LOG: where the processor's output is kept (default .data/logs/processor.log). */
  processorLog: string;
  /** SHUTDOWN_TIMEOUT_MS: how long the API and the processor may take to stop gracefully (default 10,000). */
  shutdownTimeoutMs: number;
}

const DEFAULT_DEVNET_PORT = 8545;
const DEFAULT_GRAPHQL_PORT = 4350;

function readInt(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw == null || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new StartError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

function readBool(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return dflt;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new StartError(`${name} must be true or false (got "${env[name]}")`);
}

function readNetwork(env: NodeJS.ProcessEnv): NetworkName | undefined {
  const raw = env.NETWORK?.trim();
  if (!raw) return undefined;
  if (!NETWORK_NAMES.includes(raw as NetworkName)) {
    throw new StartError(`NETWORK must be one of ${NETWORK_NAMES.join(', ')} (got "${raw}")`);
  }
  return raw as NetworkName;
}

/** Public endpoint of a network profile (used when NETWORK names a public chain but RPC_URL is unset). */
function publicRpcUrl(network: Exclude<NetworkName, 'devnet'>): string {
  return network === 'openledger-mainnet' ? OPENLEDGER_MAINNET.defaultRpcUrl : OPENLEDGER_TESTNET.defaultRpcUrl;
}

function parseChain(env: NodeJS.ProcessEnv): DevnetChain | RpcChain {
  const network = readNetwork(env);
  const rpcUrl = env.RPC_URL?.trim();
  if (rpcUrl) {
    try {
      const u = new URL(rpcUrl);
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) throw new Error(u.protocol);
    } catch {
      throw new StartError(`RPC_URL must be an http(s) URL (got "${rpcUrl}")`);
    }
    return {
      kind: 'rpc',
      rpcUrl,
      network: network ?? 'openledger-mainnet',
      note: network ? null : 'NETWORK not set: assuming openledger-mainnet (set NETWORK=openledger-testnet or devnet)',
      deploymentFile: network === 'devnet' ? env.DEPLOYMENT_FILE || '.devnet/deployment.json' : undefined,
    };
  }
  if (network && network !== 'devnet') {
    return {
      kind: 'rpc',
      rpcUrl: publicRpcUrl(network),
      network,
      note: `RPC_URL not set: using the public ${network} endpoint`,
    };
  }
  const scenario = env.DEVNET_SCENARIO?.trim() || 'medium';
  if (!DEVNET_SCENARIOS.includes(scenario as DevnetScenario)) {
    throw new StartError(`DEVNET_SCENARIO must be one of ${DEVNET_SCENARIOS.join(', ')} (got "${scenario}")`);
  }
  const port = readInt(env, 'DEVNET_PORT', 1, 65535);
  return {
    kind: 'devnet',
    scenario: scenario as DevnetScenario,
    seed: readInt(env, 'DEVNET_SEED', 0, Number.MAX_SAFE_INTEGER) ?? 1,
    port: port ?? DEFAULT_DEVNET_PORT,
    portExplicit: port !== undefined,
    live: readBool(env, 'DEVNET_LIVE', true),
    out: env.DEVNET_OUT?.trim() || '.devnet/deployment.json',
  };
}

function readStartApiLimits(env: NodeJS.ProcessEnv): ApiLimits {
  try {
    return readApiLimits(env);
  } catch (err) {
    throw new StartError((err as Error).message);
  }
}

function readChoice<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], dflt: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return dflt;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new StartError(`${name} must be one of ${choices.join(', ')} (got "${env[name]}")`);
  }
  return raw as T;
}

/** Reads and validates `npm start`'s environment; throws a StartError naming the bad variable. */
export function parseStartOptions(env: NodeJS.ProcessEnv): StartOptions {
  return {
    chain: parseChain(env),
    graphqlPort: readInt(env, 'GRAPHQL_PORT', 1, 65535) ?? DEFAULT_GRAPHQL_PORT,
    graphqlHost: env.GRAPHQL_HOST?.trim() || undefined,
    prometheusPort:
      readInt(env, 'PROCESSOR_PROMETHEUS_PORT', 0, 65535) ?? readInt(env, 'PROMETHEUS_PORT', 0, 65535) ?? undefined,
    readyMaxLagBlocks: readInt(env, 'READY_MAX_LAG_BLOCKS', 0, 1_000_000_000),
    apiLimits: readStartApiLimits(env),
    apiMetricsPort: readInt(env, 'API_METRICS_PORT', 0, 65535),
    logFormat: readChoice(env, 'LOG_FORMAT', ['text', 'json'] as const, 'text'),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    processorLog: env.PROCESSOR_LOG?.trim() || '.data/logs/processor.log',
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 1, 3_600_000) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
  };
}

/** Chain id a public network must answer with (undefined for the devnet, whose id comes from its deployment). */
export function expectedChainId(network: NetworkName): number | undefined {
  if (network === 'openledger-mainnet') return OPENLEDGER_MAINNET.chainId;
  if (network === 'openledger-testnet') return OPENLEDGER_TESTNET.chainId;
  return undefined;
}

/** Finality confirmations the API should assume for a network (FINALITY_CONFIRMATIONS overrides). */
export function finalityConfirmationsFor(network: NetworkName, env: NodeJS.ProcessEnv): number {
  const override = readInt(env, 'FINALITY_CONFIRMATIONS', 0, 1_000_000);
  if (override !== undefined) return override;
  if (network === 'devnet') return 5;
  return network === 'openledger-mainnet'
    ? OPENLEDGER_MAINNET.finalityConfirmations
    : OPENLEDGER_TESTNET.finalityConfirmations;
}

/** Environment variables passed through to the processor child as they are (everything else is dropped). */
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'NODE_ENV',
  'NODE_OPTIONS',
  'START_BLOCK',
  'END_BLOCK',
  'FINALITY_CONFIRMATIONS',
  'NATIVE_DEPOSITS',
  'RPC_RETRY_ATTEMPTS',
  'COMMIT_EVERY_EVENTS',
  'DEFER_INDEXES',
  'GATEWAY_URL',
  'LOG_LEVEL',
  'SHUTDOWN_TIMEOUT_MS',
];
const PASS_THROUGH_PREFIXES = ['SQD_', 'CONTRACT_'];

/** Parameters of {@link buildProcessorEnv}. */
export interface ProcessorEnvParameters {
  base: NodeJS.ProcessEnv;
  rpcUrl: string;
  dbUrl: string;
  network: NetworkName;
  deploymentFile?: string;
  prometheusPort?: number;
}

/** The processor child's environment: an allow-list of the parent's plus what the processor needs (no secrets). */
export function buildProcessorEnv({
  base,
  rpcUrl,
  dbUrl,
  network,
  deploymentFile,
  prometheusPort,
}: ProcessorEnvParameters): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (PASS_THROUGH.includes(k) || PASS_THROUGH_PREFIXES.some((p) => k.startsWith(p))) env[k] = v;
  }
  env.RPC_URL = rpcUrl;
  env.DB_URL = dbUrl;
  env.NETWORK = network;
  if (deploymentFile) env.DEPLOYMENT_FILE = deploymentFile;
  if (prometheusPort !== undefined) {
    env.PROCESSOR_PROMETHEUS_PORT = String(prometheusPort);
    env.PROMETHEUS_PORT = String(prometheusPort);
  }
  return env;
}
