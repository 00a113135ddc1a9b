/**
 * `npm run bench`: backfill of the `large` scenario from an empty database to the head, beside the
 * time to merely fetch the same logs with eth_getLogs. Prints figures; asserts nothing.
 *
 * Options: --scenario small|medium|large (large), --seed N (1). To bench a chain already running
 * (e.g. `npm run devnet -- --scenario large`), set RPC_URL and DEPLOYMENT_FILE. With CPU_PROFILE_DIR set,
 * the processor writes a V8 CPU profile there (`--cpu-prof`, written when its graceful SIGTERM stop
 * exits; open it in Chrome DevTools); with
 * PROCESSOR_NODE_FLAGS set (e.g. `--trace-gc`), the processor runs with those node flags too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDeployment } from '../config/networks';
import { PROJECT_ROOT } from '../store/dataSource';
import { rpc } from '../devnet/chain';
import { setupTestDatabase } from '../test/postgres';
import { startTestProcessor, waitForHeight } from '../test/processorChild';
import { startDevnetProcess } from './devnetProcess';
import { findLastLogBlock, measureLogsFloor } from './logsFloor';
import { cpuTimes, waitForIdleCpu } from './idle';
import { watchPeakRss } from './rss';

/** Reads the processor's batch log lines: time between batches (waiting for the node's blocks, Subsquid's own work) and waiting for commits. */
function batchWaits(output: string): { batches: number; idleMs: number; commitWaitMs: number } {
  let batches = 0;
  let idleMs = 0;
  let commitWaitMs = 0;
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const record = JSON.parse(line) as { msg?: string; idle_ms?: number; commit_wait_ms?: number };
      if (record.msg !== 'batch') continue;
      batches++;
      idleMs += record.idle_ms ?? 0;
      commitWaitMs = Math.max(commitWaitMs, record.commit_wait_ms ?? 0); // cumulative in the log
    } catch {
      // not a log record
    }
  }
  return { batches, idleMs, commitWaitMs };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const scenario = arg('scenario', 'large') as 'small' | 'medium' | 'large';
  const seed = Number(arg('seed', '1'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-bench-'));
  let rpcUrl: string = process.env.RPC_URL ?? '';
  let deploymentFile: string = process.env.DEPLOYMENT_FILE ?? '';
  let stopDevnet = async () => {};
  if (!rpcUrl || !deploymentFile) {
    process.stdout.write(`generating the ${scenario} scenario (seed ${seed}) on a fresh devnet (npm run devnet)...\n`);
    const t = performance.now();
    const devnet = await startDevnetProcess({
      scenario,
      seed,
      out: path.join(dir, 'deployment.json'),
      echo: (line) => process.stdout.write(`  ${line}\n`),
    });
    process.stdout.write(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    rpcUrl = devnet.rpcUrl;
    deploymentFile = devnet.deploymentFile;
    stopDevnet = () => devnet.stop();
  }
  const deployment = readDeployment(deploymentFile);
  const head = Number(await rpc<string>(rpcUrl, 'eth_blockNumber'));
  const addresses = Object.values(deployment.contracts);

  // The last block with an event: blocks after it may be empty and hot, and the handler sees no
  // batch for empty hot blocks, so the indexed height stops there.
  const lastBlock = await findLastLogBlock({ rpcUrl, addresses, from: deployment.startBlock, to: head });

  const db = await setupTestDatabase();
  const waited = await waitForIdleCpu();
  process.stdout.write(
    `waited ${(waited / 1000).toFixed(0)} s for the CPUs to go idle (the node collects its garbage)\n`,
  );
  const proc = startTestProcessor({
    dbUrl: db.url,
    rpcUrl,
    deploymentFile,
    env: {
      RPC_RETRY_ATTEMPTS: '10',
    },
    nodeArgs: [
      ...(process.env.CPU_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.CPU_PROFILE_DIR)}`]
        : []),
      ...(process.env.PROCESSOR_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    ],
  });
  const rss = watchPeakRss(proc.child.pid!);
  const started = performance.now();
  const machineBefore = cpuTimes();
  try {
    await waitForHeight(db, proc, lastBlock, 3_600_000);
  } finally {
    rss.stop();
    await proc.kill();
  }
  const ms = performance.now() - started;
  const machineAfter = cpuTimes();
  const machineBusy =
    machineBefore && machineAfter
      ? (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total)
      : null;
  const waits = batchWaits(proc.output());
  fs.mkdirSync(path.join(PROJECT_ROOT, '.bench'), { recursive: true });
  const logFile = path.join(PROJECT_ROOT, '.bench', 'processor.log');
  fs.writeFileSync(logFile, proc.output());
  const [status] = await db.query<{ event_count: string }>(
    `SELECT event_count::text FROM indexer_status WHERE id = 'head'`,
  );
  const events = Number(status.event_count);
  const blocks = lastBlock - deployment.startBlock + 1;
  await db.stop();
  // The floor is measured after the backfill, on the same node: right after its own large eth_getLogs
  // answers the hardhat node holds GBs and collects garbage for a while, which slowed a backfill
  // measured next by 20-30%; measured this way round, the floor's own figure did not change.
  const floor = await measureLogsFloor({ rpcUrl, addresses, from: deployment.startBlock, to: head });
  await stopDevnet();
  fs.rmSync(dir, { recursive: true, force: true });

  const evs = events / (ms / 1000);
  const floorEvs = floor.logs / (floor.ms / 1000);
  const lines = [
    ``,
    `backfill of ${scenario} (seed ${seed}): blocks ${deployment.startBlock}..${lastBlock} (head ${head})`,
    `  events indexed           ${fmt(events)} (eth_getLogs saw ${fmt(floor.logs)})`,
    `  processor wall time      ${(ms / 1000).toFixed(1)} s`,
    `  events/s                 ${fmt(evs)}`,
    `  blocks/s                 ${fmt(blocks / (ms / 1000))}`,
    `  processor peak RSS       ${fmt(rss.peakKb() / 1024)} MiB`,
    `  processor CPU time       ${rss.cpuSeconds().toFixed(1)} s (${((100 * rss.cpuSeconds()) / (ms / 1000)).toFixed(0)}% of one core)`,
    `  machine CPU busy         ${machineBusy == null ? 'n/a' : `${(100 * machineBusy).toFixed(0)}% of ${os.cpus().length} cores (processor, Postgres and the node share them)`}`,
    `  processor waited         ${(waits.idleMs / 1000).toFixed(1)} s between batches (blocks from the node, Subsquid's own work), ${(waits.commitWaitMs / 1000).toFixed(1)} s for Postgres commits (${waits.batches} batches; log in .bench/processor.log)`,
    `  eth_getLogs only         ${(floor.ms / 1000).toFixed(1)} s, ${fmt(floorEvs)} events/s, ${floor.requests} requests`,
    `  indexer / fetch floor    ${(evs / floorEvs).toFixed(2)} of the floor's rate (${(ms / floor.ms).toFixed(2)}x its time)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
