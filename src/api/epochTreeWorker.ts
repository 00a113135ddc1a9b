// Worker thread of the epoch tree cache: builds one epoch's StandardMerkleTree off the API's event loop
// and sends it back packed (nodes and leaf positions as transferable buffers).
import { parentPort, workerData } from 'node:worker_threads';
import type { EpochLeaf } from '../domain/merkle';
import { buildPackedTree } from './epochTreePack';

/** What the API thread hands the worker: the leaves, amounts as decimal strings. */
export interface EpochTreeWorkerInput {
  accounts: string[];
  amounts: string[];
}

if (parentPort) {
  const { accounts, amounts } = workerData as EpochTreeWorkerInput;
  const leaves = accounts.map((account, i): EpochLeaf => [account, BigInt(amounts[i])]);
  const packed = buildPackedTree(leaves);
  parentPort.postMessage(
    packed,
    packed ? [packed.nodes.buffer as ArrayBuffer, packed.treeIndex.buffer as ArrayBuffer] : [],
  );
}
