import { Pool } from 'pg';
import { readIndexedHead } from './indexedHead';
import { fetchChainHead } from './rpc';

/** One observation: what the database has indexed and where the chain is. */
export interface ProgressSample {
  /** Wall-clock time of the observation, ms. */
  at: number;
  /** Last indexed block, or null before the first batch. */
  height: number | null;
  /** Total events indexed, or null when unknown. */
  events: number | null;
  /** Chain head from `eth_blockNumber`, or null when the node did not answer. */
  chainHead: number | null;
}

/** When progress lines are printed. */
export interface ProgressPolicy {
  /** While catching up: one line per interval. Default 2,000 ms. */
  catchUpIntervalMs: number;
  /** Once caught up: a line at most this often when new blocks were indexed. Default 10,000 ms. */
  liveIntervalMs: number;
  /** Once caught up: a line at least this often even when nothing changed. Default 30,000 ms. */
  heartbeatMs: number;
  /** Caught up when the indexed height is at most this many blocks behind the head. Default 3. */
  caughtUpLag: number;
  /** Back to catching up when it falls more than this many blocks behind. Default 50. */
  fallenBehindLag: number;
  /** Events/s is averaged over this window. Default 10,000 ms. */
  rateWindowMs: number;
}

/** The default {@link ProgressPolicy}. */
export const DEFAULT_PROGRESS_POLICY: ProgressPolicy = {
  catchUpIntervalMs: 2_000,
  liveIntervalMs: 10_000,
  heartbeatMs: 30_000,
  caughtUpLag: 3,
  fallenBehindLag: 50,
  rateWindowMs: 10_000,
};

/** Formats an integer with thousands separators (`45678` -> `45,678`), independent of locale. */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a share as a percentage with one decimal, clamped to 0..100 (`21.7%`). */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '100.0%';
  const p = Math.min(100, Math.max(0, (100 * part) / whole));
  return `${(Math.floor(p * 10) / 10).toFixed(1)}%`;
}

/** Formats a duration for humans (`850 ms`, `12.3 s`, `4 min 05 s`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The catching-up line: `indexing: block 1234/5678 (21.7%), 45,678 events, 12,345 ev/s`. */
export function formatCatchUpLine(
  height: number,
  chainHead: number,
  events: number | null,
  rate: number | null,
): string {
  let line = `indexing: block ${height}/${chainHead} (${formatPercent(height, chainHead)})`;
  if (events !== null) line += `, ${formatCount(events)} events`;
  if (rate !== null) line += `, ${formatCount(rate)} ev/s`;
  return line;
}

/** A stateful progress reporter: feed it samples, print the lines it returns. */
export interface ProgressTracker {
  /** Records a sample; returns the line to print now, or null. */
  observe(sample: ProgressSample): string | null;
  /** True once the indexer has reached the chain head (and not fallen behind since). */
  readonly caughtUp: boolean;
}

/** Creates a {@link ProgressTracker} (pure: time comes from the samples). */
export function createProgressTracker(policy: ProgressPolicy = DEFAULT_PROGRESS_POLICY): ProgressTracker {
  const window: { at: number; events: number }[] = [];
  let caughtUp = false;
  let everCaughtUp = false;
  let firstAt: number | null = null;
  let lastLineAt = -Infinity;
  let lastLineHeight: number | null = null;
  let lastLineEvents: number | null = null;

  function rate(sample: ProgressSample): number | null {
    if (sample.events === null) return null;
    window.push({ at: sample.at, events: sample.events });
    while (window.length > 2 && sample.at - window[1].at >= policy.rateWindowMs) window.shift();
    const first = window[0];
    const dt = sample.at - first.at;
    return dt > 0 ? Math.max(0, ((sample.events - first.events) * 1000) / dt) : null;
  }

  function emit(sample: ProgressSample, line: string): string {
    lastLineAt = sample.at;
    lastLineHeight = sample.height;
    lastLineEvents = sample.events;
    return line;
  }

  return {
    get caughtUp() {
      return caughtUp;
    },
    observe(sample) {
      firstAt ??= sample.at;
      const evRate = rate(sample);
      const since = sample.at - lastLineAt;
      if (sample.height === null) {
        if (since < policy.catchUpIntervalMs) return null;
        const head = sample.chainHead === null ? 'chain head unknown' : `chain head ${sample.chainHead}`;
        return emit(sample, `indexing: waiting for the first batch (${head})`);
      }
      if (sample.chainHead === null) {
        if (since < policy.heartbeatMs) return null;
        return emit(sample, `indexing: block ${sample.height} (the node did not answer eth_blockNumber)`);
      }
      const lag = sample.chainHead - sample.height;
      if (!caughtUp && lag <= policy.caughtUpLag) {
        caughtUp = true;
        const events = sample.events === null ? '' : `, ${formatCount(sample.events)} events`;
        if (sample.at === firstAt) {
          everCaughtUp = true;
          return emit(sample, `up to date: block ${sample.height}${events}; following the chain head`);
        }
        const took = everCaughtUp ? '' : ` in ${formatDuration(sample.at - firstAt)}`;
        everCaughtUp = true;
        return emit(sample, `caught up: block ${sample.height}${events}${took}; following the chain head`);
      }
      if (caughtUp && lag > policy.fallenBehindLag) caughtUp = false;
      if (!caughtUp) {
        if (since < policy.catchUpIntervalMs) return null;
        return emit(sample, formatCatchUpLine(sample.height, sample.chainHead, sample.events, evRate));
      }
      const moved = sample.height !== lastLineHeight;
      if ((moved && since >= policy.liveIntervalMs) || since >= policy.heartbeatMs) {
        let line = `live: block ${sample.height} (head ${sample.chainHead})`;
        if (sample.events !== null) {
          const added = lastLineEvents === null ? 0 : sample.events - lastLineEvents;
          line += `, ${formatCount(sample.events)} events (+${formatCount(added)})`;
        }
        return emit(sample, line);
      }
      return null;
    },
  };
}

/** Parameters of {@link startProgressReporter}. */
export interface ProgressReporterParameters {
  dbUrl: string;
  rpcUrl: string;
  print: (line: string) => void;
  /** Poll interval, default 1,000 ms (lines are throttled by the policy). */
  pollMs?: number;
  policy?: ProgressPolicy;
}

/** Polls the database and the node, printing progress lines; returns a stop function. */
export function startProgressReporter({ dbUrl, rpcUrl, print, pollMs = 1_000, policy }: ProgressReporterParameters): {
  stop(): Promise<void>;
} {
  const pool = new Pool({ connectionString: dbUrl, max: 1, application_name: 'openledger-start-progress' });
  pool.on('error', () => {}); // a dropped idle connection is retried on the next poll
  const tracker = createProgressTracker(policy);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  async function poll(): Promise<void> {
    const [head, chainHead] = await Promise.all([
      readIndexedHead(pool).catch(() => null),
      fetchChainHead(rpcUrl).catch(() => null),
    ]);
    if (stopped) return;
    const line = tracker.observe({
      at: Date.now(),
      height: head?.height ?? null,
      events: head?.events ?? null,
      chainHead,
    });
    if (line) print(line);
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = poll()
        .catch(() => {})
        .finally(schedule);
    }, pollMs);
  }
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight.catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
