import { BENCH_PAGE_SIZE, DEEP_PAGE_TARGET, type BenchFixtures } from './apiFixtures';
import type { LoadResult, TaggedLoadResult } from './apiLoad';
import type { BenchQuery } from './apiQueries';

/** A share as a percentage: whole above 10% and below 99%, else with a decimal (99.9% is not 100%). */
export function percent(share: number): string {
  const p = 100 * share;
  if (p >= 10 && p < 99) return `${p.toFixed(0)}%`;
  return `${(p >= 99 ? Math.floor(p * 10) / 10 : p).toFixed(1)}%`;
}

/** The servers measured: ours without and with its response cache, and Subsquid's. */
export type ServerName = 'ours' | 'ours+cache' | 'subsquid';

/** One measurement: a query on one server. */
export interface Measured {
  query: BenchQuery;
  server: ServerName;
  loaded: LoadResult;
  /** CPU ms per answered request during the loaded run: the server process, and Postgres (null when not measurable). */
  serverCpuMs: number | null;
  postgresCpuMs: number | null;
  /** At one connection, when the query asks for it. */
  unloaded?: LoadResult;
  /** At a fixed offered rate below saturation, for a query with a latency target. */
  paced?: { rate: number; result: LoadResult };
  /** Share of the loaded run's answers served by the response cache (ours+cache). */
  cacheHitShare?: number;
}

const out = (line = '') => process.stdout.write(`${line}\n`);
/** A whole number with thousands separators. */
export const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n: number | null) => (n == null || !Number.isFinite(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const times = (a: number, b: number) => (a > 0 && b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const cpuOf = (m: Measured) => (m.serverCpuMs == null ? null : m.serverCpuMs + (m.postgresCpuMs ?? 0));

/** The header of the per-run table (without the CPU columns for the mix, which measures no CPU per query). */
export function printTableHeader({ cpu = true }: { cpu?: boolean } = {}): void {
  const heads = ['req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', ...(cpu ? ['cpu/req', 'pg/req'] : [])];
  out(`  ${'query'.padEnd(22)} ${'server'.padEnd(10)} ${heads.map((h) => h.padStart(7)).join(' ')}`);
}

/** One line of the per-run table (printed as soon as the run ends). */
export function printRow(m: Measured): void {
  const r = m.loaded;
  const cells = [
    fmt(r.rps),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    ms(r.max),
    String(r.errors),
    ms(m.serverCpuMs),
    ms(m.postgresCpuMs),
  ];
  const probe = m.unloaded ? `   1 conn: p50 ${ms(m.unloaded.p50)} p99 ${ms(m.unloaded.p99)} ms` : '';
  const hits = m.cacheHitShare === undefined ? '' : `   hits ${percent(m.cacheHitShare)}`;
  out(`  ${m.query.id.padEnd(22)} ${m.server.padEnd(10)} ${cells.map((c) => c.padStart(7)).join(' ')}${probe}${hits}`);
}

/** A line for a paced run (latency at a fixed offered rate). */
export function printPacedRow(m: Measured): void {
  if (!m.paced) return;
  const r = m.paced.result;
  const cells = [fmt(r.rps), ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), String(r.errors)];
  const tail = `   paced: ${m.paced.rate} req/s offered on schedule`;
  out(`  ${m.query.id.padEnd(22)} ${m.server.padEnd(10)} ${cells.map((c) => c.padStart(7)).join(' ')}${tail}`);
}

/** The targets of the issue, each with the figures behind it and met / MISSED. */
export function printTargets(results: Measured[], fixtures: BenchFixtures, connections: number): void {
  const find = (id: string, server: ServerName) => results.find((m) => m.query.id === id && m.server === server);
  out();
  out('targets (indicative: the machine is shared; load generator, both servers and Postgres share its cores)');
  for (const m of results.filter((r) => r.server !== 'subsquid' && r.query.p99TargetMs != null)) {
    const target = m.query.p99TargetMs!;
    out(
      `  p99 < ${target} ms  ${`${m.query.id} ${m.server}`.padEnd(33)} saturated (${connections} connections, ${fmt(m.loaded.rps)} req/s): ` +
        `p99 ${ms(m.loaded.p99)} ms: ${verdict(m.loaded.p99 < target)}`,
    );
    const theirs = find(m.query.id, 'subsquid')?.paced;
    if (m.paced) {
      const p = m.paced.result;
      out(
        `                                    at ${m.paced.rate} req/s offered on schedule: p99 ${ms(p.p99)} ms ` +
          `(Subsquid ${ms(theirs?.result.p99 ?? NaN)} ms): ${verdict(p.p99 < target && p.errors === 0)}`,
      );
    }
  }
  const why =
    fixtures.deepPage < DEEP_PAGE_TARGET
      ? `the deepest full page: the largest list, contributions, has ${fmt(fixtures.listRows)} rows; none has ${fmt(DEEP_PAGE_TARGET * BENCH_PAGE_SIZE)}`
      : `of the ${fmt(fixtures.listRows)} contributions`;
  const firstDeep = fixtures.deep[0];
  out(
    `  deep page within 2x of page 1: pages ${firstDeep?.page ?? '-'}..${fixtures.deepPage} of ${BENCH_PAGE_SIZE} ` +
      `(offsets ${fmt(firstDeep?.offset ?? NaN)}..${fmt((fixtures.deepPage - 1) * BENCH_PAGE_SIZE)}; ${why})`,
  );
  for (const server of ['ours', 'ours+cache', 'subsquid'] as const) {
    const first = find('page-1', server);
    const deep = find('page-deep', server);
    if (!first || !deep) continue;
    const parts = [
      `p50 ${ms(deep.loaded.p50)} vs ${ms(first.loaded.p50)} ms = ${times(deep.loaded.p50, first.loaded.p50)}`,
      `req/s ${fmt(deep.loaded.rps)} vs ${fmt(first.loaded.rps)}`,
      `CPU/req ${ms(cpuOf(deep))} vs ${ms(cpuOf(first))} ms`,
    ];
    if (deep.unloaded && first.unloaded) {
      parts.push(
        `1 connection p50 ${ms(deep.unloaded.p50)} vs ${ms(first.unloaded.p50)} ms = ${times(deep.unloaded.p50, first.unloaded.p50)}`,
      );
    }
    const noAnswers = deep.loaded.responses === 0 ? ' (no deep page answered within the run)' : '';
    const ok = deep.loaded.responses > 0 && deep.loaded.p50 <= 2 * first.loaded.p50;
    out(`    ${server.padEnd(10)} ${parts.join(', ')}${noAnswers}${server !== 'subsquid' ? `: ${verdict(ok)}` : ''}`);
  }
  out("  >= 2x the Subsquid server's throughput on equivalent list queries (and CPU per request, server + Postgres):");
  for (const m of results.filter((r) => r.server !== 'subsquid')) {
    const theirs = find(m.query.id, 'subsquid');
    if (!theirs) continue;
    const x = m.loaded.rps / theirs.loaded.rps;
    const cpu = `CPU/req ${ms(cpuOf(m))} vs ${ms(cpuOf(theirs))} ms = ${times(cpuOf(theirs) ?? NaN, cpuOf(m) ?? NaN)} less`;
    const name = `${m.query.id} ${m.server}`;
    const head = m.query.kind === 'list' ? `    ${name.padEnd(33)}` : `    (not a list) ${name.padEnd(20)}`;
    const mark =
      m.query.kind === 'list' ? `: ${verdict(theirs.loaded.responses === 0 ? m.loaded.rps > 0 : x >= 2)}` : '';
    out(
      `${head} ${fmt(m.loaded.rps).padStart(6)} vs ${fmt(theirs.loaded.rps).padStart(6)} req/s = ${times(m.loaded.rps, theirs.loaded.rps)}, ${cpu}${mark}`,
    );
  }
}

/** Every run with errors: how many, and its most frequent messages. */
export function printErrors(results: Measured[]): void {
  const failing = results.flatMap((m) =>
    [
      { run: '', r: m.loaded },
      { run: ' (one at a time)', r: m.unloaded },
      { run: ` (paced at ${m.paced?.rate} req/s)`, r: m.paced?.result },
    ]
      .filter((x): x is { run: string; r: LoadResult } => !!x.r && x.r.errors > 0)
      .map((x) => ({ m, ...x })),
  );
  out();
  if (!failing.length) {
    out('errors: none (every answer was a 200 without GraphQL errors and passed its check)');
    return;
  }
  out('errors:');
  for (const { m, run, r } of failing) {
    out(`  ${m.query.id} on ${m.server}${run}: ${r.errors} errors, ${r.responses} answers`);
    const top = [...r.errorSamples.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    for (const [message, count] of top) out(`    ${count} x ${message}`);
  }
}

/**
 * One server's mixed run: its total throughput, then each query's share of the answers with its
 * latencies inside the mix, and the p99 targets judged there.
 */
export function printMix(server: ServerName, run: TaggedLoadResult, queries: BenchQuery[], hitShare?: number): void {
  const r = run.all;
  const hits = hitShare === undefined ? '' : `, hits ${percent(hitShare)}`;
  out(
    `  ${server.padEnd(10)} ${fmt(r.rps)} req/s in all, p50 ${ms(r.p50)} p99 ${ms(r.p99)} ms, ${r.errors} errors${hits}`,
  );
  for (const q of queries) {
    const t = run.byTag.get(q.id);
    if (!t) continue;
    const cells = [fmt(t.rps), ms(t.p50), ms(t.p95), ms(t.p99), ms(t.max), String(t.errors)];
    const target =
      q.p99TargetMs == null || server === 'subsquid'
        ? ''
        : `   p99 < ${q.p99TargetMs} ms: ${verdict(t.p99 < q.p99TargetMs && t.errors === 0)}`;
    out(`    ${q.id.padEnd(22)} ${''.padEnd(8)} ${cells.map((c) => c.padStart(7)).join(' ')}${target}`);
  }
}
