// claimProof: each earning account's leaf and proof of a closed epoch, verified against the tree
// built here from the seeded rows; refusals for open epochs, strangers and bad input; one tree build
// per epoch, and a rebuild when the rows do not give the recomputed root.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { epochTrees } from './epochTrees';
import { setupApiFixture, type ApiFixture } from './test-fixtures';
import { CLOSED_EPOCH, epochTree, OPEN_EPOCH } from './test-seed-epochs';
import { ADDR } from './test-values';

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
});
after(async () => {
  await fx?.close();
});

const ENCODING = ['address', 'uint256'];
const rowsOf = (epoch: bigint) => fx.seed.accountEpochs.filter((r) => r.epoch === epoch);
/** The closed epoch's tree, built here from the seeded rows. */
const closedTree = () => epochTree(fx.seed.accountEpochs, CLOSED_EPOCH);

describe('claimProof', () => {
  const PROOF = 'epoch account amount proof root leafIndex claimed';

  test('every earning account of the closed epoch gets a proof that verifies against the recomputed root', async () => {
    const { leaves, tree } = closedTree();
    const dumped = tree.dump();
    for (const [i, [account, amount]] of leaves.entries()) {
      const row = rowsOf(CLOSED_EPOCH).find((r) => r.account === account)!;
      const d = await fx.data(`query($a: String!) { claimProof(epoch: "${CLOSED_EPOCH}", account: $a) { ${PROOF} } }`, {
        a: account.toUpperCase().replace('0X', '0x'),
      });
      const p = d.claimProof;
      assert.equal(p.epoch, String(CLOSED_EPOCH));
      assert.equal(p.account, account);
      assert.equal(p.amount, amount);
      assert.equal(p.amount, row.total.toString());
      assert.equal(p.root, tree.root);
      assert.ok(StandardMerkleTree.verify(p.root, ENCODING, [account, p.amount], p.proof), account);
      assert.deepEqual(p.proof, tree.getProof(i));
      assert.equal(p.leafIndex, dumped.tree.length - 1 - dumped.values[i].treeIndex);
      assert.equal(p.claimed, row.claimCount > 0);
    }
    const c0 = await fx.data(`{ claimProof(epoch: "1", account: "${ADDR.contributors[0]}") { claimed amount } }`);
    assert.deepEqual(c0.claimProof, { claimed: true, amount: (2n ** 70n + 1n).toString() });
  });

  test('null for an account without a positive leaf (a claim-only row, or no row)', async () => {
    for (const who of [ADDR.ownerB, ADDR.payer, `0x${'5'.repeat(40)}`]) {
      const d = await fx.data(`{ claimProof(epoch: "${CLOSED_EPOCH}", account: "${who}") { amount } }`);
      assert.equal(d.claimProof, null, who);
    }
  });

  test('bad address, malformed, unknown or open epoch are BAD_USER_INPUT naming the argument', async () => {
    await fx.badInput(`{ claimProof(epoch: "1", account: "0x123") { amount } }`, 'account');
    await fx.badInput(`{ claimProof(epoch: "-1", account: "${ADDR.ownerA}") { amount } }`, 'epoch');
    await fx.badInput(`{ claimProof(epoch: "${2n ** 256n}", account: "${ADDR.ownerA}") { amount } }`, 'epoch');
    const unknown = await fx.badInput(`{ claimProof(epoch: "3", account: "${ADDR.ownerA}") { amount } }`, 'epoch');
    assert.match(unknown, /not a known epoch/);
    const open = await fx.badInput(
      `{ claimProof(epoch: "${OPEN_EPOCH}", account: "${ADDR.ownerA}") { amount } }`,
      'epoch',
    );
    assert.match(open, /is open/);
  });

  test('concurrent first calls of an epoch build its tree once; later calls reuse it', async () => {
    epochTrees.clear();
    const before = epochTrees.buildCount;
    const accounts = closedTree().leaves.map(([a]) => a);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fx.data(`{ claimProof(epoch: "${CLOSED_EPOCH}", account: "${accounts[i % accounts.length]}") { root proof } }`),
      ),
    );
    assert.ok(results.every((d) => d.claimProof.root === closedTree().tree.root));
    assert.equal(epochTrees.buildCount - before, 1);
    await Promise.all(accounts.map((a) => fx.data(`{ claimProof(epoch: "1", account: "${a}") { amount } }`)));
    assert.equal(epochTrees.buildCount - before, 1);
  });

  test('rows that do not give the recomputed root are rebuilt once, then an internal error', async () => {
    const { tree } = closedTree();
    const wrong = `0x${'ab'.repeat(32)}`;
    await fx.ds.query('UPDATE epoch SET recomputed_root = $1 WHERE id = $2', [wrong, String(CLOSED_EPOCH)]);
    await fx.announceCommit();
    try {
      const before = epochTrees.buildCount;
      const res = await fx.gql(`{ claimProof(epoch: "1", account: "${ADDR.contributors[1]}") { amount } }`);
      assert.equal(res.errors?.[0].extensions?.code, 'INTERNAL_SERVER_ERROR');
      assert.equal(res.errors?.[0].message, 'Unexpected error.');
      assert.equal(epochTrees.buildCount - before, 2);
    } finally {
      await fx.ds.query('UPDATE epoch SET recomputed_root = $1 WHERE id = $2', [tree.root, String(CLOSED_EPOCH)]);
      await fx.announceCommit();
    }
    const ok = await fx.data(`{ claimProof(epoch: "1", account: "${ADDR.contributors[1]}") { root } }`);
    assert.equal(ok.claimProof.root, tree.root);
  });
});
