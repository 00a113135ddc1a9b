import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '@subsquid/logger';
import { fromSubsquidRecord, routeSubsquidLogs } from '../ingest/subsquidLog';
import { createJsonLogger, formatLogLine, readLogLevel, type LogEntry, type LogLevel } from './log';

const lines = (s: PassThrough) =>
  String(s.read() ?? '')
    .split('\n')
    .filter(Boolean);

describe('formatLogLine', () => {
  it('writes time, level and msg first, then the fields, on one line', () => {
    const line = formatLogLine(
      'warn',
      { msg: 'batch', block_from: 3, events: 7 },
      new Date(Date.UTC(2026, 11, 2, 1, 2, 3, 4)),
    );
    assert.equal(line, '{"time":"2026-12-02T01:02:03.004Z","level":"warn","msg":"batch","block_from":3,"events":7}\n');
  });

  it('writes bigints as decimal strings and errors with message and stack; a level or time field cannot override', () => {
    const err = Object.assign(new Error('boom'), { code: '57014' });
    const r = JSON.parse(formatLogLine('error', { msg: 'x', fee: 2n ** 70n, err, level: 'info', time: 'then' }));
    assert.equal(r.fee, '1180591620717411303424');
    assert.equal(r.err.message, 'boom');
    assert.equal(r.err.code, '57014');
    assert.match(r.err.stack, /^Error: boom\n/);
    assert.equal(r.level, 'error');
    assert.notEqual(r.time, 'then');
  });
});

describe('createJsonLogger', () => {
  it('writes records at or above its level, debug and info to stdout, warn and above to stderr', () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const log = createJsonLogger({ level: 'info', stdout, stderr });
    for (const level of ['debug', 'info', 'warn', 'error', 'fatal'] as LogLevel[]) log(level, { msg: level });
    assert.deepEqual(
      lines(stdout).map((l) => JSON.parse(l).msg),
      ['info'],
    );
    assert.deepEqual(
      lines(stderr).map((l) => JSON.parse(l).msg),
      ['warn', 'error', 'fatal'],
    );
    const quiet = createJsonLogger({ level: 'error', stdout, stderr });
    quiet('warn', { msg: 'dropped' });
    quiet('error', { msg: 'kept' });
    assert.equal(stdout.read(), null);
    assert.deepEqual(
      lines(stderr).map((l) => JSON.parse(l).msg),
      ['kept'],
    );
  });
});

describe('readLogLevel', () => {
  it('defaults to info, accepts any case, and refuses anything else naming LOG_LEVEL', () => {
    assert.equal(readLogLevel({}), 'info');
    assert.equal(readLogLevel({ LOG_LEVEL: ' WARN ' }), 'warn');
    assert.throws(
      () => readLogLevel({ LOG_LEVEL: 'verbose' }),
      /^Error: LOG_LEVEL must be one of debug, info, warn, error, fatal \(got "verbose"\)$/,
    );
  });
});

describe("Subsquid's log records", () => {
  it('map numeric levels to names (trace as debug) and keep the namespace and fields', () => {
    assert.deepEqual(fromSubsquidRecord({ level: 2, time: 1, ns: 'sqd:processor', msg: 'processing blocks from 1' }), {
      level: 'info',
      entry: { msg: 'processing blocks from 1', ns: 'sqd:processor' },
    });
    assert.equal(fromSubsquidRecord({ level: 0, msg: 'x' }).level, 'debug');
    assert.equal(fromSubsquidRecord({ level: 5, ns: 'sqd:processor', err: new Error('e') }).entry.msg, '');
  });

  it("are written by our logger once routed: one format for the processor's output", () => {
    const got: { level: LogLevel; entry: LogEntry }[] = [];
    routeSubsquidLogs((level, entry) => got.push({ level, entry }));
    const log = createLogger('sqd:test');
    log.warn({ block: 5 }, 'slow RPC');
    log.error(new Error('lost'), 'failed');
    assert.deepEqual(got[0], { level: 'warn', entry: { msg: 'slow RPC', ns: 'sqd:test', block: 5 } });
    assert.equal(got[1].level, 'error');
    assert.equal((got[1].entry.err as Error).message, 'lost');
  });
});
