/**
 * `npm run bench:live`: 1,000 concurrent SSE subscribers (head, contributor and model topics) on a
 * devnet with live traffic, indexed by the processor. Prints delivery latency after commit
 * (p50/p95/max), the API's RSS and CPU with and without the subscribers, and the database statements
 * per notification. Asserts nothing.
 *
 * Options: --scenario small|medium (small), --seed N (1), --subscribers N (1000), --seconds N (60),
 * --baseline N (20: seconds measured without subscribers first).
 *
 * Processes: the devnet (node + live simulator), the processor and the SSE clients each run in their
 * own process; this one holds only the API, so its RSS and CPU are the API's.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProcessedHead } from '../api/processedHead';
import { createApiServer } from '../api/server';
import { rpc } from '../devnet/chain';
import type { GroundTruth } from '../devnet/types';
import { setupTestDatabase } from '../test/postgres';
import { startTestProcessor } from '../test/processorChild';
import { startDevnetProcess } from './devnetProcess';
import type { LiveClientsPlan, LiveClientsReport } from './liveClients';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function latencyLine(name: string, xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (n: number) => (Number.isNaN(n) ? '-' : `${Math.round(n)}`);
  return `  ${name.padEnd(12)} events ${String(s.length).padStart(7)}   p50 ${f(percentile(s, 50)).padStart(5)} ms   p95 ${f(percentile(s, 95)).padStart(5)} ms   max ${f(s[s.length - 1]).padStart(5)} ms`;
}

/** Samples this process's RSS and CPU over a window. */
function measure(): () => { cpuPercent: number; rssPeak: number; rssEnd: number; seconds: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let rssPeak = process.memoryUsage.rss();
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 250);
  return () => {
    clearInterval(timer);
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - started;
    const rssEnd = process.memoryUsage.rss();
    return {
      cpuPercent: ((used.user + used.system) / 1000 / ms) * 100,
      rssPeak: Math.max(rssPeak, rssEnd),
      rssEnd,
      seconds: ms / 1000,
    };
  };
}

async function main(): Promise<void> {
  const scenario = arg('scenario', 'small');
  const seed = Number(arg('seed', '1'));
  const subscribers = Number(arg('subscribers', '1000'));
  const seconds = Number(arg('seconds', '60'));
  const baselineSeconds = Number(arg('baseline', '20'));
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-bench-live-'));
  const cleanups: (() => Promise<unknown>)[] = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  try {
    out(`starting the ${scenario} scenario (seed ${seed}) with live traffic on a fresh devnet...`);
    const devnet = await startDevnetProcess({
      scenario,
      seed,
      live: true,
      out: path.join(dir, 'deployment.json'),
      echo: (line) => out(`  ${line}`),
    });
    cleanups.push(() => devnet.stop());
    const db = await setupTestDatabase();
    cleanups.push(() => db.stop());
    const proc = startTestProcessor({ dbUrl: db.url, rpcUrl: devnet.rpcUrl, deploymentFile: devnet.deploymentFile });
    cleanups.push(() => proc.kill());
    const head = Number(await rpc<string>(devnet.rpcUrl, 'eth_blockNumber'));
    out(`indexing up to block ${head}...`);
    for (;;) {
      const indexed = await loadProcessedHead((sql) => db.query(sql));
      if (indexed && indexed.height >= head) break;
      if (proc.child.exitCode !== null) throw new Error(`processor exited:\n${proc.output().slice(-2000)}`);
      await sleep(250);
    }

    let statements = 0;
    const api = await createApiServer({
      dbUrl: db.url,
      port: 0,
      host: '127.0.0.1',
      rpcUrl: devnet.rpcUrl,
      finalityConfirmations: 5,
      onQuery: () => statements++,
    });
    cleanups.push(() => api.close());
    await api.live.listening();

    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as GroundTruth;
    const addresses = Object.keys(truth.reputation);
    const models = Object.keys(truth.models);
    const heads = Math.round(subscribers * 0.3);
    const contributorCount = Math.round(subscribers * 0.5);
    const plan: LiveClientsPlan = {
      url: api.url,
      heads,
      contributors: Array.from({ length: contributorCount }, (_, i) => addresses[i % addresses.length]),
      models: Array.from({ length: subscribers - heads - contributorCount }, (_, i) => models[i % models.length]),
    };

    out(`\nbaseline: ${baselineSeconds} s of live traffic, no subscribers...`);
    const baseStats = api.live.stats();
    const stopBase = measure();
    await sleep(baselineSeconds * 1000);
    const base = stopBase();
    const baseNotifications = api.live.stats().notifications - baseStats.notifications;

    out(`opening ${subscribers} SSE subscriptions in a client process...`);
    const rssBeforeOpen = process.memoryUsage.rss();
    const clients = fork(path.join(__dirname, 'liveClients.js'), [JSON.stringify(plan)], { stdio: 'inherit' });
    cleanups.push(async () => {
      clients.send({ type: 'close' });
      await new Promise((r) => clients.once('exit', r));
    });
    const reply = <T>(type: string) =>
      new Promise<T>((resolve, reject) => {
        const on = (msg: { type: string } & Record<string, unknown>) => {
          if (msg.type === 'failed') reject(new Error(String(msg.error)));
          if (msg.type !== type) return;
          clients.off('message', on);
          resolve(msg as T);
        };
        clients.on('message', on);
      });
    const openedAt = performance.now();
    await reply('opened');
    const openMs = performance.now() - openedAt;
    await sleep(2000);
    const subscribed = api.live.stats().subscribers;
    const rssOpen = process.memoryUsage.rss();
    clients.send({ type: 'reset' });

    out(`measuring ${seconds} s with ${subscribers} subscribers...`);
    const before = { ...api.live.stats(), statements };
    const stop = measure();
    await sleep(seconds * 1000);
    const loaded = stop();
    const after = { ...api.live.stats(), statements };
    clients.send({ type: 'report' });
    const { report } = await reply<{ report: LiveClientsReport }>('report');

    const notifications = after.notifications - before.notifications;
    const dispatches = after.dispatches - before.dispatches;
    const topicQueries =
      after.queries.contributors - before.queries.contributors + (after.queries.models - before.queries.models);
    const allStatements = after.statements - before.statements;
    const all = [...report.latencies.head, ...report.latencies.contributor, ...report.latencies.model];
    out();
    out(`live updates: ${subscribers} SSE subscribers on the ${scenario} devnet (seed ${seed}), live traffic`);
    out(
      `  subscribers     head ${subscribed.head}, contributor ${subscribed.contributors} (${new Set(plan.contributors).size} addresses), model ${subscribed.models} (${new Set(plan.models).size} models); ${report.open} still open at the end; opened in ${(openMs / 1000).toFixed(1)} s`,
    );
    out(
      `  commits         ${notifications} notifications in ${loaded.seconds.toFixed(0)} s (${(notifications / loaded.seconds).toFixed(1)}/s), ${dispatches} topic dispatches`,
    );
    out(`delivery latency after commit (processor's clock before COMMIT -> SSE client):`);
    out(latencyLine('head', report.latencies.head));
    out(latencyLine('contributor', report.latencies.contributor));
    out(latencyLine('model', report.latencies.model));
    out(latencyLine('all', all));
    if (report.unmatched || report.errors.length)
      out(
        `  (${report.unmatched} events without a head event for their block; ${report.errors.length} errors${report.errors.length ? `: ${report.errors[0]}` : ''})`,
      );
    out(`database statements:`);
    out(
      `  per notification ${(allStatements / Math.max(1, notifications)).toFixed(2)} (${allStatements} statements: ${topicQueries} topic queries, ${after.queries.contributors - before.queries.contributors} contributors + ${after.queries.models - before.queries.models} models; per dispatch ${(topicQueries / Math.max(1, dispatches)).toFixed(2)})`,
    );
    out(`API process (this process):`);
    out(
      `  CPU             ${base.cpuPercent.toFixed(1)} % of a core without subscribers (${baseNotifications} notifications in ${base.seconds.toFixed(0)} s), ${loaded.cpuPercent.toFixed(1)} % with ${subscribers}`,
    );
    out(
      `  RSS             ${mb(rssBeforeOpen)} before, ${mb(rssOpen)} with ${subscribers} subscribers open (+${mb(rssOpen - rssBeforeOpen)}), peak ${mb(loaded.rssPeak)} while measuring`,
    );
  } finally {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:live failed: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
