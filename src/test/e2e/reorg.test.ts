/**
 * Reorg safety: index a branch, revert the chain to a snapshot, mine a longer different branch, and
 * check that the database equals a fresh index of the final chain.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keccak256, toHex, type Hex } from 'viem';
import { rpc } from '../../devnet/chain';
import { withDevnet, type TestDevnet } from '../../devnet/contract-testkit';
import { snapshotIndex } from '../dbSnapshot';
import { setupTestDatabase, type TestDatabase } from '../postgres';
import { startTestProcessor, waitForHeight, type TestProcessor } from '../processorChild';

const h = (s: string): Hex => keccak256(toHex(s));

/** Waits until the indexed head is the node's current head block (same hash). */
async function waitForHash(db: TestDatabase, proc: TestProcessor, rpcUrl: string): Promise<number> {
  const head = await rpc<{ number: string; hash: string }>(rpcUrl, 'eth_getBlockByNumber', ['latest', false]);
  const height = Number(head.number);
  await waitForHeight(db, proc, height);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await db.query<{ hash: string }>(`SELECT hash FROM indexer_status WHERE id = 'head'`);
    if (row?.hash === head.hash) return height;
    if (Date.now() > deadline)
      throw new Error(`indexed hash ${row?.hash} never became ${head.hash}\n${proc.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reorg', () => {
  let live: TestDatabase;
  let fresh: TestDatabase;
  before(async () => {
    [live, fresh] = await Promise.all([setupTestDatabase(), setupTestDatabase()]);
  });
  after(async () => {
    await Promise.all([live?.stop(), fresh?.stop()]);
  });

  it('rolls back an orphaned branch and equals a fresh index of the final chain', { timeout: 180_000 }, async () => {
    await withDevnet(
      async (dn: TestDevnet) => {
        const [, owner, validator, alice, bob, modelOwner, payer] = (await dn.walletClient.getAddresses()).map((a) =>
          a.toLowerCase(),
        );
        const c = dn.deployment.contracts;
        const reg = (fn: string, args: unknown[], from: string) =>
          dn.send('DatanetRegistry', c.DatanetRegistry, fn, args, { from });
        const settle = (id: string, fee: bigint, ids: bigint[], w: number[]) =>
          dn.send('AttributionEngine', c.AttributionEngine, 'settle', [
            { inferenceId: h(id), modelId: 1n, payer, fee, contributionIds: ids, weightsPpm: w },
          ]);
        // Common history, from 01:00 UTC of a day to come, so that both branches below stay within that
        // UTC day: their day buckets already hold the common history's rows (updated, then restored).
        const latest = await rpc<{ timestamp: string }>(dn.node.rpcUrl, 'eth_getBlockByNumber', ['latest', false]);
        const day = 86_400;
        const t0 = (Math.floor(Number(latest.timestamp) / day) + 1) * day + 3600;
        await rpc(dn.node.rpcUrl, 'evm_setNextBlockTimestamp', [t0]);
        await reg('createDatanet', ['A', 'ipfs://a'], owner);
        await reg('setValidator', [1n, validator, true], owner);
        await dn.send('ModelRegistry', c.ModelRegistry, 'registerModel', ['M', [1n]], { from: modelOwner });
        await dn.send('AttributionEngine', c.AttributionEngine, 'setFeeSplit', [1000, 2000, 1500, 5500]);
        await reg('submitContribution', [1n, h('x'), 10n, 'u'], alice); // c1
        await reg('reviewContribution', [1n, true, 9000], validator);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-reorg-'));
        const deploymentFile = path.join(dir, 'deployment.json');
        fs.writeFileSync(deploymentFile, JSON.stringify(dn.deployment));
        const proc = startTestProcessor({ dbUrl: live.url, rpcUrl: dn.node.rpcUrl, deploymentFile });
        try {
          await waitForHash(live, proc, dn.node.rpcUrl);
          const snapshot = await rpc<string>(dn.node.rpcUrl, 'evm_snapshot');

          // Branch A (3 blocks, within the 5-block finality window): indexed, then orphaned. Its first
          // block adds to the stats buckets of the common history (rows updated), the others land two
          // hours later (rows created); the rollback must restore the first and delete the second.
          await reg('submitContribution', [1n, h('a1'), 1n, 'a'], bob); // c2 on A
          await rpc(dn.node.rpcUrl, 'evm_increaseTime', [2 * 3600]);
          await reg('reviewContribution', [1n, false, 100], validator); // c1 rejected on A
          await settle('ia', 1_000_000n, [1n, 2n], [500_000, 500_000]);
          await waitForHash(live, proc, dn.node.rpcUrl);
          const onA = await live.query<{ n: number }>('SELECT count(*)::int n FROM contribution');
          assert.equal(onA[0].n, 2, 'branch A was indexed before the reorg');

          // Branch B (5 blocks, longer): different content at the same heights, five hours on.
          assert.equal(await rpc<boolean>(dn.node.rpcUrl, 'evm_revert', [snapshot]), true);
          await rpc(dn.node.rpcUrl, 'evm_increaseTime', [5 * 3600]);
          await reg('submitContribution', [1n, h('b1'), 2n, 'b'], alice); // c2 on B, by alice
          await reg('submitContribution', [1n, h('x'), 3n, 'dup'], bob); // c3: duplicate of c1
          await reg('reviewContribution', [2n, true, 7000], validator);
          await settle('ib', 2_000_003n, [1n, 2n, 3n], [400_000, 400_000, 200_000]);
          await settle('ib2', 5n, [], []);
          const finalHeight = await waitForHash(live, proc, dn.node.rpcUrl);

          assert.deepEqual(await live.query('SELECT id, status, contributor_id FROM contribution ORDER BY id'), [
            { id: '1', status: 'ACCEPTED', contributor_id: alice },
            { id: '2', status: 'ACCEPTED', contributor_id: alice },
            { id: '3', status: 'PENDING', contributor_id: bob },
          ]);
          assert.deepEqual(await live.query('SELECT id FROM inference WHERE id = $1', [h('ia')]), []);
          // Stats hold the final chain only: no trace of A's contribution, review or settlement.
          for (const interval of ['HOUR', 'DAY'])
            assert.deepEqual(
              await live.query(
                `SELECT sum(inferences)::int AS inferences, sum(fees)::text AS fees, sum(contributions)::int AS contributions,
                   sum(reviews_accepted)::int AS accepted, sum(reviews_rejected)::int AS rejected
                 FROM stats_bucket WHERE scope = 'GLOBAL' AND interval = $1`,
                [interval],
              ),
              [{ inferences: 2, fees: '2000008', contributions: 3, accepted: 2, rejected: 0 }],
              interval,
            );

          // A fresh processor over the final chain must produce the same database, row for row.
          const proc2 = startTestProcessor({ dbUrl: fresh.url, rpcUrl: dn.node.rpcUrl, deploymentFile });
          try {
            await waitForHeight(fresh, proc2, finalHeight);
          } finally {
            await proc2.kill();
          }
          const [a, b] = await Promise.all([snapshotIndex(live), snapshotIndex(fresh)]);
          assert.ok(a.contribution.length > 0 && a.inference.length === 2);
          assert.deepEqual(a, b);
        } finally {
          await proc.kill();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      { accounts: 10 },
    );
  });
});
