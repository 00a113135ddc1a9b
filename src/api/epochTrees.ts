/**
 * Merkle trees of closed epochs, built from our own `account_epoch` rows and kept in the API process
 * so a claim proof costs O(log n) once its epoch's tree is built (PROTOCOL.md section 4).
 *
 * Trees are built with the processor's builder (`epochLeaves` + `buildEpochTree`, i.e.
 * StandardMerkleTree.of over [address, uint256]); a large tree is built in a worker thread, since
 * StandardMerkleTree.of takes seconds for 100,000 leaves and would stall every other request.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { EMPTY_EPOCH_ROOT, EPOCH_LEAF_ENCODING, epochLeaves, type EpochLeaf } from '../domain/merkle';
import { buildPackedTree, type PackedEpochTree } from './epochTreePack';
import type { EpochTreeWorkerInput } from './epochTreeWorker';

/** One leaf's proof. */
export interface EpochLeafProof {
  /** The leaf amount (wei). */
  amount: bigint;
  /** Sibling hashes from the leaf up to the root (0x hex), as StandardMerkleTree.getProof gives them. */
  proof: string[];
  /** Position of the leaf among the tree's leaves, in the tree's (leaf hash) order, 0-based. */
  leafIndex: number;
}

/** A built epoch tree with an account -> leaf index. */
export interface EpochProofTree {
  epoch: string;
  root: string;
  /** Number of leaves (accounts with a positive accrual). */
  leafCount: number;
  /** The proof of an account's leaf (lowercase address), or null when it has none. */
  prove(account: string): EpochLeafProof | null;
}

/** An epoch's accruals: one entry per account_epoch row (the leaf rules are applied after). */
export type Accruals = Iterable<{ account: string; amount: bigint }>;

/** Loads an epoch's accruals. */
export type AccrualsLoader = () => Promise<Accruals>;

/** Wraps a packed tree: an account -> leaf map, proofs by walking the siblings up from the leaf's node. */
function proofTree(epoch: string, leaves: EpochLeaf[], packed: PackedEpochTree | null): EpochProofTree {
  if (!packed) return { epoch, root: EMPTY_EPOCH_ROOT, leafCount: 0, prove: () => null };
  const { root, nodes, treeIndex } = packed;
  const view = Buffer.from(nodes.buffer, nodes.byteOffset, nodes.byteLength);
  const nodeCount = nodes.length / 32;
  const node = (i: number) => `0x${view.toString('hex', i * 32, i * 32 + 32)}`;
  const index = new Map<string, number>();
  leaves.forEach(([account], i) => index.set(account, i));
  return {
    epoch,
    root,
    leafCount: leaves.length,
    prove(account) {
      const i = index.get(account);
      if (i === undefined) return null;
      const [, amount] = leaves[i];
      const proof: string[] = [];
      for (let k = treeIndex[i]; k > 0; k = (k - 1) >> 1) proof.push(node(k % 2 === 1 ? k + 1 : k - 1));
      // The same sanity check StandardMerkleTree.getProof makes: the proof leads from the leaf to the root.
      if (!StandardMerkleTree.verify(root, EPOCH_LEAF_ENCODING, [account, amount], proof)) {
        throw new Error(`epoch ${epoch}: the proof of ${account} does not lead to root ${root}`);
      }
      return { amount, proof, leafIndex: nodeCount - 1 - treeIndex[i] };
    },
  };
}

/** Builds an epoch's proof tree in this thread (leaf rules of `computeEpochTree`). */
export function buildProofTree(epoch: string, accruals: Accruals): EpochProofTree {
  const leaves = epochLeaves(accruals);
  return proofTree(epoch, leaves, buildPackedTree(leaves));
}

/** Builds an epoch's proof tree in a worker thread (same builder and leaf rules). */
export async function buildProofTreeInWorker(epoch: string, accruals: Accruals): Promise<EpochProofTree> {
  const leaves = epochLeaves(accruals);
  const input: EpochTreeWorkerInput = {
    accounts: leaves.map(([account]) => account),
    amounts: leaves.map(([, amount]) => amount.toString()),
  };
  const packed = await new Promise<PackedEpochTree | null>((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'epochTreeWorker.js'), { workerData: input });
    worker.once('message', (message: PackedEpochTree | null) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`epoch ${epoch}: tree worker exited (code ${code})`)));
  });
  return proofTree(epoch, leaves, packed);
}

/** Options of {@link EpochTreeCache}. */
export interface EpochTreeCacheOptions {
  /** How many epoch trees are kept; least recently used ones are dropped (default 8). */
  maxEpochs?: number;
  /** Trees of at least this many accruals are built in a worker thread (default 1000). */
  workerThreshold?: number;
}

/**
 * A bounded LRU of epoch trees keyed by (epoch, expected root). Concurrent first requests of an epoch
 * share one build (single flight). A build whose root differs from the expected one (the epoch's
 * `recomputedRoot`) is retried once from fresh rows, then fails: the rows would have changed under
 * us. A failed build is not kept. Closed epochs never change, so entries do not expire.
 */
export class EpochTreeCache {
  readonly maxEpochs: number;
  readonly workerThreshold: number;
  private readonly entries = new Map<string, Promise<EpochProofTree>>();
  private builds = 0;

  constructor({ maxEpochs = 8, workerThreshold = 1000 }: EpochTreeCacheOptions = {}) {
    if (!Number.isInteger(maxEpochs) || maxEpochs < 1) throw new Error(`maxEpochs must be >= 1, got ${maxEpochs}`);
    this.maxEpochs = maxEpochs;
    this.workerThreshold = workerThreshold;
  }

  /** Trees built so far (every attempt, including a rebuild after a root mismatch). */
  get buildCount(): number {
    return this.builds;
  }

  /** Trees (built or being built) currently kept. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every tree (tests). */
  clear(): void {
    this.entries.clear();
  }

  /** Returns the epoch's tree, building it from `load` unless a tree for this (epoch, root) is kept. */
  get(epoch: string, expectedRoot: string, load: AccrualsLoader): Promise<EpochProofTree> {
    const root = expectedRoot.toLowerCase();
    const key = `${epoch}:${root}`;
    const kept = this.entries.get(key);
    if (kept) {
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    const building = this.build(epoch, root, load);
    this.entries.set(key, building);
    while (this.entries.size > this.maxEpochs) this.entries.delete(this.entries.keys().next().value!);
    building.catch(() => {
      if (this.entries.get(key) === building) this.entries.delete(key);
    });
    return building;
  }

  private async build(epoch: string, expectedRoot: string, load: AccrualsLoader): Promise<EpochProofTree> {
    const roots: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const accruals = [...(await load())];
      this.builds++;
      const tree =
        accruals.length >= this.workerThreshold
          ? await buildProofTreeInWorker(epoch, accruals)
          : buildProofTree(epoch, accruals);
      if (tree.root === expectedRoot) return tree;
      roots.push(tree.root);
    }
    throw new Error(
      `epoch ${epoch}: the tree built from account_epoch has root ${roots.join(', then ')}, ` +
        `but the epoch's recomputedRoot is ${expectedRoot}`,
    );
  }
}

/** The API process's epoch trees: 8 epochs, trees of 1000+ accruals built in a worker thread. */
export const epochTrees = new EpochTreeCache();
