/**
 * The database the API benchmark reads: DB_URL as given (already indexed), or an embedded cluster
 * kept in `.bench/api-db` with a marker of what it holds, indexed once and reused by later runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { readDeployment } from '../config/networks';
import { startEmbeddedPostgres } from '../db/embedded';
import { rpc } from '../devnet/chain';
import { MIGRATIONS_DIR, PROJECT_ROOT, runMigrations } from '../store/dataSource';
import { startTestProcessor, waitForHeight } from '../test/processorChild';
import { startDevnetProcess, type DevnetProcess } from './devnetProcess';
import { findLastLogBlock } from './logsFloor';
import { postmasterPid } from './procCpu';

/** Folder of the benchmark's embedded cluster (`pg/`) and its marker (`marker.json`); git-ignored. */
export const BENCH_API_DB_DIR = path.join(PROJECT_ROOT, '.bench', 'api-db');

/** What an indexed cluster holds: written once its indexing finished, read to decide on reuse. */
export interface BenchDbMarker {
  scenario: string;
  seed: number;
  /** Migration files the schema was built from: another list means another schema, so re-index. */
  migrations: string[];
  chainId: number;
  /** Last indexed block and its hash (our indexer_status row). */
  height: number;
  hash: string;
  events: string;
  indexedAt: string;
  indexSeconds: number;
}

/** The indexed database, ready for the servers. */
export interface BenchDatabase {
  url: string;
  /** One line on where the data comes from (reused, freshly indexed, DB_URL). */
  origin: string;
  /** The embedded cluster's postmaster (its CPU use is measured), or null for DB_URL. */
  postgresPid: number | null;
  stop(): Promise<void>;
}

/** Migration file names, sorted: the schema the cluster must have been migrated with. */
export function migrationNames(dir = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
}

/** Why `marker` cannot be reused for the wanted content, or null when it can (chain check aside). */
export function markerMismatch(
  marker: BenchDbMarker | null,
  wanted: { scenario: string; seed: number; migrations: string[] },
): string | null {
  if (!marker) return 'no indexed cluster yet';
  if (marker.scenario !== wanted.scenario || marker.seed !== wanted.seed) {
    return `it holds scenario ${marker.scenario} seed ${marker.seed}`;
  }
  if (marker.migrations.join(',') !== wanted.migrations.join(',')) return 'the migrations changed since it was indexed';
  return null;
}

function readMarker(file: string): BenchDbMarker | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BenchDbMarker;
  } catch {
    return null;
  }
}

async function queryOne<T>(url: string, sql: string): Promise<T | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return ((await client.query(sql)).rows[0] as T) ?? null;
  } finally {
    await client.end();
  }
}

interface HeadRow {
  height: number;
  hash: string;
  events: string;
}
const HEAD_SQL = `SELECT height, hash, event_count::text AS events FROM indexer_status WHERE id = 'head'`;

/** Parameters of {@link openBenchDatabase}. */
export interface OpenBenchDatabaseParameters {
  scenario: string;
  seed: number;
  /** Index again even when the marker matches. */
  reindex: boolean;
  /** Progress lines. */
  echo: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Returns an indexed database. DB_URL: used as is (it must have been indexed). Otherwise the
 * cluster in `.bench/api-db` is reused when its marker names the same scenario, seed and
 * migrations and, with RPC_URL set, the chain still has the indexed block hash; else it is wiped
 * and indexed from RPC_URL + DEPLOYMENT_FILE, or from a devnet started for the run.
 */
export async function openBenchDatabase(params: OpenBenchDatabaseParameters): Promise<BenchDatabase> {
  const { scenario, seed, reindex, echo, env = process.env } = params;
  if (env.DB_URL) {
    const head = await queryOne<HeadRow>(env.DB_URL, HEAD_SQL).catch(() => null);
    if (!head)
      throw new Error('DB_URL has no indexer_status row: index it first, or unset DB_URL to use .bench/api-db');
    return {
      url: env.DB_URL,
      origin: `DB_URL as given (block ${head.height}, ${head.events} events)`,
      postgresPid: null,
      stop: async () => {},
    };
  }
  const markerFile = path.join(BENCH_API_DB_DIR, 'marker.json');
  const pgDir = path.join(BENCH_API_DB_DIR, 'pg');
  const rpcUrl = env.RPC_URL && env.DEPLOYMENT_FILE ? env.RPC_URL : '';
  const wanted = { scenario, seed, migrations: migrationNames() };
  const marker = readMarker(markerFile);
  let why = reindex ? 'asked to (--reindex)' : markerMismatch(marker, wanted);
  if (!why && rpcUrl) {
    const block = await rpc<{ hash: string } | null>(rpcUrl, 'eth_getBlockByNumber', [
      '0x' + marker!.height.toString(16),
      false,
    ]);
    if (block?.hash !== marker!.hash) why = `the chain at ${rpcUrl} is not the one it indexed`;
  }
  if (!why && fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    const pg = await startEmbeddedPostgres({ dataDir: pgDir });
    const head = await queryOne<HeadRow>(pg.url, HEAD_SQL).catch(() => null);
    if (head && head.height === marker!.height && head.hash === marker!.hash) {
      return {
        url: pg.url,
        origin:
          `reused ${path.relative(PROJECT_ROOT, BENCH_API_DB_DIR)} (scenario ${scenario}, seed ${seed}, ` +
          `block ${head.height}, ${head.events} events, indexed ${marker!.indexedAt}; --reindex to redo)`,
        postgresPid: postmasterPid(pgDir),
        stop: () => pg.stop(),
      };
    }
    await pg.stop();
    why = 'its cluster does not hold what the marker says';
  }
  echo(`indexing into ${path.relative(PROJECT_ROOT, BENCH_API_DB_DIR)}: ${why ?? 'its cluster is missing'}`);
  return indexCluster({ scenario, seed, rpcUrl, deploymentFile: env.DEPLOYMENT_FILE ?? '', echo, markerFile, pgDir });
}

async function indexCluster(p: {
  scenario: string;
  seed: number;
  rpcUrl: string;
  deploymentFile: string;
  echo: (line: string) => void;
  markerFile: string;
  pgDir: string;
}): Promise<BenchDatabase> {
  fs.rmSync(BENCH_API_DB_DIR, { recursive: true, force: true });
  fs.mkdirSync(BENCH_API_DB_DIR, { recursive: true, mode: 0o755 });
  fs.chmodSync(BENCH_API_DB_DIR, 0o755); // the server runs as the 'postgres' OS user
  const pg = await startEmbeddedPostgres({ dataDir: p.pgDir });
  let devnet: DevnetProcess | null = null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-bench-api-'));
  try {
    await runMigrations(pg.url);
    let { rpcUrl, deploymentFile } = p;
    if (!rpcUrl) {
      p.echo(`generating the ${p.scenario} scenario (seed ${p.seed}) on a fresh devnet (npm run devnet)...`);
      const t = performance.now();
      devnet = await startDevnetProcess({
        scenario: p.scenario,
        seed: p.seed,
        out: path.join(tmp, 'deployment.json'),
        echo: (line) => p.echo(`  ${line}`),
      });
      p.echo(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      rpcUrl = devnet.rpcUrl;
      deploymentFile = devnet.deploymentFile;
    }
    const deployment = readDeployment(deploymentFile);
    const head = Number(await rpc<string>(rpcUrl, 'eth_blockNumber'));
    const addresses = Object.values(deployment.contracts);
    const lastBlock = await findLastLogBlock({ rpcUrl, addresses, from: deployment.startBlock, to: head });
    p.echo(`indexing blocks ${deployment.startBlock}..${lastBlock} from ${rpcUrl}...`);
    const started = performance.now();
    const proc = startTestProcessor({ dbUrl: pg.url, rpcUrl, deploymentFile, env: { RPC_RETRY_ATTEMPTS: '10' } });
    try {
      const db = {
        async query<T>(sql: string): Promise<T[]> {
          const r = await queryOne<T>(pg.url, sql);
          return r == null ? [] : [r];
        },
      };
      await waitForHeight(db, proc, lastBlock, 3_600_000);
    } finally {
      await proc.kill();
      fs.writeFileSync(path.join(PROJECT_ROOT, '.bench', 'api-processor.log'), proc.output());
    }
    const indexSeconds = (performance.now() - started) / 1000;
    const row = (await queryOne<HeadRow>(pg.url, HEAD_SQL))!;
    const marker: BenchDbMarker = {
      scenario: p.scenario,
      seed: p.seed,
      migrations: migrationNames(),
      chainId: deployment.chainId,
      height: row.height,
      hash: row.hash,
      events: row.events,
      indexedAt: new Date().toISOString(),
      indexSeconds: Math.round(indexSeconds * 10) / 10,
    };
    fs.writeFileSync(p.markerFile, JSON.stringify(marker, null, 2) + '\n');
    const evs = Math.round(Number(row.events) / indexSeconds).toLocaleString('en-US');
    p.echo(`  indexed ${row.events} events in ${indexSeconds.toFixed(1)} s (${evs} events/s)`);
    return {
      url: pg.url,
      postgresPid: postmasterPid(p.pgDir),
      origin: `indexed now into ${path.relative(PROJECT_ROOT, BENCH_API_DB_DIR)} (scenario ${p.scenario}, seed ${p.seed}, block ${row.height}, ${row.events} events)`,
      stop: () => pg.stop(),
    };
  } catch (err) {
    await pg.stop();
    throw err;
  } finally {
    await devnet?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
