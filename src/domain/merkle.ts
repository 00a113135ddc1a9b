/** Epoch Merkle trees (PROTOCOL.md section 4): OpenZeppelin StandardMerkleTree, leaves [address, uint256]. Pure. */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

/** The tree's summary: root, sum of leaves and leaf count. */
export interface EpochTreeSummary {
  root: string;
  total: bigint;
  accounts: number;
}

/**
 * Computes the root over one leaf per account with a positive accrual (amounts of all roles summed).
 * An epoch where nobody earned has no tree: its root is the zero hash and its total 0.
 */
export function computeEpochTree(accruals: Iterable<{ account: string; amount: bigint }>): EpochTreeSummary {
  const byAccount = new Map<string, bigint>();
  for (const { account, amount } of accruals) byAccount.set(account, (byAccount.get(account) ?? 0n) + amount);
  const leaves = [...byAccount].filter(([, amount]) => amount > 0n);
  const total = leaves.reduce((a, [, amount]) => a + amount, 0n);
  if (leaves.length === 0) return { root: `0x${'0'.repeat(64)}`, total: 0n, accounts: 0 };
  const tree = StandardMerkleTree.of(leaves, ['address', 'uint256']);
  return { root: tree.root, total, accounts: leaves.length };
}
