import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markerMismatch, type BenchDbMarker } from './apiDb';
import { judgeResponse, quantile } from './apiLoad';

describe('quantile', () => {
  test('is the nearest-rank value of a sorted list', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(quantile(values, 0.5), 50);
    assert.equal(quantile(values, 0.95), 95);
    assert.equal(quantile(values, 0.99), 99);
    assert.equal(quantile(values, 1), 100);
    assert.equal(quantile([7], 0.99), 7);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });
});

describe('judgeResponse', () => {
  const nonEmpty = (data: any) => (data.list.length ? null : 'empty');
  test('passes a 200 whose data passes the check', () => {
    assert.equal(judgeResponse(200, '{"data":{"list":[1]}}', undefined, nonEmpty), null);
  });
  test('names the HTTP status, the GraphQL error code and message, a failed check', () => {
    assert.equal(judgeResponse(503, 'busy', undefined, nonEmpty), 'HTTP 503: busy');
    assert.equal(
      judgeResponse(200, '{"errors":[{"message":"bad","extensions":{"code":"BAD_USER_INPUT"}}]}', undefined, nonEmpty),
      'GraphQL error BAD_USER_INPUT: bad',
    );
    assert.equal(judgeResponse(200, '{"data":{"list":[]}}', undefined, nonEmpty), 'empty');
    assert.equal(judgeResponse(200, '{"data":null}', undefined, nonEmpty), 'no data');
    assert.equal(judgeResponse(200, '<html>', undefined, nonEmpty), 'not JSON: <html>');
  });
});

describe('markerMismatch', () => {
  const marker: BenchDbMarker = {
    scenario: 'large',
    seed: 1,
    migrations: ['1-Init.js', '2-Boards.js'],
    chainId: 901,
    height: 100,
    hash: '0xabc',
    events: '10',
    indexedAt: '2026-01-01T00:00:00.000Z',
    indexSeconds: 1,
  };
  const wanted = { scenario: 'large', seed: 1, migrations: ['1-Init.js', '2-Boards.js'] };
  test('reuses a cluster of the same scenario, seed and migrations', () => {
    assert.equal(markerMismatch(marker, wanted), null);
  });
  test('re-indexes without a marker, for another scenario or seed, or after a new migration', () => {
    assert.equal(markerMismatch(null, wanted), 'no indexed cluster yet');
    assert.equal(markerMismatch(marker, { ...wanted, seed: 2 }), 'it holds scenario large seed 1');
    assert.equal(markerMismatch(marker, { ...wanted, scenario: 'medium' }), 'it holds scenario large seed 1');
    assert.equal(
      markerMismatch(marker, { ...wanted, migrations: [...wanted.migrations, '3-Stats.js'] }),
      'the migrations changed since it was indexed',
    );
  });
});
