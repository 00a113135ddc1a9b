/**
 * `npm run bench:api`: the GraphQL API under load on a database indexed from the `large` scenario,
 * beside @subsquid/graphql-server on the same database. Prints figures; asserts nothing.
 *
 * Options: --duration S (10 s of load per query and server; 0 skips those runs, e.g. for the mix alone), --warmup S (1), --connections N (50),
 * --probe S (page 1 and the deep page one request at a time for at least S = 3 s and 5 answers,
 * before their loaded runs; 0 skips), --paced F (the queries with a latency target again at F = 0.5
 * of our saturated req/s, offered on schedule; 0 skips), --commit-every S (2: a commit announced every
 * S seconds, which clears the cached server's answers but the contributor pages of the accounts it did
 * not change; 0: none), --touch N (40: accounts each commit changes, see apiCommits.ts), --cache-warmup S
 * (15: more warm-up for the cached server, per query and in the mix: a running server's cache is full), --mix S (20: the mixed run per server;
 * 0 skips), --only id,id,
 * --scenario, --seed (large, 1), --reindex. Database: see openBenchDatabase (DB_URL, or
 * .bench/api-db indexed once from RPC_URL + DEPLOYMENT_FILE or a devnet of its own).
 */
import os from 'node:os';
import { Client } from 'pg';
import path from 'node:path';
import {
  DEFAULT_TOUCHED_PER_COMMIT,
  restoreSimulatedCommits,
  simulateCommits,
  type SimulatedCommits,
} from './apiCommits';
import { BENCH_API_DB_DIR, openBenchDatabase } from './apiDb';
import { loadFixtures, type BenchFixtures } from './apiFixtures';
import { probeLatency, runLoad, runPaced, runTaggedLoad } from './apiLoad';
import { BENCH_QUERIES, seededPick, type BenchQuery, type ServerQuery } from './apiQueries';
import {
  printErrors,
  printMix,
  printPacedRow,
  printRow,
  printTableHeader,
  printTargets,
  type Measured,
  type ServerName,
} from './apiReport';
import { SERVER_POOL_SIZE, startOurServer, startSubsquidServer, type BenchServer } from './apiServers';
import { API_METRIC_NAMES } from '../api/metrics';
import { loadProcessedHead } from '../api/processedHead';
import { notifyCommitted } from '../store/notify';
import { scrape, valueOf } from '../test/prometheus';
import { cpuTimes } from './idle';
import { treeCpuSeconds } from './procCpu';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : fallback;
}

function numberArg(name: string, fallback: number): number {
  const value = Number(arg(name, String(fallback)));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

interface Options {
  durationSec: number;
  warmupSec: number;
  connections: number;
  probeSec: number;
  /** Share of our saturated throughput offered on schedule to judge a latency target below saturation (0: skip). */
  pacedShare: number;
  seed: number;
  /** Extra warm-up of the cached server, s: a server that has been running holds its answers. */
  cacheWarmupSec: number;
}

/**
 * Waits until the previous run is over everywhere: no other session runs a statement (requests cut
 * off at the end of a run keep running in Postgres) and the servers' processes are idle (under a
 * tenth of a core over 250 ms: queued requests, garbage collection), at most `maxMs`.
 */
async function settle(db: Client, pids: number[], maxMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  const serversCpu = () => pids.reduce((sum, pid) => sum + (treeCpuSeconds(pid) ?? 0), 0);
  while (Date.now() < deadline) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    const before = serversCpu();
    await new Promise((r) => setTimeout(r, 250));
    if (rows[0].n === 0 && serversCpu() - before < 0.025) return;
  }
}

/**
 * One query on one server: the probe (one request at a time) on a quiet server, the warm-up, then
 * the loaded run with the CPU the server and Postgres spent on it. Each step starts once the
 * previous one is over (see settle).
 */
async function measure(params: {
  query: BenchQuery;
  serverName: ServerName;
  server: BenchServer;
  form: ServerQuery;
  fixtures: BenchFixtures;
  db: Client;
  /** Every server's pid: each step waits until all are idle. */
  serverPids: number[];
  postgresPid: number | null;
  options: Options;
}): Promise<Measured> {
  const { query, serverName, server, form, fixtures, db, serverPids, postgresPid, options: o } = params;
  // The same seed for both servers: they are sent the same sequence of keys.
  const next = () => {
    const pick = seededPick(o.seed);
    return () => form.request(fixtures, pick);
  };
  const run = (durationSec: number) =>
    runLoad({ url: server.url, connections: o.connections, durationSec, next: next(), check: form.check });
  const cpu = () => ({
    server: treeCpuSeconds(server.pid),
    postgres: postgresPid == null ? null : treeCpuSeconds(postgresPid),
  });
  await settle(db, serverPids);
  const unloaded =
    query.probe && o.probeSec > 0
      ? await probeLatency({
          url: server.url,
          next: next(),
          check: form.check,
          minSec: o.probeSec,
          minRequests: 5,
          maxSec: Math.max(30, o.probeSec),
        })
      : undefined;
  for (const { query: text, variables } of form.prime?.(fixtures) ?? []) {
    await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text, variables }),
    });
  }
  const warmupSec = o.warmupSec + (serverName === 'ours+cache' ? o.cacheWarmupSec : 0);
  if (warmupSec > 0) {
    await run(warmupSec);
    await settle(db, serverPids);
  }
  const hitsBefore = await cacheCounts(server);
  const before = cpu();
  const loaded = await run(o.durationSec);
  const after = cpu();
  const hitsAfter = await cacheCounts(server);
  const perRequest = (a: number | null, b: number | null) =>
    a == null || b == null || loaded.responses === 0 ? null : ((b - a) * 1000) / loaded.responses;
  return {
    query,
    server: serverName,
    loaded,
    serverCpuMs: perRequest(before.server, after.server),
    postgresCpuMs: perRequest(before.postgres, after.postgres),
    unloaded,
    cacheHitShare:
      hitsBefore && hitsAfter
        ? (hitsAfter.hits - hitsBefore.hits) /
          Math.max(1, hitsAfter.hits - hitsBefore.hits + hitsAfter.misses - hitsBefore.misses)
        : undefined,
  };
}

/** Our server's response cache counters from its /metrics (null for a server without them). */
async function cacheCounts(server: BenchServer): Promise<{ hits: number; misses: number } | null> {
  if (!server.name.startsWith('ours')) return null;
  const samples = await scrape(server.url.replace(/\/graphql$/, '/metrics'));
  const hits = valueOf(samples, API_METRIC_NAMES.responseCache, { stat: 'hits' });
  const misses = valueOf(samples, API_METRIC_NAMES.responseCache, { stat: 'misses' });
  return hits === undefined || misses === undefined ? null : { hits, misses };
}

/**
 * For a database given as DB_URL (not the benchmark's own, so nothing is written to it): announces
 * the indexed head again every `seconds`. A repeated head reads as a replaced range, so the cached
 * server clears everything each time, contributor pages included: the conservative case.
 */
function announceCommits(db: Client, seconds: number): SimulatedCommits {
  let commits = 0;
  const timer =
    seconds > 0
      ? setInterval(() => {
          void loadProcessedHead(async (sql) => (await db.query(sql)).rows)
            .then((head) => head && notifyCommitted(db, { from: head.height, to: head.height, hash: head.hash }))
            .then(() => commits++)
            .catch(() => {});
        }, seconds * 1000)
      : undefined;
  return { commits: () => commits, stop: async () => clearInterval(timer) };
}

/** Where the simulated commits keep what they changed until it is put back. */
const COMMITS_RECOVERY_FILE = path.join(BENCH_API_DB_DIR, 'simulated-commits.json');

async function main(): Promise<void> {
  const started = performance.now();
  const options: Options = {
    durationSec: numberArg('duration', 10),
    warmupSec: numberArg('warmup', 1),
    connections: Math.max(1, Math.floor(numberArg('connections', 50))),
    probeSec: numberArg('probe', 3),
    pacedShare: numberArg('paced', 0.5),
    seed: Math.floor(numberArg('seed', 1)),
    cacheWarmupSec: numberArg('cache-warmup', 15),
  };
  const commitEverySec = numberArg('commit-every', 2);
  const touched = Math.max(0, Math.floor(numberArg('touch', DEFAULT_TOUCHED_PER_COMMIT)));
  const mixSec = numberArg('mix', 20);
  const only = arg('only', '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((id) => !BENCH_QUERIES.some((q) => q.id === id));
  if (unknown.length) {
    throw new Error(`--only: unknown ${unknown.join(', ')} (ids: ${BENCH_QUERIES.map((q) => q.id).join(', ')})`);
  }
  const queries = only.length ? BENCH_QUERIES.filter((q) => only.includes(q.id)) : BENCH_QUERIES;

  const db = await openBenchDatabase({
    scenario: arg('scenario', 'large'),
    seed: options.seed,
    reindex: process.argv.includes('--reindex'),
    echo: out,
  });
  const servers: BenchServer[] = [];
  const watcher = new Client({ connectionString: db.url, application_name: 'bench-api-watcher' });
  await watcher.connect();
  // The benchmark's own database: first put back what a run that died left of its commits.
  const own = db.postgresPid !== null;
  if (own && (await restoreSimulatedCommits(watcher, COMMITS_RECOVERY_FILE))) {
    out('  put back the simulated commits an earlier run left in the database');
  }
  let commits: SimulatedCommits | undefined;
  try {
    const fixtures = await loadFixtures(db.url);
    // Ours twice: without the response cache (every request executes: the like-for-like comparison)
    // and with it, under commits announced every --commit-every seconds.
    const ours = await startOurServer(db.url, { env: { API_RESPONSE_CACHE_MB: '0' } });
    servers.push(ours);
    const cached = await startOurServer(db.url, { name: 'ours+cache' });
    servers.push(cached);
    const subsquid = await startSubsquidServer(db.url);
    servers.push(subsquid);
    const serverPids = servers.map((x) => x.pid);
    commits = own
      ? await simulateCommits({
          db: watcher,
          seconds: commitEverySec,
          touched,
          accounts: (await watcher.query<{ id: string }>('SELECT id FROM account')).rows.map((r) => r.id),
          recoveryFile: COMMITS_RECOVERY_FILE,
          seed: options.seed,
        })
      : announceCommits(watcher, commitEverySec);
    const o = options;
    const f = fixtures;
    out();
    out(`API benchmark: ${db.origin}`);
    out(
      `  ${o.connections} connections over loopback, ${o.durationSec} s per query and server after ${o.warmupSec} s of warm-up; ` +
        `both servers pool ${SERVER_POOL_SIZE} database connections; requests vary over ${f.contributors.length} contributors, ` +
        `${f.datanets.length} Datanets, ${f.bridgeAccounts.length} bridge accounts, ${f.epochs.length} epochs, ` +
        `${f.claims.length} claim leaves, ${f.deep.length} deep pages; cpu/req and pg/req: CPU ms per answer of the ` +
        `server process and of Postgres`,
    );
    out(
      `  ours: our API with the response cache off (API_RESPONSE_CACHE_MB=0); ours+cache: with it on (the default), ` +
        (commitEverySec > 0
          ? own
            ? `a block committed every ${commitEverySec} s as at the chain head, changing ${touched} random accounts ` +
              `(each commit clears its answers except the contributor pages of the accounts it did not change); ` +
              `hits: its share of answers from memory, after ${o.cacheWarmupSec} s more of warm-up (a running server's cache is full)`
            : `the head announced again every ${commitEverySec} s (DB_URL is not written to; each clears every answer); ` +
              `hits: its share of answers from memory`
          : 'no commit announced (a frozen database: every repeat hits)'),
    );
    out(
      `  machine: ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the start`,
    );
    for (const q of queries) out(`  ${q.id.padEnd(22)} ${q.title}${q.subsquid ? '' : ' (no Subsquid equivalent)'}`);
    out();
    printTableHeader();
    const cpuBefore = cpuTimes();
    const results: Measured[] = [];
    for (const query of options.durationSec > 0 ? queries : []) {
      if (query.enabled && !query.enabled(fixtures)) {
        out(`  ${query.id.padEnd(22)} skipped: the database cannot feed it`);
        continue;
      }
      const forms: [ServerName, BenchServer, ServerQuery | undefined][] = [
        ['ours', ours, query.ours],
        ['ours+cache', cached, query.ours],
        ['subsquid', subsquid, query.subsquid],
      ];
      for (const [serverName, server, form] of forms) {
        if (!form) continue;
        const m = await measure({
          query,
          serverName,
          server,
          form,
          fixtures,
          db: watcher,
          serverPids,
          postgresPid: db.postgresPid,
          options,
        });
        results.push(m);
        printRow(m);
      }
      // A latency target is judged again below saturation: at a share (default half) of our
      // saturated throughput, offered on schedule to both servers (the same traffic for each).
      const oursRun = results.find((m) => m.query === query && m.server === 'ours');
      if (query.p99TargetMs != null && oursRun && oursRun.loaded.rps > 0 && options.pacedShare > 0) {
        const rate = Math.max(1, Math.round(options.pacedShare * oursRun.loaded.rps));
        for (const [serverName, server, form] of forms) {
          const m = results.find((r) => r.query === query && r.server === serverName);
          if (!form || !m) continue;
          await settle(watcher, serverPids);
          const pick = seededPick(options.seed);
          const result = await runPaced({
            url: server.url,
            rate,
            durationSec: options.durationSec,
            maxInFlight: options.connections,
            next: () => form.request(fixtures, pick),
            check: form.check,
          });
          m.paced = { rate, result };
          printPacedRow(m);
        }
      }
    }
    const cpuAfter = cpuTimes();
    if (cpuBefore && cpuAfter) {
      const busy = (cpuAfter.busy - cpuBefore.busy) / Math.max(1, cpuAfter.total - cpuBefore.total);
      out(
        `  machine CPU busy during the load: ${(100 * busy).toFixed(0)}% of ${os.cpus().length} cores; ` +
          `load average ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')} at the end`,
      );
    }
    if (mixSec > 0) {
      // The mix: every request a query drawn uniformly from those all three servers answer, at the
      // same 50 connections, so each query's latency includes the queueing behind the others.
      const mix = queries.filter((q) => q.subsquid && (!q.enabled || q.enabled(fixtures)));
      out();
      out(
        `mix: ${options.connections} connections for ${mixSec} s per server after ${options.warmupSec} s of warm-up ` +
          `(${options.warmupSec + options.cacheWarmupSec} s for ours+cache), ` +
          `each request one of ${mix.map((q) => q.id).join(', ')} drawn uniformly (the same sequence for every server); per query:`,
      );
      printTableHeader({ cpu: false });
      for (const [serverName, server] of [
        ['ours', ours],
        ['ours+cache', cached],
        ['subsquid', subsquid],
      ] as const) {
        const pick = seededPick(options.seed);
        const next = () => {
          const q = pick(mix);
          const form = serverName === 'subsquid' ? q.subsquid! : q.ours;
          return { ...form.request(fixtures, pick), tag: q.id, check: form.check };
        };
        const run = (durationSec: number) =>
          runTaggedLoad({ url: server.url, connections: options.connections, durationSec, next, check: () => null });
        await settle(watcher, serverPids);
        const warmupSec = options.warmupSec + (serverName === 'ours+cache' ? options.cacheWarmupSec : 0);
        if (warmupSec > 0) await run(warmupSec);
        await settle(watcher, serverPids);
        const before = await cacheCounts(server);
        const result = await run(mixSec);
        const after = await cacheCounts(server);
        const share =
          before && after
            ? (after.hits - before.hits) / Math.max(1, after.hits - before.hits + after.misses - before.misses)
            : undefined;
        printMix(serverName, result, mix, serverName === 'ours+cache' ? share : undefined);
      }
    }
    const committed = commits.commits();
    await commits.stop();
    commits = undefined;
    out(`  ${committed} commits during the run`);
    printTargets(results, fixtures, options.connections);
    printErrors(results);
    out();
    out(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await commits?.stop();
    for (const s of servers) await s.stop();
    await watcher.end();
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:api failed: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
