/**
 * The CSV exports on real Postgres, served as the read-only role `api`, over synthetic payout tables
 * (src/test/seedExport.ts) whose expected rows are recomputed here with bigints: contents and order,
 * headers, quoting, every refusal, HEAD, a client that disconnects mid-stream, the statement timeout
 * and the concurrency limit.
 */
import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { parseCsv, parseCsvObjects } from '../../test/csv';
import { setupTestDatabase, type TestDatabase } from '../../test/postgres';
import { seedSyntheticEpoch, syntheticAccount, syntheticRow } from '../../test/seedExport';
import { createApiDb, type ApiDb } from '../db';
import { resolveApiDatabaseLogin } from '../dbRole';
import type { ApiLogger } from '../log';
import { createApiServer, type ApiServer } from '../server';
import { PAYOUT_CSV_COLUMNS } from './queries';
import { sendCsvExport } from './sendCsv';

const HEADER = PAYOUT_CSV_COLUMNS.join(',');
/** Epoch 7: closed and reconciled, 2,500 accounts (a CSV of several chunks). */
const CLOSED_ROWS = 2500;
/** Epoch 8: open, 40 accounts (accounts 1..40 also have rows in epoch 7). */
const OPEN_ROWS = 40;
/** Epoch 9: closed, 300,000 accounts (about 40 MB of CSV, far more than the sockets buffer). */
const BIG_ROWS = 300_000;

let db: TestDatabase;
let apiUrl: string;
let api: ApiServer;
let base: string;
const logged: { level: string; msg: string; [k: string]: unknown }[] = [];
const log: ApiLogger = (level, entry) => logged.push({ level, ...entry });

before(async () => {
  db = await setupTestDatabase();
  await seedSyntheticEpoch({ query: db.query, epoch: '7', rows: CLOSED_ROWS, closed: true });
  await seedSyntheticEpoch({ query: db.query, epoch: '8', rows: OPEN_ROWS, closed: false });
  await seedSyntheticEpoch({ query: db.query, epoch: '9', rows: BIG_ROWS, closed: true });
  const login = await resolveApiDatabaseLogin({ url: db.url, env: {} });
  assert.equal(login.via, 'role');
  apiUrl = login.url;
  api = await createApiServer({ dbUrl: apiUrl, port: 0, host: '127.0.0.1', log });
  base = api.url.replace(/\/graphql$/, '');
});
after(async () => {
  await api?.close();
  await db?.stop();
});

/** The CSV line the export must give for synthetic row i of an epoch (claimable and pending per the rules). */
function expectedLine(epoch: string, i: number, closed: boolean): string {
  const r = syntheticRow(i);
  const claimable = closed ? (r.total > r.claimed ? r.total - r.claimed : 0n) : 0n;
  const pending = closed ? 0n : r.total;
  return [
    epoch,
    closed ? 'CLOSED' : 'OPEN',
    closed ? 'true' : '',
    r.account,
    r.asContributor,
    r.asDatanetOwner,
    r.asModelOwner,
    r.total,
    r.claimed,
    claimable,
    pending,
  ].join(',');
}

/** Expected epoch CSV body lines: largest accrual first, equal accruals by account, larger first. */
function expectedEpochLines(epoch: string, rows: number, closed: boolean): string[] {
  const order = Array.from({ length: rows }, (_, k) => k + 1).sort((a, b) => {
    const ta = syntheticRow(a).total;
    const tb = syntheticRow(b).total;
    return ta === tb ? b - a : ta > tb ? -1 : 1;
  });
  return order.map((i) => expectedLine(epoch, i, closed));
}

/** The pool's connections checked out right now (open minus idle). */
const checkedOut = (apiDb: ApiDb) => apiDb.poolStats().total - apiDb.poolStats().idle;

/** Export statements the role `api` is running right now, seen from another session. */
async function activeCopies(): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE usename = 'api' AND state = 'active' AND query LIKE 'COPY (%'`,
  );
  return row.n;
}

/** Polls until `check` is true (or fails after `ms`). */
async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts a GET and resolves with the response once its headers and first body chunk arrived; the body
 * is then paused. Anything but a 200 rejects with its body.
 */
function openStream(url: string): Promise<{ res: IncomingMessage; first: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
        return;
      }
      res.once('data', (first: Buffer) => {
        res.pause();
        resolve({ res, first });
      });
      res.once('error', reject);
    });
    req.once('error', reject);
  });
}

describe('GET /export/payouts.csv?epoch=N', () => {
  it("streams the epoch's payout table: header row, one row per account, largest accrual first", async () => {
    const res = await fetch(`${base}/export/payouts.csv?epoch=7`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="payouts-epoch-7.csv"');
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    const text = await res.text();
    const lines = text.split('\n');
    assert.equal(lines.pop(), '', 'the file ends with a newline');
    assert.equal(lines[0], HEADER);
    assert.deepEqual(lines.slice(1), expectedEpochLines('7', CLOSED_ROWS, true));
    // Plain tokens only: nothing is quoted, addresses are lowercase hex.
    assert.doesNotMatch(text, /"/);
    assert.ok(lines.slice(1).every((l) => /^7,CLOSED,true,0x[0-9a-f]{40},/.test(l)));
  });

  it('an open epoch: status OPEN, reconciled empty, nothing claimable, the accrual pending', async () => {
    const text = await (await fetch(`${base}/export/payouts.csv?epoch=8`)).text();
    const { header, rows } = parseCsvObjects(text);
    assert.deepEqual(header, [...PAYOUT_CSV_COLUMNS]);
    assert.deepEqual(text.trimEnd().split('\n').slice(1), expectedEpochLines('8', OPEN_ROWS, false));
    assert.ok(rows.every((r) => r.epoch_status === 'OPEN' && r.reconciled === '' && r.claimable === '0'));
  });

  it('accepts leading zeros (epoch=007 is epoch 7) and names the file after the number', async () => {
    const res = await fetch(`${base}/export/payouts.csv?epoch=007`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="payouts-epoch-7.csv"');
    assert.equal((await res.text()).trimEnd().split('\n').length, CLOSED_ROWS + 1);
  });

  it('HEAD answers the headers without a body, and 404 for an unknown epoch', async () => {
    const head = await fetch(`${base}/export/payouts.csv?epoch=7`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`${base}/export/payouts.csv?epoch=70`, { method: 'HEAD' })).status, 404);
  });
});

describe('GET /export/accounts/<address>/payouts.csv', () => {
  it("one row per epoch of the account, in epoch order, with each epoch's status", async () => {
    const account = syntheticAccount(33);
    const res = await fetch(`${base}/export/accounts/${account}/payouts.csv`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="payouts-${account}.csv"`);
    assert.deepEqual((await res.text()).split('\n'), [
      HEADER,
      expectedLine('7', 33, true),
      expectedLine('8', 33, false),
      expectedLine('9', 33, true),
      '',
    ]);
  });

  it('fromEpoch and toEpoch bound the epochs (inclusive); a checksummed address is read lowercase', async () => {
    const account = syntheticAccount(0xabcd); // in epoch 9 only (7 and 8 have fewer accounts)
    const upper = `0x${account.slice(2).toUpperCase()}`;
    const body = async (query: string) =>
      (await (await fetch(`${base}/export/accounts/${upper}/payouts.csv${query}`)).text()).trimEnd().split('\n');
    assert.deepEqual(await body(''), [HEADER, expectedLine('9', 0xabcd, true)]);
    const second = syntheticAccount(2);
    const range = async (query: string) =>
      (await (await fetch(`${base}/export/accounts/${second}/payouts.csv${query}`)).text())
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]);
    assert.deepEqual(await range(''), ['7', '8', '9']);
    assert.deepEqual(await range('?fromEpoch=8'), ['8', '9']);
    assert.deepEqual(await range('?toEpoch=8'), ['7', '8']);
    assert.deepEqual(await range('?fromEpoch=8&toEpoch=8'), ['8']);
    assert.deepEqual(await range('?fromEpoch=10'), []);
    const res = await fetch(`${base}/export/accounts/${second}/payouts.csv?fromEpoch=8&toEpoch=9`);
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="payouts-${second}-epochs-8-9.csv"`);
  });

  it('an address with no payouts gets the header row alone', async () => {
    const res = await fetch(`${base}/export/accounts/0x${'f'.repeat(40)}/payouts.csv`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), `${HEADER}\n`);
  });
});

describe('refusals', () => {
  const cases: [string, number, string, string | null, RegExp][] = [
    ['/export/payouts.csv', 400, 'BAD_USER_INPUT', 'epoch', /^Parameter "epoch" is required/],
    [
      '/export/payouts.csv?epoch=abc',
      400,
      'BAD_USER_INPUT',
      'epoch',
      /^Parameter "epoch" must be an epoch number .*got "abc"/,
    ],
    ['/export/payouts.csv?epoch=-1', 400, 'BAD_USER_INPUT', 'epoch', /got "-1"/],
    ['/export/payouts.csv?epoch=', 400, 'BAD_USER_INPUT', 'epoch', /got ""/],
    ['/export/payouts.csv?epoch=1.5', 400, 'BAD_USER_INPUT', 'epoch', /got "1.5"/],
    ['/export/payouts.csv?epoch=18446744073709551616', 400, 'BAD_USER_INPUT', 'epoch', /2\^64-1/],
    ['/export/payouts.csv?epoch=7&epoch=8', 400, 'BAD_USER_INPUT', 'epoch', /given more than once/],
    ['/export/payouts.csv?epoch=7&limit=5', 400, 'BAD_USER_INPUT', 'limit', /^Parameter "limit" is unknown: .*"epoch"/],
    [
      '/export/accounts/0x123/payouts.csv',
      400,
      'BAD_USER_INPUT',
      'address',
      /^Parameter "address" must be an address .*"0x123"/,
    ],
    [`/export/accounts/0x${'g'.repeat(40)}/payouts.csv`, 400, 'BAD_USER_INPUT', 'address', /must be an address/],
    [`/export/accounts/${syntheticAccount(1)}/payouts.csv?fromEpoch=x`, 400, 'BAD_USER_INPUT', 'fromEpoch', /got "x"/],
    [
      `/export/accounts/${syntheticAccount(1)}/payouts.csv?fromEpoch=9&toEpoch=8`,
      400,
      'BAD_USER_INPUT',
      'toEpoch',
      /at least fromEpoch \(9\)/,
    ],
    [
      `/export/accounts/${syntheticAccount(1)}/payouts.csv?epoch=8`,
      400,
      'BAD_USER_INPUT',
      'epoch',
      /"fromEpoch", "toEpoch"/,
    ],
    ['/export/payouts.csv?epoch=70', 404, 'NOT_FOUND', 'epoch', /^Epoch 70 does not exist/],
    ['/export/payouts.json?epoch=7', 404, 'NOT_FOUND', null, /^No export at \/export\/payouts.json/],
    ['/export', 404, 'NOT_FOUND', null, /the exports are \/export\/payouts.csv\?epoch=N/],
  ];
  for (const [path, status, code, parameter, message] of cases) {
    it(`${path} -> ${status} ${code}${parameter ? ` naming ${parameter}` : ''}`, async () => {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      assert.equal(body.errors.length, 1);
      assert.match(body.errors[0].message, message);
      assert.equal(body.errors[0].extensions.code, code);
      assert.equal(body.errors[0].extensions.parameter, parameter ?? undefined);
    });
  }

  it('a POST is 405 with Allow: GET, HEAD', async () => {
    const res = await fetch(`${base}/export/payouts.csv?epoch=7`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.equal(((await res.json()) as any).errors[0].extensions.code, 'METHOD_NOT_ALLOWED');
  });
});

describe('streaming', () => {
  it("Postgres' CSV quoting arrives intact: commas, quotes, newlines, non-ASCII, empty string against NULL", async () => {
    const apiDb = createApiDb({ url: apiUrl });
    const server = createServer((req, res) => {
      void sendCsvExport({
        db: apiDb,
        req,
        res,
        timeoutMs: 5000,
        log: () => {},
        plan: {
          filename: 'q.csv',
          check: null,
          select: `SELECT * FROM (VALUES (1, 'a,b', 'say "hi"', E'two\\nlines', 'Zoë €', ''),
                                        (2, NULL, '"', E'\\r', ' x ', NULL)) AS t(n, comma, quote, newline, utf8, empty)`,
        },
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const text = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      assert.equal(
        text,
        'n,comma,quote,newline,utf8,empty\n1,"a,b","say ""hi""","two\nlines",Zoë €,""\n2,,"""","\r", x ,\n',
      );
      assert.deepEqual(parseCsv(text), [
        ['n', 'comma', 'quote', 'newline', 'utf8', 'empty'],
        ['1', 'a,b', 'say "hi"', 'two\nlines', 'Zoë €', ''],
        ['2', '', '"', '\r', ' x ', ''],
      ]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await apiDb.close();
    }
  });

  it('a large export arrives whole: 300,000 rows, counted and summed against the seed', async () => {
    const text = await (await fetch(`${base}/export/payouts.csv?epoch=9`)).text();
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], HEADER);
    assert.equal(lines.length, BIG_ROWS + 1);
    let sum = 0n;
    for (let k = 1; k < lines.length; k++) sum += BigInt(lines[k].split(',')[7]);
    let expected = 0n;
    for (let i = 1; i <= BIG_ROWS; i++) expected += syntheticRow(i).total;
    assert.equal(sum, expected);
    assert.equal(lines[1], expectedEpochLines('9', BIG_ROWS, true)[0]);
    await eventually('the connection is back in the pool', () => checkedOut(api.db) === 0);
  });

  it('a client that disconnects mid-stream: the connection is released and the COPY ends on the server', async () => {
    await eventually('no export is running', () => checkedOut(api.db) === 0);
    const before = api.db.poolStats();
    const { res, first } = await openStream(`${base}/export/payouts.csv?epoch=9`);
    assert.ok(first.toString().startsWith(`${HEADER}\n`));
    // Backpressure: the reader is paused, so the export waits, holding one connection and its COPY.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(checkedOut(api.db), 1);
    assert.equal(await activeCopies(), 1);
    res.destroy();
    await eventually('the pool has no checked-out connection', () => checkedOut(api.db) === 0);
    const afterStats = api.db.poolStats();
    assert.equal(afterStats.waiting, 0);
    // The export's connection was closed (it was mid-COPY), not returned: one fewer open connection.
    assert.equal(afterStats.total, Math.max(before.total, 1) - 1);
    await eventually('Postgres runs no export statement', async () => (await activeCopies()) === 0);
    assert.ok(logged.some((l) => l.msg === 'csv export aborted: the client disconnected'));
    // The server goes on exporting.
    const again = await fetch(`${base}/export/payouts.csv?epoch=8`);
    assert.equal((await again.text()).trimEnd().split('\n').length, OPEN_ROWS + 1);
  });
});

describe('limits (export statement timeout 300 ms, one export at a time)', () => {
  let limited: ApiServer;
  let limitedBase: string;
  const limitedLog: { level: string; msg: string; [k: string]: unknown }[] = [];
  before(async () => {
    limited = await createApiServer({
      dbUrl: apiUrl,
      port: 0,
      host: '127.0.0.1',
      limits: { exportStatementTimeoutMs: 300, maxConcurrentExports: 1 },
      log: (level, entry) => limitedLog.push({ level, ...entry }),
    });
    limitedBase = limited.url.replace(/\/graphql$/, '');
  });
  after(() => limited?.close());

  it('a COPY waiting longer than the timeout (a lock) is cancelled: 503 LIMIT_EXCEEDED, connection returned', async () => {
    const owner = new Client({ connectionString: db.url });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query('LOCK TABLE account_epoch IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const res = await fetch(`${limitedBase}/export/payouts.csv?epoch=7`);
      const elapsed = Date.now() - started;
      assert.equal(res.status, 503);
      const body = (await res.json()) as any;
      assert.deepEqual(body.errors[0].extensions, {
        code: 'LIMIT_EXCEEDED',
        limit: 'exportStatementTimeoutMs',
        max: 300,
      });
      assert.match(body.errors[0].message, /export statement timeout of 300 ms .*EXPORT_STATEMENT_TIMEOUT_MS/);
      assert.ok(elapsed >= 300 && elapsed < 3000, `answered after ${elapsed} ms`);
    } finally {
      await owner.query('ROLLBACK');
      await owner.end();
    }
    // Rolled back and returned to the pool, still usable.
    assert.equal(checkedOut(limited.db), 0);
    assert.ok(limited.db.poolStats().total >= 1);
    const next = await fetch(`${limitedBase}/export/payouts.csv?epoch=8`);
    assert.equal(next.status, 200);
    assert.equal((await next.text()).trimEnd().split('\n').length, OPEN_ROWS + 1);
    // An export holds its slot until its COMMIT: wait for it before the next test takes the only slot.
    await eventually('the export is over', () => checkedOut(limited.db) === 0);
    assert.ok(limitedLog.some((l) => l.msg === 'statement timeout in a csv export' && l.level === 'warn'));
  });

  it('a download slower than the timeout is cut (the client sees a truncated body), connection returned', async () => {
    const { res } = await openStream(`${limitedBase}/export/payouts.csv?epoch=9`);
    await new Promise((r) => setTimeout(r, 700)); // Postgres waits on the full socket past its timeout
    let received = 0;
    const outcome = await new Promise<string>((resolve) => {
      res.on('data', (c: Buffer) => (received += c.length));
      res.once('end', () => resolve('end'));
      res.once('aborted', () => resolve('aborted'));
      res.once('error', (err) => resolve(`error: ${err.message}`));
      res.resume();
    });
    assert.notEqual(outcome, 'end', 'the body must not look complete');
    assert.ok(received < 40_000_000, `received ${received} bytes`);
    await eventually('the connection is back in the pool', () => checkedOut(limited.db) === 0);
    assert.ok(limited.db.poolStats().total >= 1, 'rolled back and kept, not closed');
    assert.ok(
      limitedLog.some((l) => l.msg === 'statement timeout in a csv export' && l.export === 'payouts-epoch-9.csv'),
    );
  });

  it('one export more than EXPORT_MAX_CONCURRENT is refused with 503 and Retry-After', async () => {
    const { res } = await openStream(`${limitedBase}/export/payouts.csv?epoch=9`);
    try {
      const second = await fetch(`${limitedBase}/export/payouts.csv?epoch=8`);
      assert.equal(second.status, 503);
      assert.equal(second.headers.get('retry-after'), '1');
      const body = (await second.json()) as any;
      assert.deepEqual(body.errors[0].extensions, { code: 'LIMIT_EXCEEDED', limit: 'maxConcurrentExports', max: 1 });
      assert.match(body.errors[0].message, /EXPORT_MAX_CONCURRENT/);
      // GraphQL is not affected.
      const gql = await fetch(limited.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ epochs(first: 5) { totalCount } }' }),
      });
      assert.deepEqual(await gql.json(), { data: { epochs: { totalCount: 3 } } });
    } finally {
      res.destroy();
    }
    await eventually('the export slot is free', async () => {
      const r = await fetch(`${limitedBase}/export/payouts.csv?epoch=8`, { method: 'HEAD' });
      return r.status === 200;
    });
  });
});
