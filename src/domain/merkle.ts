/** Epoch Merkle trees (PROTOCOL.md section 4): OpenZeppelin StandardMerkleTree, leaves [address, uint256]. Pure. */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

/** The leaf encoding of every epoch tree. */
export const EPOCH_LEAF_ENCODING = ['address', 'uint256'];

/** Root reported for an epoch in which nobody earned (no tree can be built). */
export const EMPTY_EPOCH_ROOT = `0x${'0'.repeat(64)}`;

/** One leaf of an epoch tree: [account, amount accrued in the epoch (all roles)]. */
export type EpochLeaf = [account: string, amount: bigint];

/** The tree's summary: root, sum of leaves and leaf count. */
export interface EpochTreeSummary {
  root: string;
  total: bigint;
  accounts: number;
}

/**
 * The leaves of an epoch tree: one per account with a positive accrual (amounts of all roles of an
 * account summed), in first-seen order. The tree sorts its leaves, so the order does not change the root.
 */
export function epochLeaves(accruals: Iterable<{ account: string; amount: bigint }>): EpochLeaf[] {
  const byAccount = new Map<string, bigint>();
  for (const { account, amount } of accruals) byAccount.set(account, (byAccount.get(account) ?? 0n) + amount);
  return [...byAccount].filter(([, amount]) => amount > 0n);
}

/** Builds the StandardMerkleTree over leaves from {@link epochLeaves}; null when there is none (no tree). */
export function buildEpochTree(leaves: EpochLeaf[]): StandardMerkleTree<EpochLeaf> | null {
  return leaves.length === 0 ? null : StandardMerkleTree.of(leaves, EPOCH_LEAF_ENCODING);
}

/**
 * Computes the root over one leaf per account with a positive accrual (amounts of all roles summed).
 * An epoch where nobody earned has no tree: its root is the zero hash and its total 0.
 */
export function computeEpochTree(accruals: Iterable<{ account: string; amount: bigint }>): EpochTreeSummary {
  const leaves = epochLeaves(accruals);
  const total = leaves.reduce((a, [, amount]) => a + amount, 0n);
  const tree = buildEpochTree(leaves);
  if (!tree) return { root: EMPTY_EPOCH_ROOT, total: 0n, accounts: 0 };
  return { root: tree.root, total, accounts: leaves.length };
}
