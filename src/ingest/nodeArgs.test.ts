import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROCESSOR_NODE_ARGS, missingNodeArgs } from './nodeArgs';

describe('processor node flags', () => {
  test('are reported missing when neither the command line nor NODE_OPTIONS gives them', () => {
    assert.deepEqual(missingNodeArgs([]), [...PROCESSOR_NODE_ARGS]);
    assert.deepEqual(missingNodeArgs(['--enable-source-maps'], '--max-old-space-size=900'), [...PROCESSOR_NODE_ARGS]);
  });

  test('count as given with any value, on the command line, in NODE_OPTIONS, or spelled with underscores', () => {
    assert.deepEqual(missingNodeArgs([...PROCESSOR_NODE_ARGS]), []);
    assert.deepEqual(missingNodeArgs(['--max-semi-space-size=32']), []);
    assert.deepEqual(missingNodeArgs([], '--max-semi-space-size=128 --trace-gc'), []);
    assert.deepEqual(missingNodeArgs(['--max_semi_space_size=64']), []);
  });
});
