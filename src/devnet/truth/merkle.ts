/**
 * Epoch Merkle trees (PROTOCOL.md section 4): OpenZeppelin StandardMerkleTree over
 * ["address", "uint256"] leaves, one per account with a positive accrual.
 */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

/** Root reported for an epoch in which no account accrued anything (no tree can be built). */
export const ZERO_ROOT = `0x${'0'.repeat(64)}`;

/** A computed epoch tree as plain data (cloneable). */
export interface EpochTree {
  root: string;
  total: bigint;
  /** account (lowercase) -> leaf amount (positive). */
  amounts: Map<string, bigint>;
}

const LEAF_ENCODING = ['address', 'uint256'];

function build(amounts: ReadonlyMap<string, bigint>): StandardMerkleTree<[string, string]> {
  return StandardMerkleTree.of(
    [...amounts].map(([account, amount]): [string, string] => [account, amount.toString()]),
    LEAF_ENCODING,
  );
}

/** Builds the epoch tree from account -> accrued amount (non-positive amounts are left out). */
export function computeEpochTree(accruals: ReadonlyMap<string, bigint>): EpochTree {
  const amounts = new Map<string, bigint>();
  for (const [account, amount] of accruals) if (amount > 0n) amounts.set(account.toLowerCase(), amount);
  let total = 0n;
  for (const amount of amounts.values()) total += amount;
  if (amounts.size === 0) return { root: ZERO_ROOT, total, amounts };
  return { root: build(amounts).root, total, amounts };
}

/** Returns a function giving each leaf's proof (the tree is built once). */
export function createEpochProver(tree: EpochTree): (account: string) => string[] {
  if (tree.amounts.size === 0) {
    return (account) => {
      throw new Error(`epoch tree is empty: no leaf for ${account}`);
    };
  }
  const merkle = build(tree.amounts);
  const index = new Map<string, number>();
  for (const [i, [account]] of merkle.entries()) index.set(account, i);
  return (account) => {
    const i = index.get(account.toLowerCase());
    if (i === undefined) throw new Error(`no leaf for ${account} in the epoch tree`);
    return merkle.getProof(i);
  };
}
