/**
 * `npm run sql` as a user runs it: the compiled CLI spawned as a child process against a migrated
 * test database, logging in as the analyst.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findFreePort, findRunningCluster, startEmbeddedPostgres } from '../db/embedded';
import { runMigrations } from '../store/dataSource';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';

const CLI = path.join(__dirname, 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args`, `env` (nothing of the test's own database settings leaks in) and `input` on stdin. */
function runCli(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  const base = { ...process.env };
  for (const k of ['DB_URL', 'ANALYST_DB_URL', 'ANALYST_DB_PASSWORD', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT'])
    delete base[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

let db: TestDatabase;
before(async () => {
  db = await setupTestDatabase();
  // Two Datanets, written as the owner: the values the tables below must show.
  for (const [id, name, owner, earned, status] of [
    ['2', 'Code review', '0x00000000000000000000000000000000000000b2', '5', 'PAUSED'],
    ['10', 'Medical imaging', '0x00000000000000000000000000000000000000a1', '123456789012345678901234567890', 'ACTIVE'],
  ]) {
    await db.query(
      `INSERT INTO datanet (id, datanet_id, owner, name, metadata_uri, status, validator_count, contribution_count,
         pending_count, accepted_count, rejected_count, duplicate_count, total_size_bytes, accepted_size_bytes,
         slash_count, slashed_amount, attribution_count, owner_earned, contributors_earned, earned_total,
         created_at_block, created_at, created_tx_hash)
       VALUES ($1, $6::numeric, $2, $3, '', $4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, $5::numeric, 0, $5::numeric, 7,
               '2026-12-01T10:00:00Z', '0x01')`,
      [id, owner, name, status, earned, id],
    );
  }
});
after(async () => {
  await db?.stop();
});

describe('npm run sql -- -c', () => {
  test('prints the result as an aligned table, logged in as analyst (DB_URL gives the server and database)', async () => {
    const run = await runCli(
      ['-c', 'SELECT datanet_id, name, owner_earned, status, created_at FROM datanets ORDER BY datanet_id'],
      { DB_URL: db.url },
    );
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    assert.equal(
      run.stdout,
      [
        ' datanet_id |      name       |          owner_earned          | status |       created_at',
        '------------+-----------------+--------------------------------+--------+------------------------',
        '          2 | Code review     |                              5 | PAUSED | 2026-12-01 10:00:00+00',
        '         10 | Medical imaging | 123456789012345678901234567890 | ACTIVE | 2026-12-01 10:00:00+00',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  test('several statements print one table each; the session is the analyst with its settings', async () => {
    const run = await runCli(
      ['-c', "SELECT current_user; SHOW statement_timeout; SELECT count(*) FROM datanets WHERE status = 'ACTIVE'"],
      {
        DB_URL: db.url,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        ' current_user',
        '--------------',
        ' analyst',
        '(1 row)',
        '',
        ' statement_timeout',
        '-------------------',
        ' 30s',
        '(1 row)',
        '',
        ' count',
        '-------',
        '     1',
        '(1 row)',
        '',
      ].join('\n'),
    );
  });

  test('an SQL error goes to stderr and the exit code is 1; the statements after it do not run', async () => {
    const run = await runCli(['-c', 'SELECT * FROM public.datanet; SELECT 1'], { DB_URL: db.url });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'ERROR:  permission denied for table datanet\n');
  });

  test('ANALYST_DB_URL is used as given', async () => {
    const url = new URL(db.url);
    url.username = 'analyst';
    url.password = 'analyst';
    const run = await runCli(['-c', 'SELECT count(*) AS n FROM datanets'], { ANALYST_DB_URL: url.toString() });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, ' n\n---\n 2\n(1 row)\n');
  });

  test('a wrong ANALYST_DB_PASSWORD says what to set; a bad argument is named, with the usage', async () => {
    const wrong = await runCli(['-c', 'SELECT 1'], { DB_URL: db.url, ANALYST_DB_PASSWORD: 'nope' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /could not log in as role analyst: set ANALYST_DB_PASSWORD/);
    const bad = await runCli(['--frobnicate'], { DB_URL: db.url });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^npm run sql: unknown argument "--frobnicate"\n\nUsage: npm run sql/);
    const empty = await runCli(['-c'], { DB_URL: db.url });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /-c needs an SQL statement/);
  });
});

describe('npm run sql (statements on stdin)', () => {
  test('reads a multi-line statement, runs each statement when its ";" arrives, prints errors and goes on until \\q', async () => {
    const input = [
      'SELECT name,',
      '       owner_earned',
      '  FROM datanets',
      " WHERE status = 'ACTIVE'",
      ';',
      "SELECT 'a;b' AS s; SELECT nope;",
      '\\d datanet_validators',
      'SELECT 2 AS two; -- the rest of the line is a comment;',
      '\\q',
      'SELECT 3 AS never;',
    ].join('\n');
    const run = await runCli([], { DB_URL: db.url }, input);
    assert.equal(
      run.stdout,
      [
        '      name       |          owner_earned',
        '-----------------+--------------------------------',
        ' Medical imaging | 123456789012345678901234567890',
        '(1 row)',
        '',
        '  s',
        '-----',
        ' a;b',
        '(1 row)',
        '',
        '    column     |  type   |                   description',
        '---------------+---------+--------------------------------------------------',
        ' datanet_id    | numeric | The Datanet.',
        ' validator     | text    | Validator address.',
        ' enabled       | boolean | Whether it may review now (latest ValidatorSet).',
        ' updated_block | integer | Block of the latest ValidatorSet for this pair.',
        '(4 rows)',
        '',
        ' two',
        '-----',
        '   2',
        '(1 row)',
        '',
        '',
      ].join('\n'),
    );
    assert.equal(run.stderr, 'ERROR:  column "nope" does not exist\nLINE 1: SELECT nope\n               ^\n');
    assert.equal(run.code, 1, 'piped statements with an error exit 1');
  });

  test('without \\q the session ends at the end of input and runs an unterminated last statement', async () => {
    const run = await runCli([], { DB_URL: db.url }, 'SELECT count(*) AS n\n  FROM datanets');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, ' n\n---\n 2\n(1 row)\n\n');
  });
});

describe('npm run sql without DB_URL: the embedded database of npm start', () => {
  let dir: string;
  let dataDir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-sql-embedded-'));
    fs.chmodSync(dir, 0o755);
    dataDir = path.join(dir, 'pg');
    const pg = await startEmbeddedPostgres({ dataDir });
    await runMigrations(pg.url);
    await pg.stop();
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('not running: it is started for the session, the user is told, and it is stopped at the end', async () => {
    const port = await findFreePort();
    const run = await runCli(['-c', 'SELECT current_user, current_database()'], {
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(port),
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stderr,
      `the embedded database was not running: started it (${dataDir}, port ${port}); it stops when this session ends\n`,
    );
    assert.equal(
      run.stdout,
      ' current_user | current_database\n--------------+------------------\n analyst      | indexer\n(1 row)\n',
    );
    assert.equal(findRunningCluster(dataDir), null);
  });

  test('running (npm start): the session uses it and leaves it running', async () => {
    const pg = await startEmbeddedPostgres({ dataDir });
    try {
      const run = await runCli(['-c', 'SELECT count(*) AS n FROM datanets'], {
        EMBEDDED_PG_DIR: dataDir,
        EMBEDDED_PG_PORT: '1', // ignored: the running server's port comes from its postmaster.pid
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, `using the running embedded database (${dataDir}, port ${pg.port})\n`);
      assert.equal(run.stdout, ' n\n---\n 0\n(1 row)\n');
      assert.equal(findRunningCluster(dataDir)?.port, pg.port);
    } finally {
      await pg.stop();
    }
  });

  test('never created: an error that says to run npm start or set DB_URL', async () => {
    const run = await runCli(['-c', 'SELECT 1'], { EMBEDDED_PG_DIR: path.join(dir, 'none') });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^npm run sql: no embedded database in .*none: run npm start \(or npm run migrate\) first, or set DB_URL or ANALYST_DB_URL\n$/,
    );
  });
});
