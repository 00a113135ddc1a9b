/**
 * The SSE subscribers of `npm run bench:live`, in a process of their own (forked by src/bench/live.ts)
 * so that the benchmark process measures the API alone. Reads its plan from argv (JSON), opens the
 * subscriptions, and reports latencies over IPC: for each event, the time from the commit of its
 * range (the `committedAt` of the head event with the same block, stamped by the processor just
 * before COMMIT) to its arrival here.
 */
import http from 'node:http';
import { subscribeSse, type SseSubscription } from '../test/sse';

/** What the parent asks for. */
export interface LiveClientsPlan {
  url: string;
  heads: number;
  /** One subscription per entry. */
  contributors: string[];
  models: string[];
}

/** What this process reports when asked (`{type: 'report'}`). */
export interface LiveClientsReport {
  /** Milliseconds from commit to arrival, per topic. */
  latencies: { head: number[]; contributor: number[]; model: number[] };
  /** Events that arrived before their commit time was known (a head event for that block never came). */
  unmatched: number;
  open: number;
  errors: string[];
}

/** A `next` payload's data: the subscription field and its selected values. */
type EventData = Record<string, Record<string, unknown>>;

const HEAD = 'subscription { indexerHead { height committedAt } }';
const CONTRIBUTOR =
  'subscription ($a: String!) { contributorUpdates(address: $a) { toBlock earnedTotal claimable reputationScore } }';
const MODEL = 'subscription ($m: ID!) { modelInferences(modelId: $m) { toBlock inference { id fee } } }';

function main(): void {
  const plan = JSON.parse(process.argv[2]) as LiveClientsPlan;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const committedAt = new Map<number, number>();
  const report: LiveClientsReport = {
    latencies: { head: [], contributor: [], model: [] },
    unmatched: 0,
    open: 0,
    errors: [],
  };
  const waiting: { topic: 'contributor' | 'model'; block: number; at: number }[] = [];
  const subs: SseSubscription[] = [];

  const record = (topic: 'contributor' | 'model', block: number, at: number) => {
    const committed = committedAt.get(block);
    if (committed === undefined) waiting.push({ topic, block, at });
    else report.latencies[topic].push(at - committed);
  };
  const watchers: (() => void)[] = [];
  const watch = (sub: SseSubscription, onEvent: (data: EventData, at: number) => void) => {
    subs.push(sub);
    let seen = 0;
    watchers.push(() => {
      while (seen < sub.received.length) {
        const { payload, at } = sub.received[seen++];
        if (payload.errors) report.errors.push(payload.errors[0].message);
        else onEvent(payload.data, at);
      }
    });
  };
  // The SSE client stamps each event on arrival and pushes it into `received`; one timer drains them all.
  const drain = () => {
    for (const w of watchers) w();
  };
  setInterval(drain, 20);

  for (let i = 0; i < plan.heads; i++) {
    watch(subscribeSse(plan.url, HEAD, {}, agent), (d, at) => {
      const block = d.indexerHead.height as number;
      const committed = Date.parse(d.indexerHead.committedAt as string);
      if (!committedAt.has(block)) {
        committedAt.set(block, committed);
        for (let j = waiting.length - 1; j >= 0; j--) {
          if (waiting[j].block !== block) continue;
          report.latencies[waiting[j].topic].push(waiting[j].at - committed);
          waiting.splice(j, 1);
        }
      }
      report.latencies.head.push(at - committed);
    });
  }
  for (const a of plan.contributors) {
    watch(subscribeSse(plan.url, CONTRIBUTOR, { a }, agent), (d, at) =>
      record('contributor', d.contributorUpdates.toBlock as number, at),
    );
  }
  for (const m of plan.models) {
    watch(subscribeSse(plan.url, MODEL, { m }, agent), (d, at) =>
      record('model', d.modelInferences.toBlock as number, at),
    );
  }
  void Promise.all(subs.map((s) => s.opened)).then(
    () => process.send!({ type: 'opened', count: subs.length }),
    (err) => process.send!({ type: 'failed', error: String(err) }),
  );
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'report') {
      // Let the last events drain first.
      setTimeout(() => {
        drain();
        report.unmatched = waiting.length;
        report.open = subs.filter((s) => !s.ended).length;
        process.send!({ type: 'report', report });
      }, 100);
    } else if (msg.type === 'reset') {
      report.latencies = { head: [], contributor: [], model: [] };
      report.errors = [];
      waiting.length = 0;
    } else if (msg.type === 'close') {
      for (const s of subs) s.close();
      setTimeout(() => process.exit(0), 100);
    }
  });
}

main();
