/**
 * Graceful shutdown of `lib/api/main.js`, run as a child process the way production runs it, over the
 * seeded fixture database. A request is held in flight by a table lock the test takes, so the signal
 * lands while it runs.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { pickFreePort } from '../start/ports';
import { subscribeSse } from '../test/sse';
import { setupApiFixture, type ApiFixture } from './test-fixtures';

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
});
after(async () => {
  await fx?.close();
});

interface ApiChild {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The JSON records it logged. */
  records(): Record<string, unknown>[];
}

/** Starts the API as `npm run api` does, and waits until /health answers. */
async function startApi(env: Record<string, string> = {}): Promise<ApiChild> {
  const port = await pickFreePort();
  const child = spawn(process.execPath, [path.resolve(__dirname, 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DB_URL: fx.dbUrl,
      GRAPHQL_HOST: '127.0.0.1',
      GRAPHQL_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const api: ApiChild = {
    child,
    url: `http://127.0.0.1:${port}/graphql`,
    output: () => out,
    exited,
    records: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
  for (const deadline = Date.now() + 30_000; ;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return api;
    if (Date.now() > deadline) throw new Error(`the API did not answer /health:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls until `check` holds (or fails after `timeoutMs`). */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A session of the owner holding ACCESS EXCLUSIVE on `datanet` until released: the API's reads of it wait. */
async function lockDatanets(): Promise<{
  apiWaiters(): Promise<number>;
  apiSessions(): Promise<number>;
  release(): Promise<void>;
}> {
  const locker = new Client({ connectionString: fx.dbUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE datanet IN ACCESS EXCLUSIVE MODE');
  const count = async (where: string) => {
    const c = new Client({ connectionString: fx.dbUrl });
    await c.connect();
    try {
      const r = await c.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'openledger-api' ${where}`,
      );
      return r.rows[0].n as number;
    } finally {
      await c.end();
    }
  };
  let released = false;
  return {
    apiWaiters: () => count(`AND wait_event_type = 'Lock'`),
    apiSessions: () => count(''),
    async release() {
      if (released) return;
      released = true;
      await locker.query('COMMIT');
      await locker.end();
    },
  };
}

const DATANET_COUNT = 'query DatanetCount { datanets(first: 10) { totalCount } }';
const post = (url: string, query: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

describe('API graceful shutdown (lib/api/main.js in a child process)', () => {
  it('on SIGTERM ends the subscriptions, refuses new connections, finishes the request in flight, closes the pool and exits 0', async () => {
    const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '20000' });
    const lock = await lockDatanets();
    try {
      const inFlight = post(api.url, DATANET_COUNT);
      const sub = subscribeSse(api.url, 'subscription { indexerHead { height } }');
      await sub.opened;
      await until('the request to wait on the lock', async () => (await lock.apiWaiters()) === 1);

      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      await until('the stopping record', () => api.records().some((r) => r.msg === 'API stopping'));
      await until('the subscription stream to end', () => sub.ended);
      await assert.rejects(fetch(api.url.replace('/graphql', '/health')), 'new connections are refused');
      assert.equal(api.child.exitCode, null, 'still running: a request is in flight');

      await lock.release();
      const res = await inFlight;
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { data: { datanets: { totalCount: fx.seed.datanets.length } } });
      assert.equal(await api.exited, 0, api.output());
      const stopped = api.records().find((r) => r.msg === 'API stopped')!;
      assert.equal(stopped.signal, 'SIGTERM');
      assert.equal(stopped.drained, true);
      assert.equal(stopped.cut_requests, 0);
      assert.ok(Date.now() - signalledAt < 20_000);
      // The pool and the LISTEN connection are closed: no session of the API is left.
      await until('the API sessions to end', async () => (await lock.apiSessions()) === 0);
    } finally {
      await lock.release();
      api.child.kill('SIGKILL');
    }
  });

  it('cuts a request still running at SHUTDOWN_TIMEOUT_MS and exits 1 soon after', async () => {
    const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const lock = await lockDatanets();
    try {
      const inFlight = post(api.url, DATANET_COUNT).then(
        (r) => r.status,
        (err: Error) => err,
      );
      await until('the request to wait on the lock', async () => (await lock.apiWaiters()) === 1);
      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      assert.equal(await api.exited, 1, api.output());
      const took = Date.now() - signalledAt;
      assert.ok(took >= 1000 && took < 4000, `exited ${took} ms after SIGTERM`);
      assert.ok((await inFlight) instanceof Error, 'the client saw its connection closed');
      const stopped = api.records().find((r) => r.msg === 'API stopped')!;
      assert.equal(stopped.drained, false);
      assert.equal(stopped.cut_requests, 1);
    } finally {
      await lock.release();
      api.child.kill('SIGKILL');
    }
  });

  it('stops on SIGINT too, at once when nothing is in flight', async () => {
    const api = await startApi();
    const res = await post(api.url, DATANET_COUNT);
    assert.equal(res.status, 200);
    const signalledAt = Date.now();
    api.child.kill('SIGINT');
    assert.equal(await api.exited, 0, api.output());
    assert.ok(Date.now() - signalledAt < 3000);
    assert.equal(api.records().find((r) => r.msg === 'API stopped')?.signal, 'SIGINT');
  });

  it('writes only JSON records with time, level and msg', async () => {
    const api = await startApi();
    await post(api.url, '{ datanets(first: -1) { totalCount } }');
    api.child.kill('SIGTERM');
    await api.exited;
    const lines = api.output().trim().split('\n');
    assert.ok(lines.length >= 3, api.output());
    for (const line of lines) {
      const r = JSON.parse(line) as Record<string, unknown>;
      assert.match(String(r.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line);
      assert.ok(['debug', 'info', 'warn', 'error', 'fatal'].includes(String(r.level)), line);
      assert.equal(typeof r.msg, 'string', line);
    }
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => /listening|login|stopp/.test(m)),
      ['API database login', 'GraphQL API listening', 'API stopping', 'API stopped'],
    );
  });
});
