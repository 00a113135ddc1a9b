import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEventStream } from './eventStream';

describe('event streams', () => {
  it('delivers pushed events in order, to a waiting consumer and from the queue', async () => {
    const s = createEventStream<number>();
    const first = s.next();
    s.push(1);
    s.push(2);
    s.push(3);
    assert.deepEqual(await first, { value: 1, done: false });
    assert.deepEqual(await s.next(), { value: 2, done: false });
    assert.deepEqual(await s.next(), { value: 3, done: false });
  });

  it('ends a consumer that falls more than maxQueued events behind, once, and drops later pushes', async () => {
    const reasons: string[] = [];
    const s = createEventStream<number>({ maxQueued: 2, onClose: (r) => reasons.push(r) });
    for (const n of [1, 2, 3, 4]) s.push(n);
    assert.equal(s.closed, true);
    assert.deepEqual(await s.next(), { value: undefined, done: true });
    assert.deepEqual(reasons, ['overflow']);
  });

  it('return() ends a waiting consumer and reports the close once', async () => {
    const reasons: string[] = [];
    const s = createEventStream<number>({ onClose: (r) => reasons.push(r) });
    const waiting = s.next();
    await s.return();
    await s.return();
    assert.deepEqual(await waiting, { value: undefined, done: true });
    s.push(5);
    assert.deepEqual(await s.next(), { value: undefined, done: true });
    assert.deepEqual(reasons, ['return']);
  });
});
