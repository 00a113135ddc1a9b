/** `npm run processor`: ingests the configured chain into Postgres (runs until stopped; process.exit on fatal errors). */
import { TypeormDatabase } from '@subsquid/typeorm-store';
import { loadProcessorConfig } from '../config/env';
import { createLogDecoder } from '../decode/decodeLog';
import { PROCESSOR_STATE_SCHEMA, PROJECT_ROOT, createDataSource } from '../store/dataSource';
import { checkIndexedHeadOnChain } from './headCheck';
import { createBatchHandler, type Logger } from './handler';
import { PipelinedDatabase } from './pipeline';
import { missingNodeArgs } from './nodeArgs';
import { createProcessor } from './processor';

const log: Logger = (fields) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);

async function main(): Promise<void> {
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
  const db = new TypeormDatabase({
    supportHotBlocks: true,
    stateSchema: PROCESSOR_STATE_SCHEMA,
    projectDir: PROJECT_ROOT,
  });
  // Backfill commits are pipelined: batch N is written while batch N+1 is decoded and folded.
  const reader = createDataSource(config.dbUrl, { applicationName: 'openledger-indexer-reader' });
  await reader.initialize();
  const pipeline = new PipelinedDatabase(db, reader.manager, { endBlock: config.endBlock });
  processor.run(
    pipeline,
    createBatchHandler({
      decoder,
      network: config.network,
      rpcUrl: config.rpcUrl,
      log,
      pipeline,
      commitEveryEvents: config.commitEveryEvents,
    }),
  );
}

main().catch((err) => {
  process.stderr.write(`processor failed: ${err?.message ?? err}\n`);
  process.exit(err?.exitCode ?? 1);
});
