import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { computeEpochTree, EMPTY_EPOCH_ROOT } from '../domain/merkle';
import { buildProofTree, buildProofTreeInWorker, EpochTreeCache } from './epochTrees';

const ENCODING = ['address', 'uint256'];
const account = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;
const accruals = (n: number, salt = 0n) =>
  Array.from({ length: n }, (_, i) => ({ account: account(i + 1), amount: 2n ** 65n + BigInt(i) * 7n + salt }));
const rootOf = (rows: { account: string; amount: bigint }[]) => computeEpochTree(rows).root;

describe('buildProofTree', () => {
  test('has the root of computeEpochTree and proofs that verify', () => {
    const rows = accruals(37);
    const tree = buildProofTree('5', rows);
    assert.equal(tree.root, rootOf(rows));
    assert.equal(tree.leafCount, 37);
    const leafIndexes = new Set<number>();
    for (const { account: a, amount } of rows) {
      const p = tree.prove(a)!;
      assert.equal(p.amount, amount);
      assert.ok(StandardMerkleTree.verify(tree.root, ENCODING, [a, amount], p.proof));
      leafIndexes.add(p.leafIndex);
    }
    assert.deepEqual(
      [...leafIndexes].sort((a, b) => a - b),
      rows.map((_, i) => i),
    );
    assert.equal(tree.prove(account(999)), null);
  });

  test('gives the proofs and leaf positions of StandardMerkleTree.getProof and dump()', () => {
    const rows = accruals(23);
    const lib = StandardMerkleTree.of(
      rows.map((r) => [r.account, r.amount]),
      ENCODING,
    );
    const { tree: nodes, values } = lib.dump();
    const tree = buildProofTree('5', rows);
    rows.forEach((r, i) => {
      assert.deepEqual(tree.prove(r.account), {
        amount: r.amount,
        proof: lib.getProof(i),
        leafIndex: nodes.length - 1 - values[i].treeIndex,
      });
    });
  });

  test('a tree built in a worker thread equals the one built in this thread', async () => {
    const rows = accruals(1500, 3n);
    const here = buildProofTree('9', rows);
    const there = await buildProofTreeInWorker('9', rows);
    assert.equal(there.root, here.root);
    assert.equal(there.leafCount, 1500);
    for (const r of rows.filter((_, i) => i % 97 === 0))
      assert.deepEqual(there.prove(r.account), here.prove(r.account));
    const empty = await buildProofTreeInWorker('9', []);
    assert.equal(empty.root, EMPTY_EPOCH_ROOT);
  });

  test('follows the leaf rules: non-positive amounts are left out, rows of one account are summed', () => {
    const rows = [
      { account: account(1), amount: 5n },
      { account: account(2), amount: 0n },
      { account: account(3), amount: 4n },
      { account: account(3), amount: 6n },
    ];
    const tree = buildProofTree('1', rows);
    assert.equal(tree.root, rootOf(rows));
    assert.equal(tree.leafCount, 2);
    assert.equal(tree.prove(account(2)), null);
    assert.equal(tree.prove(account(3))!.amount, 10n);
    const empty = buildProofTree('1', [{ account: account(1), amount: 0n }]);
    assert.equal(empty.root, EMPTY_EPOCH_ROOT);
    assert.equal(empty.prove(account(1)), null);
  });
});

describe('EpochTreeCache', () => {
  const rows1 = accruals(10);
  const rows2 = accruals(12, 1n);
  const rows3 = accruals(5, 2n);
  const loader = (rows: { account: string; amount: bigint }[], delayMs = 0) => {
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, delayMs));
      return rows;
    };
    return { load, calls: () => calls };
  };

  test('concurrent first calls share one build (single flight)', async () => {
    const cache = new EpochTreeCache({ maxEpochs: 4 });
    const l = loader(rows1, 20);
    const trees = await Promise.all(Array.from({ length: 50 }, () => cache.get('1', rootOf(rows1), l.load)));
    assert.equal(cache.buildCount, 1);
    assert.equal(l.calls(), 1);
    assert.ok(trees.every((t) => t === trees[0]));
    await cache.get('1', rootOf(rows1).toUpperCase().replace('0X', '0x'), l.load);
    assert.equal(cache.buildCount, 1);
  });

  test('keeps at most maxEpochs trees, dropping the least recently used', async () => {
    const cache = new EpochTreeCache({ maxEpochs: 2 });
    await cache.get('1', rootOf(rows1), loader(rows1).load);
    await cache.get('2', rootOf(rows2), loader(rows2).load);
    await cache.get('1', rootOf(rows1), loader(rows1).load); // 1 is now the most recent
    await cache.get('3', rootOf(rows3), loader(rows3).load); // drops 2
    assert.equal(cache.size, 2);
    assert.equal(cache.buildCount, 3);
    await cache.get('1', rootOf(rows1), loader(rows1).load);
    assert.equal(cache.buildCount, 3);
    await cache.get('2', rootOf(rows2), loader(rows2).load);
    assert.equal(cache.buildCount, 4);
  });

  test('a root mismatch is rebuilt once from fresh rows', async () => {
    const cache = new EpochTreeCache();
    let calls = 0;
    const tree = await cache.get('1', rootOf(rows1), async () => (calls++ === 0 ? rows2 : rows1));
    assert.equal(tree.root, rootOf(rows1));
    assert.equal(cache.buildCount, 2);
  });

  test('a second mismatch fails, and the failure is not kept', async () => {
    const cache = new EpochTreeCache();
    await assert.rejects(cache.get('1', rootOf(rows1), loader(rows2).load), /recomputedRoot/);
    assert.equal(cache.buildCount, 2);
    assert.equal(cache.size, 0);
    const tree = await cache.get('1', rootOf(rows1), loader(rows1).load);
    assert.equal(tree.root, rootOf(rows1));
    assert.equal(cache.buildCount, 3);
  });

  test('builds in a worker thread from workerThreshold accruals, single flight too', async () => {
    const cache = new EpochTreeCache({ workerThreshold: 10 });
    const l = loader(rows1, 5);
    const trees = await Promise.all(Array.from({ length: 5 }, () => cache.get('1', rootOf(rows1), l.load)));
    assert.equal(cache.buildCount, 1);
    assert.ok(trees.every((t) => t === trees[0]));
    const p = trees[0].prove(rows1[3].account)!;
    assert.ok(StandardMerkleTree.verify(trees[0].root, ENCODING, [rows1[3].account, p.amount], p.proof));
  });

  test('a failing load is not kept either', async () => {
    const cache = new EpochTreeCache();
    await assert.rejects(
      cache.get('1', rootOf(rows1), async () => {
        throw new Error('db down');
      }),
      /db down/,
    );
    assert.equal(cache.size, 0);
    assert.equal((await cache.get('1', rootOf(rows1), loader(rows1).load)).root, rootOf(rows1));
  });
});
