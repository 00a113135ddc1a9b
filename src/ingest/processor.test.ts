/**
 * The processor against a real hardhat node and real Postgres, on a small hand-made history whose
 * every expected figure is worked out by hand below (independent of the simulator and of src/domain).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { keccak256, toHex, type Hex } from 'viem';
import { withDevnet, type TestDevnet } from '../devnet/contract-testkit';
import { erc20DepositMessage, versionedNonce } from '../devnet/deploy';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { startTestProcessor, waitForHeight } from '../test/processorChild';

const h = (s: string): Hex => keccak256(toHex(s));
const MESSAGE_PASSER = '0x4200000000000000000000000000000000000016';
const BRIDGE = '0x4200000000000000000000000000000000000010';
const MESSENGER = '0x4200000000000000000000000000000000000007';

describe('processor on a hand-made history', () => {
  let db: TestDatabase;
  before(async () => {
    db = await setupTestDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  it('indexes every event with the amounts of the payout rule, once', { timeout: 120_000 }, async () => {
    await withDevnet(
      async (dn: TestDevnet) => {
        const [admin, ownerA, ownerB, validator, alice, bob, modelOwner, payer, bridger] = (
          await dn.walletClient.getAddresses()
        ).map((a) => a.toLowerCase());
        const c = dn.deployment.contracts;
        const reg = (fn: string, args: unknown[], from: string) =>
          dn.send('DatanetRegistry', c.DatanetRegistry, fn, args, { from });
        const engine = (fn: string, args: unknown[]) =>
          dn.send('AttributionEngine', c.AttributionEngine, fn, args, { from: admin });
        const settle = (id: string, modelId: bigint, fee: bigint, ids: bigint[], w: number[]) =>
          engine('settle', [{ inferenceId: h(id), modelId, payer, fee, contributionIds: ids, weightsPpm: w }]);

        await reg('createDatanet', ['A', 'ipfs://a'], ownerA); // Datanet 1
        await reg('createDatanet', ['B', 'ipfs://b'], ownerB); // Datanet 2
        await reg('setValidator', [1n, validator, true], ownerA);
        await reg('setValidator', [2n, validator, true], ownerB);
        await reg('submitContribution', [1n, h('x'), 100n, 'u1'], alice); // c1
        await reg('submitContribution', [1n, h('y'), 200n, 'u2'], alice); // c2
        await reg('submitContribution', [1n, h('x'), 300n, 'u3'], bob); // c3: duplicate of c1
        await reg('submitContribution', [2n, h('x'), 400n, 'u4'], alice); // c4: same hash, other Datanet: not a duplicate
        await reg('reviewContribution', [1n, true, 9000], validator);
        await reg('reviewContribution', [2n, false, 1000], validator);
        await reg('reviewContribution', [4n, true, 8000], validator);
        await dn.send('ModelRegistry', c.ModelRegistry, 'registerModel', ['M', [1n, 2n]], { from: modelOwner });
        // I1 before any fee split: everything to the protocol (c1 is eligible but C is 0).
        await settle('i1', 1n, 1000n, [1n], [1_000_000]);
        await engine('setFeeSplit', [1000, 2000, 1500, 5500]);
        // I2: fee 1,000,003 -> P 100,000, M 200,000, D 150,000, C 550,001.
        // c1 50% -> 275,000 (alice); c4 30% -> 165,000 (alice); c2 20% rejected -> 0.
        // Datanet 1 owner: 150,000*0.5 = 75,000; Datanet 2 owner: 150,000*0.3 = 45,000.
        // Protocol keeps 1,000,003 - 275,000 - 165,000 - 75,000 - 45,000 - 200,000 = 240,003.
        await settle('i2', 1n, 1_000_003n, [1n, 4n, 2n], [500_000, 300_000, 200_000]);
        await reg('reviewContribution', [2n, true, 5000], validator); // c2 re-reviewed: accepted
        // I3: fee 10 -> M 2, D 1, C 5. c2 60% -> 3; unknown 999 40% -> 0 (anomaly). Datanet 1: 1*0.6 = 0.
        // Protocol keeps 10 - 3 - 0 - 2 = 5.
        await settle('i3', 1n, 10n, [2n, 999n], [600_000, 400_000]);
        // I4: no attribution: M 100, the protocol keeps 400.
        await settle('i4', 1n, 500n, [], []);
        await reg('slashContributor', [1n, bob, 7n, h('spam')], ownerA);
        // Epoch 1 leaves, by hand: alice 440,003; owner A 75,000; owner B 45,000; model owner 200,102 (sum 760,105).
        const tree = StandardMerkleTree.of(
          [
            [alice, 440_003n],
            [ownerA, 75_000n],
            [ownerB, 45_000n],
            [modelOwner, 200_102n],
          ],
          ['address', 'uint256'],
        );
        await dn.send('RewardVault', c.RewardVault, 'closeEpoch', [tree.root, 760_105n], { from: admin });
        // Epoch 2 closes with a wrong root over nothing earned: an unreconciled epoch.
        await dn.send('RewardVault', c.RewardVault, 'closeEpoch', [h('wrong'), 1n], { from: admin });
        // Bridge: an ERC20 deposit of 50 to the bridger, a withdrawal of 20 of it, a native withdrawal of 3 wei.
        const usdc = dn.deployment.tokens.USDC ?? Object.values(dn.deployment.tokens)[0];
        const deposit = erc20DepositMessage({
          nonce: versionedNonce(1n),
          l1Token: usdc.l1 as Hex,
          l2Token: usdc.l2 as Hex,
          from: bridger as Hex,
          to: bridger as Hex,
          amount: 50n,
        });
        await dn.send(
          'L2CrossDomainMessenger',
          MESSENGER,
          'relayMessage',
          [deposit.nonce, deposit.sender, deposit.target, deposit.value, deposit.minGasLimit, deposit.message],
          { from: admin },
        );
        const w = await dn.send('L2StandardBridge', BRIDGE, 'withdraw', [usdc.l2, 20n, 200_000, '0x'], {
          from: bridger,
        });
        const n = await dn.send(
          'L2ToL1MessagePasser',
          MESSAGE_PASSER,
          'initiateWithdrawal',
          [bridger, 100_000n, '0x'],
          {
            from: bridger,
            value: 3n,
          },
        );
        await dn.send('CreditManager', c.CreditManager, 'purchaseCredits', [], { from: payer, value: 10n ** 18n });
        await dn.send('DatanetFactory', c.DatanetFactory, 'payCreationFee', [h('fee1')], { from: ownerA, value: 5n });
        const head = Number(await dn.publicClient.getBlockNumber());

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-proc-'));
        const deploymentFile = path.join(dir, 'deployment.json');
        fs.writeFileSync(deploymentFile, JSON.stringify(dn.deployment));
        const proc = startTestProcessor({ dbUrl: db.url, rpcUrl: dn.node.rpcUrl, deploymentFile });
        try {
          await waitForHeight(db, proc, head);
        } finally {
          await proc.kill();
          fs.rmSync(dir, { recursive: true, force: true });
        }

        const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params))[0];
        // Datanets and contributions
        assert.deepEqual(
          await db.query(
            'SELECT id, owner, validator_count, contribution_count, pending_count, accepted_count, rejected_count, duplicate_count, total_size_bytes::text, accepted_size_bytes::text, slash_count, owner_earned::text, contributors_earned::text FROM datanet ORDER BY id',
          ),
          [
            {
              id: '1',
              owner: ownerA,
              validator_count: 1,
              contribution_count: 3,
              pending_count: 1,
              accepted_count: 2,
              rejected_count: 0,
              duplicate_count: 1,
              total_size_bytes: '600',
              accepted_size_bytes: '300',
              slash_count: 1,
              owner_earned: '75000',
              contributors_earned: '275003',
            },
            {
              id: '2',
              owner: ownerB,
              validator_count: 1,
              contribution_count: 1,
              pending_count: 0,
              accepted_count: 1,
              rejected_count: 0,
              duplicate_count: 0,
              total_size_bytes: '400',
              accepted_size_bytes: '400',
              slash_count: 0,
              owner_earned: '45000',
              contributors_earned: '165000',
            },
          ],
        );
        assert.deepEqual(
          await db.query(
            `SELECT c.id, c.status, c.quality_bps, c.review_count, c.duplicate_of_id, c.is_duplicate,
                    (SELECT coalesce(sum(a.amount), 0)::text FROM attribution a WHERE a.contribution_id = c.id) AS earned
               FROM contribution c ORDER BY c.id`,
          ),
          [
            {
              id: '1',
              status: 'ACCEPTED',
              quality_bps: 9000,
              review_count: 1,
              duplicate_of_id: null,
              is_duplicate: false,
              earned: '275000',
            },
            {
              id: '2',
              status: 'ACCEPTED',
              quality_bps: 5000,
              review_count: 2,
              duplicate_of_id: null,
              is_duplicate: false,
              earned: '3',
            },
            {
              id: '3',
              status: 'PENDING',
              quality_bps: null,
              review_count: 0,
              duplicate_of_id: '1',
              is_duplicate: true,
              earned: '0',
            },
            {
              id: '4',
              status: 'ACCEPTED',
              quality_bps: 8000,
              review_count: 1,
              duplicate_of_id: null,
              is_duplicate: false,
              earned: '165000',
            },
          ],
        );
        // Inferences
        assert.deepEqual(
          await db.query(
            `SELECT fee::text, model_owner_amount::text m, datanet_owners_amount::text d, contributors_amount::text c, protocol_amount::text p, eligible_count, attribution_count FROM inference ORDER BY block_number`,
          ),
          [
            { fee: '1000', m: '0', d: '0', c: '0', p: '1000', eligible_count: 1, attribution_count: 1 },
            {
              fee: '1000003',
              m: '200000',
              d: '120000',
              c: '440000',
              p: '240003',
              eligible_count: 2,
              attribution_count: 3,
            },
            { fee: '10', m: '2', d: '0', c: '3', p: '5', eligible_count: 1, attribution_count: 2 },
            { fee: '500', m: '100', d: '0', c: '0', p: '400', eligible_count: 0, attribution_count: 0 },
          ],
        );
        // Accounts: alice earns 275,000 + 165,000 + 3; owners and the model owner as above.
        const earned = async (a: string) =>
          one(
            'SELECT earned_as_contributor::text c, earned_as_datanet_owner::text d, earned_as_model_owner::text m, earned_total::text t FROM account WHERE id = $1',
            [a],
          );
        assert.deepEqual(await earned(alice), { c: '440003', d: '0', m: '0', t: '440003' });
        assert.deepEqual(await earned(ownerA), { c: '0', d: '75000', m: '0', t: '75000' });
        assert.deepEqual(await earned(ownerB), { c: '0', d: '45000', m: '0', t: '45000' });
        assert.deepEqual(await earned(modelOwner), { c: '0', d: '0', m: '200102', t: '200102' });
        assert.deepEqual(
          await one(
            'SELECT contribution_count, accepted_count, duplicate_count, slash_count, slashed_amount::text FROM account WHERE id = $1',
            [bob],
          ),
          { contribution_count: 1, accepted_count: 0, duplicate_count: 1, slash_count: 1, slashed_amount: '7' },
        );
        assert.deepEqual(
          await db.query(
            'SELECT id, inference_count, total_fees::text f, accrued_to_accounts::text a, protocol_amount::text p, closed, posted_root, posted_total::text t, recomputed_root, recomputed_total::text rt, reconciled FROM epoch ORDER BY id',
          ),
          [
            {
              id: '1',
              inference_count: 4,
              f: '1001513',
              a: '760105',
              p: '241408',
              closed: true,
              posted_root: tree.root,
              t: '760105',
              recomputed_root: tree.root,
              rt: '760105',
              reconciled: true,
            },
            {
              id: '2',
              inference_count: 0,
              f: '0',
              a: '0',
              p: '0',
              closed: true,
              posted_root: h('wrong'),
              t: '1',
              recomputed_root: `0x${'0'.repeat(64)}`,
              rt: '0',
              reconciled: false,
            },
          ],
        );
        // One leaf per (epoch, account): the roles add up to the leaf, and the leaves to the epoch total.
        assert.deepEqual(
          await db.query(
            `SELECT account, as_contributor::text c, as_datanet_owner::text d, as_model_owner::text m, total::text t
               FROM account_epoch WHERE epoch = 1 ORDER BY account`,
          ),
          [
            { account: alice, c: '440003', d: '0', m: '0', t: '440003' },
            { account: ownerA, c: '0', d: '75000', m: '0', t: '75000' },
            { account: ownerB, c: '0', d: '45000', m: '0', t: '45000' },
            { account: modelOwner, c: '0', d: '0', m: '200102', t: '200102' },
          ].sort((x, y) => (x.account < y.account ? -1 : 1)),
        );
        assert.deepEqual(await db.query('SELECT id, earning_accounts FROM epoch ORDER BY id'), [
          { id: '1', earning_accounts: 4 },
          { id: '2', earning_accounts: 0 },
        ]);
        // Per Datanet and per model, epoch 1 (from the amounts above). Datanet 1's eligible attributions:
        // c1 in I1 (paid 0: no split yet), c1 in I2, c2 in I3.
        assert.deepEqual(
          await db.query(
            `SELECT datanet_id, eligible_attribution_count n, contributors_earned::text c, owner_earned::text o
               FROM datanet_epoch WHERE epoch = 1 ORDER BY datanet_id`,
          ),
          [
            { datanet_id: '1', n: 3, c: '275003', o: '75000' },
            { datanet_id: '2', n: 1, c: '165000', o: '45000' },
          ],
        );
        assert.deepEqual(
          await one(
            `SELECT model_id, inference_count n, fees::text f, owner_earned::text m, contributors_earned::text c,
                    datanet_owners_earned::text d, protocol_earned::text p FROM model_epoch WHERE epoch = 1`,
          ),
          { model_id: '1', n: 4, f: '1001513', m: '200102', c: '440003', d: '120000', p: '241408' },
        );
        // Reputation v1 by hand (acceptance = 10000*(a+1)/(a+r+d+2), base = (4*acc + 3*quality + 3*impact)/10,
        // score = base/(10*2^slashes); impact is 0 for under 1 OPEN earned):
        // alice: first submission 5000,0 -> 200; c1 accepted (9000) 6666,9000 -> 536; c2 rejected 5000,9000 -> 470;
        // c4 accepted (8000) 6000,8500 -> 495; paid in I2 (no change); c2 re-accepted (5000) 8000,7333 -> 539.
        // bob: a duplicate 3333 -> 133; slashed once -> 1333/20 = 66.
        assert.deepEqual(
          await db.query(
            `SELECT id, reputation_score s, acceptance_bps a, quality_bps q, impact_bps i FROM account
              WHERE id IN ($1, $2) ORDER BY id`,
            [alice, bob],
          ),
          [
            { id: alice, s: 539, a: 8000, q: 7333, i: 0 },
            { id: bob, s: 66, a: 3333, q: 0, i: 0 },
          ].sort((x, y) => (x.id < y.id ? -1 : 1)),
        );
        const history = async (a: string) =>
          (
            await db.query<{ score: number }>(
              'SELECT score FROM reputation_change WHERE account = $1 ORDER BY block_number',
              [a],
            )
          ).map((r) => r.score);
        assert.deepEqual(await history(alice), [200, 536, 470, 495, 539]);
        assert.deepEqual(await history(bob), [133, 66]);
        assert.deepEqual(await db.query('SELECT count(*)::int n FROM account WHERE reputation_score IS NOT NULL'), [
          { n: 2 },
        ]);
        // Anomalies: the unknown contribution and the wrong root.
        assert.deepEqual(await db.query('SELECT kind FROM anomaly ORDER BY id'), [
          { kind: 'UNKNOWN_CONTRIBUTION' },
          { kind: 'EPOCH_ROOT_MISMATCH' },
        ]);
        // Bridge: three transfers, the withdrawals with the hashes their MessagePassed carry.
        const passed = (r: { logs: { address: string; topics: string[]; data: string }[] }) =>
          dn.decodeLogs(r.logs as never).find((l) => l.eventName === 'MessagePassed')!.args.withdrawalHash;
        assert.deepEqual(
          await db.query(
            'SELECT direction, asset, "from", amount::text, withdrawal_hash FROM bridge_transfer ORDER BY block_number',
          ),
          [
            { direction: 'IN', asset: 'ERC20', from: bridger, amount: '50', withdrawal_hash: null },
            { direction: 'OUT', asset: 'ERC20', from: bridger, amount: '20', withdrawal_hash: passed(w as never) },
            { direction: 'OUT', asset: 'NATIVE', from: bridger, amount: '3', withdrawal_hash: passed(n as never) },
          ],
        );
        assert.deepEqual(
          await db.query(
            'SELECT token, deposited_amount::text d, deposit_count, withdrawn_amount::text w, withdrawal_count FROM bridge_account_token WHERE account = $1 ORDER BY token',
            [bridger],
          ),
          [
            {
              token: '0x0000000000000000000000000000000000000000',
              d: '0',
              deposit_count: 0,
              w: '3',
              withdrawal_count: 1,
            },
            { token: usdc.l2.toLowerCase(), d: '50', deposit_count: 1, w: '20', withdrawal_count: 1 },
          ],
        );
        assert.deepEqual(await one('SELECT count(*)::int n FROM credit_purchase'), { n: 1 });
        assert.deepEqual(await one('SELECT amount::text FROM datanet_creation_fee'), { amount: '5' });
      },
      { accounts: 12 },
    );
  });
});
