/**
 * Crash safety: kill the processor (SIGKILL) in the middle of a backfill, start it again, and check
 * that the database equals a fresh index of the same chain.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDevnet, type Devnet } from '../../devnet';
import { snapshotIndex } from '../dbSnapshot';
import { setupTestDatabase, type TestDatabase } from '../postgres';
import { startTestProcessor, waitForHeight } from '../processorChild';

describe('restart', () => {
  let devnet: Devnet;
  let crashed: TestDatabase;
  let fresh: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-restart-'));

  before(async () => {
    [devnet, crashed, fresh] = await Promise.all([
      startDevnet({ port: 0, scenario: 'small', seed: 2, out: path.join(dir, 'deployment.json') }),
      setupTestDatabase(),
      setupTestDatabase(),
    ]);
  });
  after(async () => {
    await Promise.all([devnet?.stop(), crashed?.stop(), fresh?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after a kill mid-backfill and ends equal to a fresh index', { timeout: 300_000 }, async () => {
    const head = devnet.groundTruth.headBlock;
    const start = devnet.deployment.startBlock;
    const params = { rpcUrl: devnet.rpcUrl, deploymentFile: devnet.deploymentFile };
    // Commits every few batches (held in memory in between), so the kill lands mid-backfill, possibly
    // with held batches that are lost and re-indexed; the restarted processor holds the default amount.
    const first = startTestProcessor({ ...params, dbUrl: crashed.url, env: { COMMIT_EVERY_EVENTS: '500' } });
    let killedAt = -1;
    for (;;) {
      const rows = await crashed.query<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'head'`);
      if (rows.length && rows[0].height > start) {
        await first.kill('SIGKILL');
        const after = await crashed.query<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'head'`);
        killedAt = after[0].height;
        break;
      }
      if (first.child.exitCode !== null) throw new Error(`processor exited early:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(killedAt > start && killedAt < head, `killed at ${killedAt}, between ${start} and ${head}`);

    const second = startTestProcessor({ ...params, dbUrl: crashed.url });
    try {
      await waitForHeight(crashed, second, head);
    } finally {
      await second.kill();
    }
    const third = startTestProcessor({ ...params, dbUrl: fresh.url });
    try {
      await waitForHeight(fresh, third, head);
    } finally {
      await third.kill();
    }
    const [a, b] = await Promise.all([snapshotIndex(crashed), snapshotIndex(fresh)]);
    assert.equal(a.contribution.length, devnet.groundTruth.totals.contributions);
    assert.deepEqual(a, b);
  });
});
