import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createProcessorSupervisor,
  decideRestart,
  diagnoseExit,
  parseProcessorLine,
  summarizeRecord,
  type RestartPolicy,
  type SupervisorEvent,
} from './processorChild';

describe('decideRestart', () => {
  it('restarts quick crashes after 1, 2, 4, 8 and 16 s, then gives up on the sixth', () => {
    let quick = 0;
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const d = decideRestart(quick, 2_000);
      assert.equal(d.restart, true);
      if (d.restart) delays.push(d.delayMs);
      quick = d.quickCrashes;
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000]);
    assert.deepEqual(decideRestart(quick, 2_000), { restart: false, quickCrashes: 6 });
  });

  it('resets the count after a run of a minute or more, so rare crashes are always restarted', () => {
    assert.deepEqual(decideRestart(5, 60_000), { restart: true, delayMs: 1000, quickCrashes: 1 });
  });

  it('caps the delay at maxDelayMs', () => {
    const policy: RestartPolicy = { maxQuickRestarts: 10, quickUptimeMs: 60_000, baseDelayMs: 1000, maxDelayMs: 5000 };
    assert.deepEqual(decideRestart(6, 0, policy), { restart: true, delayMs: 5000, quickCrashes: 7 });
  });
});

describe('diagnoseExit', () => {
  it('does not retry a reorg deeper than finality, and says how to re-index', () => {
    const d = diagnoseExit(1, ['fatal sqd:processor: already indexed block 1200#0xab was not found on chain']);
    assert.equal(d.retryable, false);
    assert.match(d.hint ?? '', /Re-index: `npm run db:reset`/);
  });

  it('does not retry a chain mismatch (exit 78), a missing build or a configuration error', () => {
    assert.equal(
      diagnoseExit(78, ['processor failed: the database indexed block 9 (0x1) but the node …']).retryable,
      false,
    );
    assert.equal(diagnoseExit(1, ["Error: Cannot find module '/repo/lib/ingest/main.js'"]).retryable, false);
    assert.equal(diagnoseExit(1, ['Error: NETWORK must be one of devnet (got "x")']).retryable, false);
  });

  it('retries anything else (a database or node that went away)', () => {
    assert.deepEqual(diagnoseExit(1, ['error: connect ECONNREFUSED 127.0.0.1:54329']), { retryable: true });
  });
});

describe('parseProcessorLine and summarizeRecord', () => {
  it('reads Subsquid logger records with numeric levels', () => {
    const r = parseProcessorLine('{"level":5,"ns":"sqd:processor","msg":"boom","err":{"message":"db down"}}', 'stderr');
    assert.equal(r.level, 'fatal');
    assert.equal(summarizeRecord(r), 'fatal sqd:processor: boom: db down');
  });

  it('summarizes a Subsquid fatal record without msg by the first line of its error stack, clipped', () => {
    const stack = 'QueryFailedError: column Epoch.recomputed_root does not exist\n    at PostgresQueryRunner.query';
    const r = parseProcessorLine(
      JSON.stringify({ level: 5, ns: 'sqd:processor', err: { stack, query: 'SELECT …' } }),
      'stderr',
    );
    assert.equal(
      summarizeRecord(r),
      'fatal sqd:processor: QueryFailedError: column Epoch.recomputed_root does not exist',
    );
    const long = parseProcessorLine('x'.repeat(1000), 'stderr');
    assert.equal(summarizeRecord(long).length, 300);
  });

  it('reads our batch lines, which default to info', () => {
    const r = parseProcessorLine('{"msg":"batch","block_from":1,"block_to":9,"events":12}', 'stdout');
    assert.equal(r.level, 'info');
    assert.equal(r.json?.events, 12);
  });

  it('treats plain text on stderr as an error and keeps it as is', () => {
    const r = parseProcessorLine('TypeError: x is not a function', 'stderr');
    assert.deepEqual([r.level, r.json, summarizeRecord(r)], ['error', null, 'TypeError: x is not a function']);
  });
});

describe('createProcessorSupervisor (real child processes)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-supervisor-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, body);
    return file;
  };
  const fast: RestartPolicy = { maxQuickRestarts: 2, quickUptimeMs: 60_000, baseDelayMs: 10, maxDelayMs: 50 };

  it('restarts a crashing processor by the policy, then gives up with its last stderr lines', async () => {
    const events: SupervisorEvent[] = [];
    const sup = createProcessorSupervisor({
      script: script('crash.js', 'console.error("cannot connect: ECONNREFUSED"); process.exit(3);'),
      env: { PATH: process.env.PATH ?? '' },
      policy: fast,
      logFile: path.join(dir, 'logs', 'crash.log'),
      onEvent: (e) => events.push(e),
    });
    const outcome = await sup.done;
    assert.equal(outcome.kind, 'gave-up');
    if (outcome.kind !== 'gave-up') return;
    assert.match(outcome.message, /exited with code 3 and crashed 3 times in a row/);
    assert.deepEqual(outcome.lastLines, ['cannot connect: ECONNREFUSED']);
    assert.deepEqual(
      events.filter((e) => e.kind !== 'record').map((e) => e.kind),
      ['started', 'crashed', 'started', 'crashed', 'started'],
    );
    const log = fs.readFileSync(path.join(dir, 'logs', 'crash.log'), 'utf8');
    assert.deepEqual(
      log.split('\n').map((l) => l.replace(/pid \d+, .*$/, 'pid …')),
      [1, 2, 3].flatMap((run) => [`--- run ${run}, pid …`, 'cannot connect: ECONNREFUSED']).concat(''),
    );
  });

  it('gives up at once on a failure a restart cannot fix', async () => {
    const sup = createProcessorSupervisor({
      script: script(
        'reorg.js',
        'console.error("already indexed block 5#0x1 was not found on chain"); process.exit(1);',
      ),
      env: {},
      policy: fast,
      onEvent: () => {},
    });
    const outcome = await sup.done;
    assert.equal(outcome.kind, 'gave-up');
    assert.match(outcome.kind === 'gave-up' ? outcome.message : '', /Re-index: `npm run db:reset`/);
  });

  it('reports a clean exit as finished and forwards parsed JSON records', async () => {
    const records: unknown[] = [];
    const sup = createProcessorSupervisor({
      script: script('done.js', 'console.log(JSON.stringify({msg:"batch",events:7})); process.exit(0);'),
      env: {},
      onEvent: (e) => e.kind === 'record' && records.push(e.record.json),
    });
    assert.deepEqual(await sup.done, { kind: 'finished' });
    assert.deepEqual(records, [{ msg: 'batch', events: 7 }]);
  });

  it('stops with SIGTERM, and with SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const polite = createProcessorSupervisor({
      script: script('polite.js', 'console.log("up"); setInterval(() => {}, 1000);'),
      env: {},
      onEvent: () => {},
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await polite.stop(), { kind: 'stopped', forced: false });

    let ready!: () => void;
    const up = new Promise<void>((r) => (ready = r));
    const stubborn = createProcessorSupervisor({
      script: script('stubborn.js', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000);'),
      env: {},
      stopGraceMs: 300,
      onEvent: (e) => e.kind === 'record' && ready(),
    });
    await up;
    const t0 = Date.now();
    assert.deepEqual(await stubborn.stop(), { kind: 'stopped', forced: true });
    assert.ok(Date.now() - t0 >= 300, 'waited for the grace period');
  });
});
