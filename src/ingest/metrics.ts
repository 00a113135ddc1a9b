// The processor's own Prometheus metrics, registered in Subsquid's registry so that they are served
// with its `sqd_processor_*` metrics on the same endpoint (PROCESSOR_PROMETHEUS_PORT, path /metrics).
// Every figure is recorded once per batch or per commit, from the numbers the `batch` and `commit`
// log lines already carry: nothing is called per event.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Histogram buckets of the batch phases and commits, in seconds (1 ms to 1 min). */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What the batch handler and the database wrapper record. */
export interface ProcessorMetrics {
  /** One handled batch: its phase durations (ms), the events it decoded and its anomalies by kind. */
  batch(b: {
    decodeMs: number;
    loadMs: number;
    foldMs: number;
    events: number;
    anomalies: Record<string, number>;
  }): void;
  /** One write of rows to the database (a commit's statements): how long it took (ms) and rows per kind. */
  written(w: { ms: number; rows: Record<string, number> }): void;
  /** One committed database transaction: how long it took from start to COMMIT (ms) and the new head. */
  committed(c: { ms: number; kind: 'final' | 'hot'; height: number }): void;
  /** The highest committed block (also set from the database state when the processor starts). */
  indexedHeight(height: number): void;
}

/** Metric names, for the README and the tests. */
export const PROCESSOR_METRIC_NAMES = {
  batchDuration: 'openledger_processor_batch_duration_seconds',
  anomalies: 'openledger_processor_anomalies_total',
  rowsWritten: 'openledger_processor_rows_written_total',
  events: 'openledger_processor_events_processed_total',
  commitDuration: 'openledger_processor_commit_duration_seconds',
  indexedHeight: 'openledger_processor_indexed_height',
} as const;

/** Creates the processor's metrics in `registry` (Subsquid's, see `subsquidRegistry`). */
export function createProcessorMetrics(registry: Registry): ProcessorMetrics {
  const registers = [registry];
  const batchDuration = new Histogram({
    name: PROCESSOR_METRIC_NAMES.batchDuration,
    help: 'Batch handling time by phase: decode, load, fold (per batch) and commit (the writes of a commit, which may hold several batches)',
    labelNames: ['phase'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const anomalies = new Counter({
    name: PROCESSOR_METRIC_NAMES.anomalies,
    help: 'Anomalies recorded (chain data that broke an expectation), by kind',
    labelNames: ['kind'],
    registers,
  });
  const rowsWritten = new Counter({
    name: PROCESSOR_METRIC_NAMES.rowsWritten,
    help: 'Rows written (inserted or updated) by kind of entity',
    labelNames: ['kind'],
    registers,
  });
  const events = new Counter({
    name: PROCESSOR_METRIC_NAMES.events,
    help: 'Events processed: logs of the configured contracts and native deposit transactions',
    registers,
  });
  const commitDuration = new Histogram({
    name: PROCESSOR_METRIC_NAMES.commitDuration,
    help: 'Database transactions committed, from start to COMMIT: final (finalized blocks) or hot (unfinalized blocks)',
    labelNames: ['kind'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const height = new Gauge({
    name: PROCESSOR_METRIC_NAMES.indexedHeight,
    help: 'Highest block committed to the database',
    registers,
  });
  for (const phase of ['decode', 'load', 'fold', 'commit']) batchDuration.zero({ phase });
  for (const kind of ['final', 'hot']) commitDuration.zero({ kind });
  events.inc(0);
  return {
    batch({ decodeMs, loadMs, foldMs, events: n, anomalies: byKind }) {
      batchDuration.observe({ phase: 'decode' }, decodeMs / 1000);
      batchDuration.observe({ phase: 'load' }, loadMs / 1000);
      batchDuration.observe({ phase: 'fold' }, foldMs / 1000);
      events.inc(n);
      for (const kind in byKind) anomalies.inc({ kind }, byKind[kind]);
    },
    written({ ms, rows }) {
      batchDuration.observe({ phase: 'commit' }, ms / 1000);
      for (const kind in rows) rowsWritten.inc({ kind }, rows[kind]);
    },
    committed({ ms, kind, height: h }) {
      commitDuration.observe({ kind }, ms / 1000);
      height.set(h);
    },
    indexedHeight(h) {
      height.set(h);
    },
  };
}

/**
 * The registry Subsquid's processor serves on its metrics port. `getPrometheusServer()` is private
 * in the processor's typings but memoized and public at run time: the runner serves this same object.
 */
export function subsquidRegistry(processor: object): Registry {
  const server = (processor as { getPrometheusServer?: () => { registry?: Registry } }).getPrometheusServer?.();
  if (!server?.registry) {
    throw new Error('@subsquid/evm-processor no longer exposes its Prometheus registry: update subsquidRegistry()');
  }
  return server.registry;
}
