// The benchmark's simulated commits on a real Postgres: each one a new head block, touched accounts
// and a notification in one transaction; all of it put back at the end, or by the next run after a
// run that died.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { loadProcessedHead } from '../api/processedHead';
import { setupApiFixture, type ApiFixture } from '../api/test-fixtures';
import { BATCH_CHANNEL, parseBatchNotification, type BatchNotification } from '../store/notify';
import { restoreSimulatedCommits, simulateCommits } from './apiCommits';

let fx: ApiFixture;
let db: Client;
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'olx-commits-')), 'simulated-commits.json');
const BASE = 5000;

before(async () => {
  fx = await setupApiFixture();
  db = new Client({ connectionString: fx.dbUrl });
  await db.connect();
  await db.query('CREATE SCHEMA IF NOT EXISTS squid_processor');
  await db.query('CREATE TABLE squid_processor.hot_block (height int PRIMARY KEY, hash text NOT NULL)');
  await db.query(`INSERT INTO squid_processor.hot_block VALUES ($1, '0xbase')`, [BASE]);
});
after(async () => {
  await db?.end();
  await fx?.close();
});

const lastActivity = async () =>
  new Map(
    (await db.query<{ id: string; b: number }>('SELECT id, last_activity_block AS b FROM account')).rows.map((r) => [
      r.id,
      r.b,
    ]),
  );
const head = () => loadProcessedHead(async (sql) => (await db.query(sql)).rows);

describe('simulated commits', () => {
  test('commit blocks above the head, touch accounts, announce them; stop puts everything back', async () => {
    const original = await lastActivity();
    const accounts = [...original.keys()];
    const listener = new Client({ connectionString: fx.dbUrl });
    await listener.connect();
    const heard: BatchNotification[] = [];
    listener.on('notification', (m) => m.channel === BATCH_CHANNEL && heard.push(parseBatchNotification(m.payload)!));
    await listener.query(`LISTEN ${BATCH_CHANNEL}`);
    try {
      const sim = await simulateCommits({ db, seconds: 0.05, touched: 3, accounts, recoveryFile: file });
      for (let i = 0; i < 200 && sim.commits() < 3; i++) await new Promise((r) => setTimeout(r, 20));
      const commits = sim.commits();
      assert.ok(commits >= 3);
      const now = await head();
      assert.ok(now && now.height >= BASE + 3, JSON.stringify(now));
      // Each block changed 3 accounts: their last activity is that block.
      const during = await lastActivity();
      const touched = [...during].filter(([id, b]) => b !== original.get(id));
      assert.ok(touched.length >= 3 && touched.every(([, b]) => b > BASE && b <= now!.height), JSON.stringify(touched));
      assert.ok(fs.existsSync(file), 'the originals are on disk while it runs');
      await sim.stop();
      // Announced as clean extensions of the head, one block each.
      assert.ok(heard.length >= commits);
      heard.slice(0, commits).forEach((n, i) => assert.deepEqual([n.from, n.to], [BASE + i + 1, BASE + i + 1]));
      assert.deepEqual(await head(), { height: BASE, hash: '0xbase' });
      assert.deepEqual(await lastActivity(), original);
      assert.equal(fs.existsSync(file), false);
    } finally {
      await listener.end();
    }
  });

  test('a run that died is put back by the next one', async () => {
    const original = await lastActivity();
    const [id] = original.keys();
    await db.query(`INSERT INTO squid_processor.hot_block VALUES ($1, '0xleft')`, [BASE + 1]);
    await db.query('UPDATE account SET last_activity_block = $2 WHERE id = $1', [id, BASE + 1]);
    fs.writeFileSync(file, JSON.stringify({ baseHeight: BASE, lastActivity: { [id]: original.get(id) } }));
    assert.equal(await restoreSimulatedCommits(db, file), true);
    assert.deepEqual(await head(), { height: BASE, hash: '0xbase' });
    assert.deepEqual(await lastActivity(), original);
    assert.equal(await restoreSimulatedCommits(db, file), false, 'nothing left to put back');
  });
});
