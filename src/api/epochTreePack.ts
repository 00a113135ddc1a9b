// The epoch tree in a compact, transferable form: what the tree worker sends back (and what small
// trees built in the API thread are reduced to). Pure.
import { buildEpochTree, type EpochLeaf } from '../domain/merkle';

/** A built StandardMerkleTree reduced to its nodes and each leaf's node position. */
export interface PackedEpochTree {
  root: string;
  /** Every node of the tree (`dump().tree`), 32 bytes each, in tree order (node 0 is the root). */
  nodes: Uint8Array;
  /** Per leaf (in the order of the leaves given): its node position in `nodes` (`dump().values[i].treeIndex`). */
  treeIndex: Int32Array;
}

/** Builds the tree with `buildEpochTree` (StandardMerkleTree.of) and packs it; null when there are no leaves. */
export function buildPackedTree(leaves: EpochLeaf[]): PackedEpochTree | null {
  const tree = buildEpochTree(leaves);
  if (!tree) return null;
  const { tree: hex, values } = tree.dump();
  const nodes = new Uint8Array(hex.length * 32);
  const view = Buffer.from(nodes.buffer, nodes.byteOffset, nodes.byteLength);
  hex.forEach((h, i) => view.write(h.slice(2), i * 32, 32, 'hex'));
  return { root: tree.root, nodes, treeIndex: Int32Array.from(values, (v) => v.treeIndex) };
}
