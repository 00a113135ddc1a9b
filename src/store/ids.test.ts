import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountEpochId, datanetAccountId, datanetEpochId, epochIds, modelEpochId } from './ids';

describe('row ids built from an epoch and a key', () => {
  it('have the documented forms, whatever order epochs come in', () => {
    const a = '0x00000000000000000000000000000000000000aa';
    assert.equal(accountEpochId(3n, a), `3-${a}`);
    assert.equal(accountEpochId(4n, a), `4-${a}`);
    assert.equal(accountEpochId(3n, a), `3-${a}`);
    assert.equal(datanetEpochId('7', 3n), '7-3');
    assert.equal(modelEpochId('9', 12n), '9-12');
    assert.equal(datanetAccountId('7', a), `7-${a}`);
  });

  it('give one string per pair, across interleaved epochs and past the memo limit', () => {
    let built = 0;
    const id = epochIds((epoch: bigint, key) => (built++, `${epoch}/${key}`), 4);
    const first = id(1n, 'x');
    assert.equal(id(2n, 'x'), '2/x');
    assert.equal(id(1n, 'x'), first);
    assert.equal(built, 2, 'the second call for (1, x) is memoized');
    for (const key of ['a', 'b', 'c', 'd']) assert.equal(id(1n, key), `1/${key}`);
    // Past the limit everything is forgotten: correct values still, built again.
    assert.equal(id(2n, 'x'), '2/x');
    assert.equal(id(1n, 'x'), '1/x');
    assert.ok(built > 6, `rebuilt after the limit (${built})`);
  });
});
