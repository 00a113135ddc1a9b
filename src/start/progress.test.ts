import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createProgressTracker,
  formatCatchUpLine,
  formatCount,
  formatDuration,
  formatPercent,
  type ProgressSample,
} from './progress';

describe('progress formatting', () => {
  it('groups thousands with commas regardless of locale', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(45678), '45,678');
    assert.equal(formatCount(1234567.6), '1,234,568');
    assert.equal(formatCount(-1200), '-1,200');
  });

  it('prints percentages with one decimal, truncated and clamped to 0..100', () => {
    assert.equal(formatPercent(1234, 5678), '21.7%');
    assert.equal(formatPercent(5677, 5678), '99.9%');
    assert.equal(formatPercent(6000, 5678), '100.0%');
    assert.equal(formatPercent(0, 0), '100.0%');
  });

  it('prints durations in ms, s, then min and s', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(12_345), '12.3 s');
    assert.equal(formatDuration(245_000), '4 min 05 s');
  });

  it('formats the catching-up line as in the README', () => {
    assert.equal(
      formatCatchUpLine(1234, 5678, 45678, 12345),
      'indexing: block 1234/5678 (21.7%), 45,678 events, 12,345 ev/s',
    );
    assert.equal(formatCatchUpLine(10, 100, null, null), 'indexing: block 10/100 (10.0%)');
  });
});

describe('createProgressTracker', () => {
  const s = (at: number, height: number | null, events: number | null, chainHead: number | null): ProgressSample => ({
    at,
    height,
    events,
    chainHead,
  });

  it('prints a catching-up line at most every 2 s with the event rate over the window', () => {
    const t = createProgressTracker();
    assert.equal(t.observe(s(0, 100, 1000, 1000)), 'indexing: block 100/1000 (10.0%), 1,000 events');
    assert.equal(t.observe(s(1000, 200, 3000, 1000)), null);
    assert.equal(t.observe(s(2000, 300, 5000, 1000)), 'indexing: block 300/1000 (30.0%), 5,000 events, 2,000 ev/s');
    assert.equal(t.caughtUp, false);
  });

  it('says when it has caught up, once, with the time it took', () => {
    const t = createProgressTracker();
    t.observe(s(0, 0, 0, 1000));
    assert.equal(
      t.observe(s(12_300, 998, 45678, 1000)),
      'caught up: block 998, 45,678 events in 12.3 s; following the chain head',
    );
    assert.equal(t.caughtUp, true);
    assert.equal(t.observe(s(12_400, 999, 45700, 1000)), null);
  });

  it('once caught up prints new blocks at most every 10 s and a heartbeat every 30 s', () => {
    const t = createProgressTracker();
    t.observe(s(0, 1000, 100, 1000));
    assert.equal(t.observe(s(5_000, 1002, 120, 1003)), null);
    assert.equal(t.observe(s(10_000, 1005, 150, 1006)), 'live: block 1005 (head 1006), 150 events (+50)');
    assert.equal(t.observe(s(25_000, 1005, 150, 1006)), null);
    assert.equal(t.observe(s(40_000, 1005, 150, 1006)), 'live: block 1005 (head 1006), 150 events (+0)');
  });

  it('says "up to date" when the first sample is already at the head (a resumed run)', () => {
    const t = createProgressTracker();
    assert.equal(t.observe(s(0, 163, 1783, 163)), 'up to date: block 163, 1,783 events; following the chain head');
  });

  it('goes back to catching-up lines when it falls more than 50 blocks behind', () => {
    const t = createProgressTracker();
    assert.match(t.observe(s(0, 1000, 100, 1000)) ?? '', /^up to date/);
    assert.equal(t.observe(s(2_000, 1000, 100, 1100)), 'indexing: block 1000/1100 (90.9%), 100 events, 0 ev/s');
    assert.equal(t.caughtUp, false);
    assert.equal(t.observe(s(4_000, 1099, 200, 1100)), 'caught up: block 1099, 200 events; following the chain head');
  });

  it('waits for the first batch, and copes with a node that does not answer', () => {
    const t = createProgressTracker();
    assert.equal(t.observe(s(0, null, null, 500)), 'indexing: waiting for the first batch (chain head 500)');
    assert.equal(t.observe(s(1_000, null, null, 500)), null);
    assert.equal(t.observe(s(2_000, 10, null, null)), null);
    assert.equal(t.observe(s(30_000, 10, null, null)), 'indexing: block 10 (the node did not answer eth_blockNumber)');
  });
});
