import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvmBatchProcessor } from '@subsquid/evm-processor';
import { Registry } from 'prom-client';
import { parsePrometheus, valueOf } from '../test/prometheus';
import { PROCESSOR_METRIC_NAMES as M, createProcessorMetrics, subsquidRegistry } from './metrics';

describe('createProcessorMetrics', () => {
  it('records batches, writes and commits as counters, histograms and the head gauge', async () => {
    const registry = new Registry();
    const m = createProcessorMetrics(registry);
    m.indexedHeight(41);
    m.batch({ decodeMs: 3, loadMs: 20, foldMs: 7, events: 120, anomalies: { UNKNOWN_CONTRIBUTION: 2 } });
    m.batch({
      decodeMs: 1,
      loadMs: 0,
      foldMs: 2,
      events: 30,
      anomalies: { UNKNOWN_CONTRIBUTION: 1, DUPLICATE_CLAIM: 1 },
    });
    m.written({ ms: 40, rows: { contributions: 10, anomalies: 4 } });
    m.written({ ms: 5, rows: { contributions: 2 } });
    m.committed({ ms: 55, kind: 'final', height: 90 });
    m.committed({ ms: 8, kind: 'hot', height: 95 });
    const s = parsePrometheus(await registry.metrics());
    assert.equal(valueOf(s, M.events), 150);
    assert.equal(valueOf(s, M.anomalies, { kind: 'UNKNOWN_CONTRIBUTION' }), 3);
    assert.equal(valueOf(s, M.anomalies, { kind: 'DUPLICATE_CLAIM' }), 1);
    assert.equal(valueOf(s, M.rowsWritten, { kind: 'contributions' }), 12);
    assert.equal(valueOf(s, M.rowsWritten, { kind: 'anomalies' }), 4);
    assert.equal(valueOf(s, `${M.batchDuration}_count`, { phase: 'load' }), 2);
    assert.equal(valueOf(s, `${M.batchDuration}_sum`, { phase: 'load' }), 0.02);
    assert.equal(valueOf(s, `${M.batchDuration}_bucket`, { phase: 'load', le: '0.001' }), 1, 'the 0 ms load');
    assert.equal(valueOf(s, `${M.batchDuration}_count`, { phase: 'commit' }), 2);
    assert.equal(valueOf(s, `${M.batchDuration}_sum`, { phase: 'commit' }), 0.045);
    assert.equal(valueOf(s, `${M.commitDuration}_count`, { kind: 'final' }), 1);
    assert.equal(valueOf(s, `${M.commitDuration}_sum`, { kind: 'hot' }), 0.008);
    assert.equal(valueOf(s, M.indexedHeight), 95);
  });

  it('exposes every series from the start (zero), so rates work before the first batch', async () => {
    const s = parsePrometheus(await createProcessorMetricsText());
    assert.equal(valueOf(s, M.events), 0);
    for (const phase of ['decode', 'load', 'fold', 'commit'])
      assert.equal(valueOf(s, `${M.batchDuration}_count`, { phase }), 0);
  });
});

async function createProcessorMetricsText(): Promise<string> {
  const registry = new Registry();
  createProcessorMetrics(registry);
  return registry.metrics();
}

describe('subsquidRegistry', () => {
  it("is the registry Subsquid's metrics server serves (the same object every time)", () => {
    const p = new EvmBatchProcessor();
    const r = subsquidRegistry(p);
    assert.ok(r instanceof Registry);
    assert.equal(subsquidRegistry(p), r);
    const server = (p as unknown as { getPrometheusServer(): { registry: Registry } }).getPrometheusServer();
    assert.equal(server.registry, r);
  });

  it('fails with what to update when the processor no longer has one', () => {
    assert.throws(() => subsquidRegistry({}), /no longer exposes its Prometheus registry/);
  });
});
