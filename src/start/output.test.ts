import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { LogEntry, LogLevel } from '../util/log';
import { createJsonOutput, createLineBudget, createOutput } from './output';
import { redactRpcUrl, redactUrl } from './errors';

describe('createOutput', () => {
  it('aligns start-up steps under an 11-character label and prefixes warnings and errors', () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const o = createOutput(out, err);
    o.step('database', 'embedded Postgres');
    o.warn('port 8545 is in use');
    o.error('boom');
    assert.equal(out.read().toString(), '  database   embedded Postgres\nwarning: port 8545 is in use\n');
    assert.equal(err.read().toString(), 'error: boom\n');
  });
});

describe('createJsonOutput (LOG_FORMAT=json)', () => {
  it('makes each step, line, warning and error one record with its level, the step label as a field', () => {
    const got: [LogLevel, LogEntry][] = [];
    const o = createJsonOutput((level, entry) => got.push([level, entry]));
    o.step('database', 'embedded Postgres');
    o.step('', 'continued');
    o.line('\nGraphQL: http://localhost:4350/graphql\n');
    o.line('');
    o.warn('port 8545 is in use');
    o.error('boom');
    assert.deepEqual(got, [
      ['info', { msg: 'embedded Postgres', step: 'database' }],
      ['info', { msg: 'continued' }],
      ['info', { msg: 'GraphQL: http://localhost:4350/graphql' }],
      ['warn', { msg: 'port 8545 is in use' }],
      ['error', { msg: 'boom' }],
    ]);
  });
});

describe('createLineBudget', () => {
  it('prints max lines per window, announces the first dropped one, and starts over in the next window', () => {
    const b = createLineBudget(2, 1000);
    assert.deepEqual([b.take(0), b.take(10), b.take(20), b.take(30)], ['print', 'print', 'drop-first', 'drop']);
    assert.equal(b.take(1000), 'print');
  });
});

describe('redactUrl and redactRpcUrl', () => {
  it('hides a database password', () => {
    assert.equal(redactUrl('postgres://app:s3cret@db:5432/indexer'), 'postgres://app:***@db:5432/indexer');
  });

  it('hides an RPC path or query that may hold an API key, and keeps a bare origin', () => {
    assert.equal(redactRpcUrl('https://eth.example.com/v2/KEY123'), 'https://eth.example.com/***');
    assert.equal(redactRpcUrl('https://rpc.openledger.xyz'), 'https://rpc.openledger.xyz');
    assert.equal(redactRpcUrl('http://127.0.0.1:8545/'), 'http://127.0.0.1:8545');
  });
});
