/**
 * `npm run processor`: ingests the configured chain into Postgres until stopped. SIGTERM or SIGINT
 * stops it gracefully (exit 0 once the transaction in progress, the held batches and the commit in
 * flight are committed; exit 1 after SHUTDOWN_TIMEOUT_MS); fatal errors exit non-zero.
 */
import { TypeormDatabase } from '@subsquid/typeorm-store';
import type { DataSource } from 'typeorm';
import { loadProcessorConfig, readShutdownTimeoutMs } from '../config/env';
import { createLogDecoder } from '../decode/decodeLog';
import { PROCESSOR_STATE_SCHEMA, PROJECT_ROOT, createDataSource } from '../store/dataSource';
import { deferIndexesForBackfill, restoreDeferredIndexes } from '../store/deferredIndexes';
import { createJsonLogger, readLogLevel, type JsonLogger, type LogLevel } from '../util/log';
import { checkIndexedHeadOnChain } from './headCheck';
import { createBatchHandler, type Logger } from './handler';
import { createProcessorMetrics, subsquidRegistry } from './metrics';
import { PipelinedDatabase } from './pipeline';
import { missingNodeArgs } from './nodeArgs';
import { createProcessor } from './processor';
import { routeSubsquidLogs } from './subsquidLog';

let json: JsonLogger = createJsonLogger();
const log: Logger = (fields) => json((fields.level as LogLevel | undefined) ?? 'info', fields as { msg: string });

/** What a signal stops: set once the pipeline exists. */
let running: { pipeline: PipelinedDatabase; reader: DataSource } | null = null;
let stopping = false;

/** Stops on the first SIGTERM/SIGINT (later ones are ignored: the bound below covers a hang). */
function stop(signal: NodeJS.Signals, timeoutMs: number): void {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  log({ msg: 'processor stopping', signal, timeout_ms: timeoutMs });
  const timer = setTimeout(() => {
    log({ msg: `processor did not stop within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): exiting`, level: 'error' });
    process.exit(1);
  }, timeoutMs);
  timer.unref();
  void (async () => {
    const waited = running ? await running.pipeline.stop() : null;
    await running?.reader.destroy().catch(() => undefined);
    log({
      msg: 'processor stopped',
      signal,
      waited_for_transaction: waited?.waitedForTransaction ?? false,
      committed_held_batches: waited?.committedHeld ?? false,
      waited_for_commit: waited?.waitedForCommit ?? false,
      duration_ms: Date.now() - started,
    });
    process.exit(0);
  })().catch((err) => {
    log({ msg: 'processor stop failed', level: 'error', err });
    process.exit(1);
  });
}

async function main(): Promise<void> {
  json = createJsonLogger({ level: readLogLevel() });
  routeSubsquidLogs(json);
  const shutdownTimeoutMs = readShutdownTimeoutMs();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(signal, shutdownTimeoutMs));
  const config = loadProcessorConfig();
  const decoder = createLogDecoder(config.network.contracts);
  log({
    msg: 'processor starting',
    network: config.network.name,
    chain_id: config.network.chainId,
    start_block: config.network.startBlock,
    finality_confirmations: config.network.finalityConfirmations,
    contracts: config.network.contracts,
    native_deposits: config.network.nativeDeposits,
    commit_every_events: config.commitEveryEvents,
    gateway: config.gatewayUrl ?? null,
  });
  const missing = missingNodeArgs(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length) {
    log({
      msg: `started without ${missing.join(' ')}: backfill runs slower (node ${missing.join(' ')} lib/ingest/main.js, or npm run processor)`,
      level: 'warn',
    });
  }
  await checkIndexedHeadOnChain({ dbUrl: config.dbUrl, rpcUrl: config.rpcUrl, stateSchema: PROCESSOR_STATE_SCHEMA });
  if (config.prometheusPort) process.env.PROCESSOR_PROMETHEUS_PORT = String(config.prometheusPort);
  const processor = createProcessor(config, decoder);
  const metrics = createProcessorMetrics(subsquidRegistry(processor));
  const db = new TypeormDatabase({
    supportHotBlocks: true,
    stateSchema: PROCESSOR_STATE_SCHEMA,
    projectDir: PROJECT_ROOT,
  });
  // Backfill commits are pipelined: batch N is written while batch N+1 is decoded and folded.
  const reader = createDataSource(config.dbUrl, { applicationName: 'openledger-indexer-reader' });
  await reader.initialize();
  const deferred = config.deferIndexes ? await deferIndexesForBackfill(config.dbUrl) : 0;
  if (deferred)
    log({ msg: 'backfill from an empty database: secondary indexes deferred to the chain head', indexes: deferred });
  const pipeline = new PipelinedDatabase(db, reader.manager, {
    endBlock: config.endBlock,
    metrics,
    beforeHead: async () => {
      const { built, ms } = await restoreDeferredIndexes(config.dbUrl);
      if (built) log({ msg: 'deferred indexes built', indexes: built, duration_ms: ms });
    },
  });
  running = { pipeline, reader };
  if (stopping) return; // a signal arrived while starting: stop() takes it from here
  processor.run(
    pipeline,
    createBatchHandler({
      decoder,
      network: config.network,
      rpcUrl: config.rpcUrl,
      log,
      pipeline,
      commitEveryEvents: config.commitEveryEvents,
      metrics,
    }),
  );
}

main().catch((err) => {
  log({ msg: 'processor failed', level: 'fatal', err });
  process.exit(err?.exitCode ?? 1);
});
