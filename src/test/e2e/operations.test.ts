/**
 * Production operations against the real devnet and real Postgres: the processor's metrics compared
 * with the ground truth and with the database, SIGTERM in the middle of a backfill (the database stops
 * at a batch boundary equal to an index that ends there, and a restart ends equal to a fresh index),
 * docker-compose.yml's health check commands run against live processes, and `npm start` passing
 * SIGTERM on to its processor child.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { startDevnet, type Devnet } from '../../devnet';
import { PROCESSOR_METRIC_NAMES as M } from '../../ingest/metrics';
import { pickFreePort } from '../../start/ports';
import { PROJECT_ROOT } from '../../store/dataSource';
import { snapshotIndex } from '../dbSnapshot';
import { setupTestDatabase, type TestDatabase } from '../postgres';
import { startTestProcessor, waitForHeight } from '../processorChild';
import { scrape, samplesOf, valueOf } from '../prometheus';
import { API_NODE_FLAG } from '../../api/nodeFlags';

/** The entity kinds the processor writes (metric label) and their tables. */
const KIND_TABLES: Record<string, string> = {
  accounts: 'account',
  feeSplits: 'fee_split',
  protocol: 'protocol_state',
  datanets: 'datanet',
  validators: 'datanet_validator',
  contributions: 'contribution',
  dataHashFirst: 'data_hash_first',
  reviews: 'contribution_review',
  slashes: 'slash',
  models: 'model',
  modelDatanets: 'model_datanet',
  adapters: 'adapter',
  epochs: 'epoch',
  accountEpochs: 'account_epoch',
  datanetEpochs: 'datanet_epoch',
  modelEpochs: 'model_epoch',
  datanetAccounts: 'datanet_account',
  reputationChanges: 'reputation_change',
  inferences: 'inference',
  attributions: 'attribution',
  payouts: 'payout',
  claims: 'reward_claim',
  transfers: 'bridge_transfer',
  bridgeTokens: 'bridge_account_token',
  bridgeTokenTotals: 'bridge_token_total',
  stats: 'stats_bucket',
  creditPurchases: 'credit_purchase',
  creationFees: 'datanet_creation_fee',
  anomalies: 'anomaly',
  status: 'indexer_status',
};

/** Kinds whose rows are only ever inserted: rows written = rows in the table. */
const APPEND_ONLY = [
  'reviews',
  'slashes',
  'attributions',
  'payouts',
  'claims',
  'creditPurchases',
  'creationFees',
  'anomalies',
  'reputationChanges',
];

/** The JSON records in a process's output. */
const records = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The health check command of a compose service, run here with its port replaced: its exit code. */
function runHealthcheck(service: 'api' | 'processor', port: number): Promise<number> {
  const compose = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { healthcheck: { test: string[] } }>;
  };
  const [kind, cmd, flag, script] = compose.services[service].healthcheck.test;
  assert.deepEqual([kind, cmd, flag], ['CMD', 'node', '-e']);
  const local = script.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);
  assert.notEqual(local, script);
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', local], { timeout: 10_000 }, (err) => {
      resolve(err ? ((err as { code?: number }).code ?? 1) : 0);
    });
  });
}

/**
 * The indexed heads: ours (the indexer_status row the batch handler writes) and the Subsquid store's
 * (its highest hot block, else its finalized status), which it writes in the same transaction.
 */
async function heads(db: TestDatabase) {
  const [ours] = await db.query<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'head'`);
  const [{ exists }] = await db.query<{ exists: boolean }>(
    `SELECT to_regclass('squid_processor.status') IS NOT NULL AS exists`,
  );
  if (!exists) return { ours: ours?.height, store: undefined, hotBlocks: 0 };
  const [store] = await db.query<{ height: number }>(`SELECT height FROM squid_processor.status WHERE id = 0`);
  const [hot] = await db.query<{ n: number; top: number | null }>(
    `SELECT count(*)::int AS n, max(height) AS top FROM squid_processor.hot_block`,
  );
  return { ours: ours?.height, store: hot.top ?? store?.height, hotBlocks: hot.n };
}

describe('operations', () => {
  let devnet: Devnet;
  let full: TestDatabase;
  let stopped: TestDatabase;
  let endAt: TestDatabase;
  let started: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-ops-'));
  let params: { rpcUrl: string; deploymentFile: string };

  before(async () => {
    [devnet, full, stopped, endAt, started] = await Promise.all([
      startDevnet({ port: 0, scenario: 'small', seed: 1, out: path.join(dir, 'deployment.json') }),
      setupTestDatabase(),
      setupTestDatabase(),
      setupTestDatabase(),
      setupTestDatabase(),
    ]);
    params = { rpcUrl: devnet.rpcUrl, deploymentFile: devnet.deploymentFile };
  });
  after(async () => {
    await Promise.all([devnet?.stop(), full?.stop(), stopped?.stop(), endAt?.stop(), started?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    "serves the processor metrics beside Subsquid's, matching the ground truth and the database",
    { timeout: 300_000 },
    async () => {
      const truth = devnet.groundTruth;
      const port = await pickFreePort();
      const proc = startTestProcessor({ ...params, dbUrl: full.url, env: { PROCESSOR_PROMETHEUS_PORT: String(port) } });
      try {
        await waitForHeight(full, proc, truth.headBlock);
        const url = `http://127.0.0.1:${port}/metrics`;
        let s = await scrape(url);
        // The gauge follows the commit, which lands just after the row the wait saw.
        for (let i = 0; i < 50 && valueOf(s, M.indexedHeight) !== truth.headBlock; i++) {
          await new Promise((r) => setTimeout(r, 50));
          s = await scrape(url);
        }
        assert.equal(valueOf(s, M.indexedHeight), truth.headBlock);
        assert.equal(valueOf(s, 'sqd_processor_last_block'), truth.headBlock, "Subsquid's own metrics, same endpoint");
        assert.equal(valueOf(s, M.events), truth.totals.events);

        const anomalies = await full.query<{ kind: string; n: number }>(
          'SELECT kind, count(*)::int AS n FROM anomaly GROUP BY kind ORDER BY kind',
        );
        assert.ok(anomalies.length > 0, 'the small scenario has anomalies');
        assert.deepEqual(
          samplesOf(s, M.anomalies)
            .map((x) => ({ kind: x.labels.kind, n: x.value }))
            .sort((a, b) => a.kind.localeCompare(b.kind)),
          anomalies,
        );

        const written = Object.fromEntries(samplesOf(s, M.rowsWritten).map((x) => [x.labels.kind, x.value]));
        for (const [kind, table] of Object.entries(KIND_TABLES)) {
          const [{ n }] = await full.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          if (APPEND_ONLY.includes(kind))
            assert.equal(written[kind] ?? 0, n, `${kind}: rows written = rows of ${table}`);
          else assert.ok((written[kind] ?? 0) >= n, `${kind}: ${written[kind]} rows written >= ${n} rows of ${table}`);
        }

        // One decode/load/fold observation per batch line, one commit-phase observation per write.
        const lines = records(proc.output());
        const batches = lines.filter((r) => r.msg === 'batch');
        const writes =
          lines.filter((r) => r.msg === 'commit').length + batches.filter((r) => r.rows !== undefined).length;
        for (const phase of ['decode', 'load', 'fold']) {
          assert.equal(valueOf(s, `${M.batchDuration}_count`, { phase }), batches.length, phase);
        }
        assert.equal(valueOf(s, `${M.batchDuration}_count`, { phase: 'commit' }), writes);
        // Each transaction holds at most the writes of its batches (a hot transaction one per block).
        const final = valueOf(s, `${M.commitDuration}_count`, { kind: 'final' })!;
        const hot = valueOf(s, `${M.commitDuration}_count`, { kind: 'hot' })!;
        assert.ok(final >= 1 && final + hot <= writes + 1, `${final} + ${hot} transactions, ${writes} writes`);
        assert.ok(valueOf(s, `${M.commitDuration}_count`, { kind: 'hot' })! >= 1, 'the last blocks are hot');

        assert.equal(await runHealthcheck('processor', port), 0, 'the compose health check passes');
        await proc.kill('SIGTERM');
        assert.equal(await proc.exited, 0);
        assert.equal(await runHealthcheck('processor', port), 1, 'and fails once the processor is gone');
        for (const r of records(proc.output())) {
          assert.match(String(r.time), /^\d{4}-\d\d-\d\dT/, JSON.stringify(r));
          assert.equal(typeof r.level, 'string', JSON.stringify(r));
        }
      } finally {
        await proc.kill('SIGKILL');
      }
    },
  );

  it(
    'stops at a batch boundary on SIGTERM mid-backfill, and a restart ends equal to a fresh index',
    { timeout: 300_000 },
    async () => {
      const truth = devnet.groundTruth;
      // Every batch commits, so the signal lands while a batch is handled or its commit is in flight.
      const first = startTestProcessor({ ...params, dbUrl: stopped.url, env: { COMMIT_EVERY_EVENTS: '1' } });
      let signalled = false;
      first.child.stdout!.on('data', () => {
        if (signalled) return;
        const commit = records(first.output()).find((r) => r.msg === 'commit');
        if (commit && Number(commit.block_to) < truth.headBlock - 20) {
          signalled = true;
          first.child.kill('SIGTERM');
        }
      });
      assert.equal(await first.exited, 0, first.output().slice(-3000));
      assert.ok(signalled, 'signalled mid-backfill');
      const done = records(first.output()).find((r) => r.msg === 'processor stopped')!;
      assert.equal(done.signal, 'SIGTERM');
      assert.ok(
        done.waited_for_transaction || done.waited_for_commit,
        `it had work in progress: ${JSON.stringify(done)}`,
      );

      const at = await heads(stopped);
      assert.equal(at.ours, at.store, "our head row and the store's head are the same block");
      assert.equal(at.hotBlocks, 0);
      assert.ok(at.ours! > devnet.deployment.startBlock && at.ours! < truth.headBlock - 5, `stopped at ${at.ours}`);

      // The committed data is exactly an index that ends at that block.
      const upTo = startTestProcessor({ ...params, dbUrl: endAt.url, env: { END_BLOCK: String(at.ours) } });
      assert.equal(await upTo.exited, 0, upTo.output().slice(-3000));
      assert.equal((await heads(endAt)).ours, at.ours);
      assert.deepEqual(await snapshotIndex(stopped), await snapshotIndex(endAt));

      // A restart continues from there without loss: equal to the uninterrupted index of the first test.
      const second = startTestProcessor({ ...params, dbUrl: stopped.url });
      try {
        await waitForHeight(stopped, second, truth.headBlock);
      } finally {
        await second.kill();
      }
      const [a, b] = await Promise.all([snapshotIndex(stopped), snapshotIndex(full)]);
      assert.equal(a.contribution.length, truth.totals.contributions);
      assert.deepEqual(a, b);
    },
  );

  it(
    'npm start passes SIGTERM on to its processor child, which stops gracefully, and exits 0 (LOG_FORMAT=json)',
    { timeout: 300_000 },
    async () => {
      const graphqlPort = await pickFreePort();
      const processorLog = path.join(dir, 'start-processor.log');
      // `npm start` as package.json has it, minus the build (lib/ is built): the SIGTERM goes to npm.
      const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
      const script = String(pkg.scripts.start).replace(/^npm run build && /, '');
      assert.equal(script, `exec node ${API_NODE_FLAG} lib/start/main.js`);
      const npmDir = path.join(dir, 'npm-start');
      fs.mkdirSync(npmDir);
      const start = script.replace('lib/', `${PROJECT_ROOT}/lib/`);
      fs.writeFileSync(
        path.join(npmDir, 'package.json'),
        JSON.stringify({ name: 'start', version: '0.0.0', scripts: { start } }),
      );
      const child = spawn('npm', ['start', '--silent'], {
        cwd: npmDir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          RPC_URL: devnet.rpcUrl,
          NETWORK: 'devnet',
          DEPLOYMENT_FILE: devnet.deploymentFile,
          DB_URL: started.url,
          GRAPHQL_HOST: '127.0.0.1',
          GRAPHQL_PORT: String(graphqlPort),
          LOG_FORMAT: 'json',
          PROCESSOR_LOG: processorLog,
          RPC_RETRY_ATTEMPTS: '3',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        let pid = 0;
        for (const deadline = Date.now() + 120_000; !pid;) {
          const rec = records(out).find((r) => r.step === 'processor' && /running \(pid \d+/.test(String(r.msg)));
          if (rec) pid = Number(/pid (\d+)/.exec(String(rec.msg))![1]);
          if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out}`);
          if (Date.now() > deadline) throw new Error(`the processor did not start:\n${out}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        for (
          const deadline = Date.now() + 120_000;
          ((await heads(started)).ours ?? -1) <= devnet.deployment.startBlock;
        ) {
          if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out}`);
          if (Date.now() > deadline) throw new Error(`npm start's processor indexed nothing:\n${out}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(await runHealthcheck('api', graphqlPort), 0, "compose's API health check against npm start's API");

        child.kill('SIGTERM'); // to npm, which passes it on to npm start
        assert.equal(await exited, 0, out);
        assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the processor child is gone');
        const log = records(fs.readFileSync(processorLog, 'utf8'));
        const stop = log.find((r) => r.msg === 'processor stopped');
        assert.equal(stop?.signal, 'SIGTERM', 'the processor stopped gracefully on the SIGTERM npm start sent');
        const at = await heads(started);
        assert.equal(at.ours, at.store);
        // Every line npm start printed is a JSON record.
        for (const line of out.trim().split('\n')) {
          const r = JSON.parse(line) as Record<string, unknown>;
          assert.ok(typeof r.time === 'string' && typeof r.level === 'string' && typeof r.msg === 'string', line);
        }
        assert.ok(records(out).some((r) => r.step === 'metrics' && /\/metrics$/.test(String(r.msg))));
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
