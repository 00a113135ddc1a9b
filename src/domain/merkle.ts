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

/** An epoch tree as bytes: what {@link buildEpochTree} turns into a StandardMerkleTree. */
export interface EpochTreeNodes {
  /** Every node, 32 bytes each, in StandardMerkleTree order (`dump().tree`; node 0 is the root). */
  nodes: Buffer;
  /** Per leaf (in the order of the leaves given): its node position (`dump().values[i].treeIndex`). */
  treeIndex: Int32Array;
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

// keccak256 of short messages (one 136-byte block), by hand. The library hashes through
// ethereum-cryptography -> @noble/hashes, ~12 us per 64-byte hash on the 2-core box; this is ~2 us, and
// a 100,000-leaf tree takes 300,000 hashes. Checked against viem's keccak256 in merkle.test.ts.
//
// The state is 25 64-bit lanes, lane x + 5y held as two int32 words [lo, hi] at 2(x + 5y), 2(x + 5y) + 1,
// little-endian like the byte order keccak absorbs in. keccakF is keccak-f[1600] (FIPS 202 section 3)
// with the 50 words in locals and each round written out: generated mechanically from the rotation
// offsets ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14]
// (by lane index x + 5y) and the π map (x, y) -> (y, 2x + 3y mod 5).

/** The 24 round constants, as [lo, hi] int32 word pairs. */
// prettier-ignore
const RC = Int32Array.from(
  [
    0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n, 0x000000000000808bn,
    0x0000000080000001n, 0x8000000080008081n, 0x8000000000008009n, 0x000000000000008an, 0x0000000000000088n,
    0x0000000080008009n, 0x000000008000000an, 0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n,
    0x8000000000008003n, 0x8000000000008002n, 0x8000000000000080n, 0x000000000000800an, 0x800000008000000an,
    0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
  ].flatMap((c) => [Number(BigInt.asIntN(32, c)), Number(BigInt.asIntN(32, c >> 32n))]),
);

/** keccak-f[1600] in place on the 50-word state. */
// prettier-ignore
function keccakF(s: Int32Array): void {
  let a0 = s[0], a1 = s[1], a2 = s[2], a3 = s[3], a4 = s[4], a5 = s[5], a6 = s[6], a7 = s[7], a8 = s[8], a9 = s[9];
  let a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14], a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
  let a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24], a25 = s[25], a26 = s[26], a27 = s[27], a28 = s[28], a29 = s[29];
  let a30 = s[30], a31 = s[31], a32 = s[32], a33 = s[33], a34 = s[34], a35 = s[35], a36 = s[36], a37 = s[37], a38 = s[38], a39 = s[39];
  let a40 = s[40], a41 = s[41], a42 = s[42], a43 = s[43], a44 = s[44], a45 = s[45], a46 = s[46], a47 = s[47], a48 = s[48], a49 = s[49];
  for (let r = 0; r < 48; r += 2) {
    // θ: column parities c, then d[x] = c[x-1] ^ rot(c[x+1], 1), xored into every lane of column x (below)
    const c0 = a0 ^ a10 ^ a20 ^ a30 ^ a40, c1 = a1 ^ a11 ^ a21 ^ a31 ^ a41;
    const c2 = a2 ^ a12 ^ a22 ^ a32 ^ a42, c3 = a3 ^ a13 ^ a23 ^ a33 ^ a43;
    const c4 = a4 ^ a14 ^ a24 ^ a34 ^ a44, c5 = a5 ^ a15 ^ a25 ^ a35 ^ a45;
    const c6 = a6 ^ a16 ^ a26 ^ a36 ^ a46, c7 = a7 ^ a17 ^ a27 ^ a37 ^ a47;
    const c8 = a8 ^ a18 ^ a28 ^ a38 ^ a48, c9 = a9 ^ a19 ^ a29 ^ a39 ^ a49;
    const d0 = c8 ^ ((c2 << 1) | (c3 >>> 31)), d1 = c9 ^ ((c3 << 1) | (c2 >>> 31));
    const d2 = c0 ^ ((c4 << 1) | (c5 >>> 31)), d3 = c1 ^ ((c5 << 1) | (c4 >>> 31));
    const d4 = c2 ^ ((c6 << 1) | (c7 >>> 31)), d5 = c3 ^ ((c7 << 1) | (c6 >>> 31));
    const d6 = c4 ^ ((c8 << 1) | (c9 >>> 31)), d7 = c5 ^ ((c9 << 1) | (c8 >>> 31));
    const d8 = c6 ^ ((c0 << 1) | (c1 >>> 31)), d9 = c7 ^ ((c1 << 1) | (c0 >>> 31));
    // ρ and π: lane (x, y) rotated left by ROT[x + 5y] into b at lane (y, 2x + 3y)
    let t: number, u: number;
    t = a0 ^ d0; u = a1 ^ d1; const b0 = t, b1 = u;
    t = a12 ^ d2; u = a13 ^ d3; const b2 = (u << 12) | (t >>> 20), b3 = (t << 12) | (u >>> 20);
    t = a24 ^ d4; u = a25 ^ d5; const b4 = (u << 11) | (t >>> 21), b5 = (t << 11) | (u >>> 21);
    t = a36 ^ d6; u = a37 ^ d7; const b6 = (t << 21) | (u >>> 11), b7 = (u << 21) | (t >>> 11);
    t = a48 ^ d8; u = a49 ^ d9; const b8 = (t << 14) | (u >>> 18), b9 = (u << 14) | (t >>> 18);
    t = a6 ^ d6; u = a7 ^ d7; const b10 = (t << 28) | (u >>> 4), b11 = (u << 28) | (t >>> 4);
    t = a18 ^ d8; u = a19 ^ d9; const b12 = (t << 20) | (u >>> 12), b13 = (u << 20) | (t >>> 12);
    t = a20 ^ d0; u = a21 ^ d1; const b14 = (t << 3) | (u >>> 29), b15 = (u << 3) | (t >>> 29);
    t = a32 ^ d2; u = a33 ^ d3; const b16 = (u << 13) | (t >>> 19), b17 = (t << 13) | (u >>> 19);
    t = a44 ^ d4; u = a45 ^ d5; const b18 = (u << 29) | (t >>> 3), b19 = (t << 29) | (u >>> 3);
    t = a2 ^ d2; u = a3 ^ d3; const b20 = (t << 1) | (u >>> 31), b21 = (u << 1) | (t >>> 31);
    t = a14 ^ d4; u = a15 ^ d5; const b22 = (t << 6) | (u >>> 26), b23 = (u << 6) | (t >>> 26);
    t = a26 ^ d6; u = a27 ^ d7; const b24 = (t << 25) | (u >>> 7), b25 = (u << 25) | (t >>> 7);
    t = a38 ^ d8; u = a39 ^ d9; const b26 = (t << 8) | (u >>> 24), b27 = (u << 8) | (t >>> 24);
    t = a40 ^ d0; u = a41 ^ d1; const b28 = (t << 18) | (u >>> 14), b29 = (u << 18) | (t >>> 14);
    t = a8 ^ d8; u = a9 ^ d9; const b30 = (t << 27) | (u >>> 5), b31 = (u << 27) | (t >>> 5);
    t = a10 ^ d0; u = a11 ^ d1; const b32 = (u << 4) | (t >>> 28), b33 = (t << 4) | (u >>> 28);
    t = a22 ^ d2; u = a23 ^ d3; const b34 = (t << 10) | (u >>> 22), b35 = (u << 10) | (t >>> 22);
    t = a34 ^ d4; u = a35 ^ d5; const b36 = (t << 15) | (u >>> 17), b37 = (u << 15) | (t >>> 17);
    t = a46 ^ d6; u = a47 ^ d7; const b38 = (u << 24) | (t >>> 8), b39 = (t << 24) | (u >>> 8);
    t = a4 ^ d4; u = a5 ^ d5; const b40 = (u << 30) | (t >>> 2), b41 = (t << 30) | (u >>> 2);
    t = a16 ^ d6; u = a17 ^ d7; const b42 = (u << 23) | (t >>> 9), b43 = (t << 23) | (u >>> 9);
    t = a28 ^ d8; u = a29 ^ d9; const b44 = (u << 7) | (t >>> 25), b45 = (t << 7) | (u >>> 25);
    t = a30 ^ d0; u = a31 ^ d1; const b46 = (u << 9) | (t >>> 23), b47 = (t << 9) | (u >>> 23);
    t = a42 ^ d2; u = a43 ^ d3; const b48 = (t << 2) | (u >>> 30), b49 = (u << 2) | (t >>> 30);
    // χ: a[x] = b[x] ^ (~b[x+1] & b[x+2]) along each row; ι: round constant into lane (0, 0)
    a0 = b0 ^ (~b2 & b4); a1 = b1 ^ (~b3 & b5);
    a2 = b2 ^ (~b4 & b6); a3 = b3 ^ (~b5 & b7);
    a4 = b4 ^ (~b6 & b8); a5 = b5 ^ (~b7 & b9);
    a6 = b6 ^ (~b8 & b0); a7 = b7 ^ (~b9 & b1);
    a8 = b8 ^ (~b0 & b2); a9 = b9 ^ (~b1 & b3);
    a10 = b10 ^ (~b12 & b14); a11 = b11 ^ (~b13 & b15);
    a12 = b12 ^ (~b14 & b16); a13 = b13 ^ (~b15 & b17);
    a14 = b14 ^ (~b16 & b18); a15 = b15 ^ (~b17 & b19);
    a16 = b16 ^ (~b18 & b10); a17 = b17 ^ (~b19 & b11);
    a18 = b18 ^ (~b10 & b12); a19 = b19 ^ (~b11 & b13);
    a20 = b20 ^ (~b22 & b24); a21 = b21 ^ (~b23 & b25);
    a22 = b22 ^ (~b24 & b26); a23 = b23 ^ (~b25 & b27);
    a24 = b24 ^ (~b26 & b28); a25 = b25 ^ (~b27 & b29);
    a26 = b26 ^ (~b28 & b20); a27 = b27 ^ (~b29 & b21);
    a28 = b28 ^ (~b20 & b22); a29 = b29 ^ (~b21 & b23);
    a30 = b30 ^ (~b32 & b34); a31 = b31 ^ (~b33 & b35);
    a32 = b32 ^ (~b34 & b36); a33 = b33 ^ (~b35 & b37);
    a34 = b34 ^ (~b36 & b38); a35 = b35 ^ (~b37 & b39);
    a36 = b36 ^ (~b38 & b30); a37 = b37 ^ (~b39 & b31);
    a38 = b38 ^ (~b30 & b32); a39 = b39 ^ (~b31 & b33);
    a40 = b40 ^ (~b42 & b44); a41 = b41 ^ (~b43 & b45);
    a42 = b42 ^ (~b44 & b46); a43 = b43 ^ (~b45 & b47);
    a44 = b44 ^ (~b46 & b48); a45 = b45 ^ (~b47 & b49);
    a46 = b46 ^ (~b48 & b40); a47 = b47 ^ (~b49 & b41);
    a48 = b48 ^ (~b40 & b42); a49 = b49 ^ (~b41 & b43);
    a0 ^= RC[r]; a1 ^= RC[r + 1];
  }
  s[0] = a0; s[1] = a1; s[2] = a2; s[3] = a3; s[4] = a4; s[5] = a5; s[6] = a6; s[7] = a7; s[8] = a8; s[9] = a9;
  s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14; s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
  s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24; s[25] = a25; s[26] = a26; s[27] = a27; s[28] = a28; s[29] = a29;
  s[30] = a30; s[31] = a31; s[32] = a32; s[33] = a33; s[34] = a34; s[35] = a35; s[36] = a36; s[37] = a37; s[38] = a38; s[39] = a39;
  s[40] = a40; s[41] = a41; s[42] = a42; s[43] = a43; s[44] = a44; s[45] = a45; s[46] = a46; s[47] = a47; s[48] = a48; s[49] = a49;
}

/** keccak256's rate: a message shorter than this is one padded block. */
const RATE = 136;

/** The sponge state (single-threaded use only: every hash below fills it, permutes it and reads it out). */
const state = new Int32Array(50);

/** Starts a hash of the `length` bytes of src at offset (length < RATE): the message and keccak's padding. */
function absorb(src: Uint8Array, offset: number, length: number): void {
  state.fill(0);
  for (let i = 0; i < length; i++) state[i >> 2] |= src[offset + i] << (8 * (i & 3));
  state[length >> 2] ^= 1 << (8 * (length & 3)); // pad10*1: a 1 bit after the message...
  state[(RATE >> 2) - 1] ^= 1 << 31; // ...and a 1 bit at the end of the block
}

/** Writes the digest (the first 32 bytes of the state) to dst at offset. */
function squeeze(dst: Uint8Array, offset: number): void {
  for (let w = 0; w < 8; w++) {
    const v = state[w];
    const o = offset + 4 * w;
    dst[o] = v;
    dst[o + 1] = v >>> 8;
    dst[o + 2] = v >>> 16;
    dst[o + 3] = v >>> 24;
  }
}

/** keccak256 of a message shorter than 136 bytes (all this module hashes are 32 or 64 bytes). */
export function keccak256(data: Uint8Array): Uint8Array {
  if (data.length >= RATE) throw new Error(`keccak256: ${data.length}-byte messages are not supported (< ${RATE})`);
  absorb(data, 0, data.length);
  keccakF(state);
  const digest = new Uint8Array(32);
  squeeze(digest, 0);
  return digest;
}

/** keccak256(keccak256(src[offset, offset + 64))) into dst at dstOffset: the inner digest never leaves the state. */
function doubleHash64(src: Uint8Array, offset: number, dst: Uint8Array, dstOffset: number): void {
  absorb(src, offset, 64);
  keccakF(state);
  // The inner digest is state words 0..7: keep them as the next message (32 bytes), pad after them.
  state.fill(0, 8);
  state[8] = 1;
  state[(RATE >> 2) - 1] = 1 << 31;
  keccakF(state);
  squeeze(dst, dstOffset);
}

/** keccak256(src[offset, offset + 32) ++ src[offset2, offset2 + 32)) into dst at dstOffset. */
function hashPair(src: Uint8Array, offset: number, offset2: number, dst: Uint8Array, dstOffset: number): void {
  state.fill(0);
  for (let i = 0; i < 32; i++) state[i >> 2] |= src[offset + i] << (8 * (i & 3));
  for (let i = 0; i < 32; i++) state[8 + (i >> 2)] |= src[offset2 + i] << (8 * (i & 3));
  state[16] = 1;
  state[(RATE >> 2) - 1] = 1 << 31;
  keccakF(state);
  squeeze(dst, dstOffset);
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT256_LIMIT = 1n << 256n;

/**
 * Hashes every leaf as StandardMerkleTree does, `keccak256(keccak256(abi.encode(['address','uint256'], leaf)))`,
 * into `out` (32 bytes per leaf, in the order given). abi.encode of (address, uint256) is the address
 * left-padded to 32 bytes, then the amount as 32 bytes big-endian.
 *
 * Stricter than the library's encoder (@metamask/abi-utils), which also takes shorter addresses (and
 * pads them) and amounts as numbers or strings: an account must be `0x` + 40 hex digits (any case,
 * the checksum is not checked, like the library) and an amount a bigint in [0, 2^256).
 */
function hashLeaves(leaves: readonly EpochLeaf[], out: Buffer): void {
  const encoded = Buffer.alloc(64);
  leaves.forEach(([account, amount], i) => {
    if (typeof account !== 'string' || !ADDRESS.test(account)) {
      throw new Error(`epoch tree leaf ${i}: account ${String(account)} is not a 20-byte 0x-prefixed hex address`);
    }
    if (typeof amount !== 'bigint' || amount < 0n || amount >= UINT256_LIMIT) {
      throw new Error(`epoch tree leaf ${i} (${account}): amount ${String(amount)} is not a uint256`);
    }
    // Bytes 0..11 stay zero: the address's left padding.
    encoded.write(account.slice(2), 12, 20, 'hex');
    encoded.write(amount.toString(16).padStart(64, '0'), 32, 32, 'hex');
    doubleHash64(encoded, 0, out, i * 32);
  });
}

/** Compares the 32-byte nodes at byte offsets a and b of buf (lexicographic = as uint256). */
function compareNodes(buf: Buffer, a: number, b: number): number {
  return buf.compare(buf, b, b + 32, a, a + 32);
}

/**
 * The tree of {@link buildEpochTree} as bytes, node for node the one StandardMerkleTree.of builds
 * (MerkleTreeImpl.prepare + core.makeMerkleTree of @openzeppelin/merkle-tree 1.0.8):
 * - leaf hashes are sorted ascending (as uint256), ties kept in input order (the library's sort is stable);
 * - the k-th sorted leaf is node `2n - 2 - k` (leaves fill the array from its end);
 * - node i (from `n - 2` down to 0) is keccak256 of its children 2i+1 and 2i+2, the smaller first.
 * Null when there are no leaves. Throws on a malformed leaf (see {@link hashLeaves}).
 */
export function epochTreeNodes(leaves: readonly EpochLeaf[]): EpochTreeNodes | null {
  const n = leaves.length;
  if (n === 0) return null;
  const hashes = Buffer.alloc(n * 32);
  hashLeaves(leaves, hashes);

  // Sort leaf indexes by hash: first by the leading 32 bits, then the whole hash, then the index (stability).
  const head = new Uint32Array(n);
  for (let i = 0; i < n; i++) head[i] = hashes.readUInt32BE(i * 32);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => head[a] - head[b] || compareNodes(hashes, a * 32, b * 32) || a - b);

  const size = 2 * n - 1;
  const nodes = Buffer.alloc(size * 32);
  const treeIndex = new Int32Array(n);
  order.forEach((leaf, k) => {
    const position = size - 1 - k;
    hashes.copy(nodes, position * 32, leaf * 32, leaf * 32 + 32);
    treeIndex[leaf] = position;
  });
  for (let i = size - 1 - n; i >= 0; i--) {
    const left = (2 * i + 1) * 32;
    const right = left + 32;
    if (compareNodes(nodes, left, right) <= 0) hashPair(nodes, left, right, nodes, i * 32);
    else hashPair(nodes, right, left, nodes, i * 32);
  }
  return { nodes, treeIndex };
}

/**
 * Builds the StandardMerkleTree over leaves from {@link epochLeaves}; null when there is none (no tree).
 *
 * Equal to `StandardMerkleTree.of(leaves, EPOCH_LEAF_ENCODING)` (same root, `dump()`, proofs), about
 * ten times faster: the leaves are encoded by hand ({@link epochTreeNodes}) rather than through the
 * library's generic ABI encoder, nodes are hashed as bytes rather than hex strings, with this module's
 * keccak256 rather than @noble/hashes (6x faster on 64-byte messages). The result is
 * built with the library's own constructor, as `of` does: `StandardMerkleTree.load(dump)` would
 * re-validate the tree, re-hashing every leaf with that encoder (as slow as `of`). Each `getProof` still
 * checks its leaf against the library's own leaf hash, so a divergence could not yield a wrong proof.
 */
export function buildEpochTree(leaves: EpochLeaf[]): StandardMerkleTree<EpochLeaf> | null {
  const built = epochTreeNodes(leaves);
  if (!built) return null;
  const { nodes, treeIndex } = built;
  const tree = Array.from({ length: nodes.length / 32 }, (_, i) => `0x${nodes.toString('hex', i * 32, i * 32 + 32)}`);
  const values = leaves.map((value, i) => ({ value, treeIndex: treeIndex[i] }));
  // The constructor is protected in the typings; StandardMerkleTree.of calls it with exactly these arguments.
  return Reflect.construct(StandardMerkleTree, [tree, values, EPOCH_LEAF_ENCODING]) as StandardMerkleTree<EpochLeaf>;
}

/**
 * Computes the root over one leaf per account with a positive accrual (amounts of all roles summed).
 * An epoch where nobody earned has no tree: its root is the zero hash and its total 0.
 */
export function computeEpochTree(accruals: Iterable<{ account: string; amount: bigint }>): EpochTreeSummary {
  const leaves = epochLeaves(accruals);
  const total = leaves.reduce((a, [, amount]) => a + amount, 0n);
  // Only the root is needed: the nodes as bytes, without the StandardMerkleTree around them.
  const built = epochTreeNodes(leaves);
  if (!built) return { root: EMPTY_EPOCH_ROOT, total: 0n, accounts: 0 };
  return { root: `0x${built.nodes.toString('hex', 0, 32)}`, total, accounts: leaves.length };
}
