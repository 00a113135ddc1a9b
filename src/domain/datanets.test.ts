import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataHashKey, datanetStatusFromCode, statusAfterReview, statusCountDeltas } from './datanets';

describe('datanet rules', () => {
  it('maps status codes 0..2 and rejects others', () => {
    assert.deepEqual([0, 1, 2, 3, 255].map(datanetStatusFromCode), ['ACTIVE', 'PAUSED', 'CLOSED', null, null]);
  });
  it('lets the latest review decide the status', () => {
    assert.equal(statusAfterReview(true), 'ACCEPTED');
    assert.equal(statusAfterReview(false), 'REJECTED');
  });
  it('moves one count between statuses', () => {
    assert.deepEqual(statusCountDeltas(null, 'PENDING'), { PENDING: 1, ACCEPTED: 0, REJECTED: 0 });
    assert.deepEqual(statusCountDeltas('ACCEPTED', 'REJECTED'), { PENDING: 0, ACCEPTED: -1, REJECTED: 1 });
    assert.deepEqual(statusCountDeltas('ACCEPTED', 'ACCEPTED'), { PENDING: 0, ACCEPTED: 0, REJECTED: 0 });
  });
  it('keys duplicates by Datanet and case-insensitive hash', () => {
    assert.equal(dataHashKey(3n, '0xAB'), dataHashKey('3', '0xab'));
    assert.notEqual(dataHashKey(3n, '0xab'), dataHashKey(4n, '0xab'));
  });
});
