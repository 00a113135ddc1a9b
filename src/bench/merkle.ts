/**
 * `node lib/bench/merkle.js`: builds the epoch tree of 100,000 earning accounts with the library
 * (`StandardMerkleTree.of`) and with `buildEpochTree` (and `computeEpochTree`, the processor's root-only
 * path), checks they agree, and prints the times. Exits 1 when the trees differ.
 *
 * Options: --accounts N (100000), --runs N (3: the fast builders are timed this many times, best kept).
 */
import { randomBytes } from 'node:crypto';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { buildEpochTree, computeEpochTree, EPOCH_LEAF_ENCODING, type EpochLeaf } from '../domain/merkle';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const ms = (n: number) => `${n.toFixed(0).padStart(7)} ms`;

/** Runs fn `runs` times; returns the last result and the best time. */
function timed<T>(runs: number, fn: () => T): [T, number] {
  let best = Infinity;
  let result: T | undefined;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - t);
  }
  return [result as T, best];
}

function main(): void {
  const n = arg('accounts', 100_000);
  const runs = arg('runs', 3);
  process.stdout.write(`generating ${n.toLocaleString('en-US')} leaves...\n`);
  const leaves = Array.from({ length: n }, (): EpochLeaf => {
    // 1 wei .. ~1.2e24 wei (up to ~1.2M OPEN): amounts far above 2^64.
    return [`0x${randomBytes(20).toString('hex')}`, BigInt(`0x${randomBytes(10).toString('hex')}`) + 1n];
  });

  const [lib, libMs] = timed(1, () => StandardMerkleTree.of(leaves, EPOCH_LEAF_ENCODING));
  const [fast, fastMs] = timed(runs, () => buildEpochTree(leaves)!);
  const [summary, summaryMs] = timed(runs, () =>
    computeEpochTree(leaves.map(([account, amount]) => ({ account, amount }))),
  );

  const sameRoot = fast.root === lib.root && summary.root === lib.root;
  const libDump = lib.dump();
  const fastDump = fast.dump();
  const sameTree =
    fastDump.tree.length === libDump.tree.length &&
    fastDump.tree.every((node, i) => node === libDump.tree[i]) &&
    fastDump.values.every((v, i) => v.treeIndex === libDump.values[i].treeIndex && v.value === libDump.values[i].value);

  process.stdout.write(
    [
      `leaves                                     ${n.toLocaleString('en-US')}`,
      `StandardMerkleTree.of (library)            ${ms(libMs)}`,
      `buildEpochTree (best of ${runs})                ${ms(fastMs)}   ${(libMs / fastMs).toFixed(1)}x`,
      `computeEpochTree, root only (best of ${runs})   ${ms(summaryMs)}   ${(libMs / summaryMs).toFixed(1)}x`,
      `root                                       ${lib.root}`,
      `same root: ${sameRoot}, same tree and leaf positions: ${sameTree}`,
      '',
    ].join('\n'),
  );
  if (!sameRoot || !sameTree) process.exitCode = 1;
}

main();
