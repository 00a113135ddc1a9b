import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { keccak256 as viemKeccak256 } from 'viem';
import {
  buildEpochTree,
  computeEpochTree,
  EMPTY_EPOCH_ROOT,
  EPOCH_LEAF_ENCODING,
  epochLeaves,
  epochTreeNodes,
  keccak256,
  type EpochLeaf,
} from './merkle';

/** Seeded PRNG (mulberry32): the same leaf sets on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const MAX = 2n ** 256n - 1n;
const SPECIAL_AMOUNTS = [0n, 1n, 2n, 2n ** 64n, 2n ** 64n - 1n, 2n ** 255n, MAX, 10n ** 18n];

function randomLeaves(n: number, seed: number): EpochLeaf[] {
  const rand = prng(seed);
  const byte = () => Math.floor(rand() * 256);
  const bigRandom = (bits: number) => {
    let v = 0n;
    for (let i = 0; i < Math.ceil(bits / 8); i++) v = (v << 8n) | BigInt(byte());
    return v & ((1n << BigInt(bits)) - 1n);
  };
  const shared = bigRandom(80) + 1n; // one amount many leaves share
  return Array.from({ length: n }, (): EpochLeaf => {
    const bytes = Array.from({ length: 20 }, byte);
    // Leading zero bytes (down to the zero address's neighbourhood) every so often.
    if (rand() < 0.2) bytes.fill(0, 0, Math.floor(rand() * 20));
    let hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    const casing = rand();
    if (casing < 0.3) hex = hex.toUpperCase();
    else if (casing < 0.6) hex = [...hex].map((c) => (rand() < 0.5 ? c.toUpperCase() : c)).join('');
    const pick = rand();
    const amount =
      pick < 0.3
        ? SPECIAL_AMOUNTS[Math.floor(rand() * SPECIAL_AMOUNTS.length)]
        : pick < 0.5
          ? shared
          : bigRandom(1 + Math.floor(rand() * 256));
    return [`0x${hex}`, amount];
  });
}

/** Asserts the fast tree is the library's, node for node, and proves every leaf the same way. */
function assertSameAsLibrary(leaves: EpochLeaf[]): void {
  const lib = StandardMerkleTree.of(leaves, EPOCH_LEAF_ENCODING);
  const fast = buildEpochTree(leaves)!;
  assert.ok(fast instanceof StandardMerkleTree);
  assert.equal(Object.getPrototypeOf(fast), Object.getPrototypeOf(lib));
  assert.equal(fast.root, lib.root);
  assert.deepEqual(fast.dump(), lib.dump());
  assert.equal(fast.length, lib.length);
  assert.deepEqual([...fast.entries()], [...lib.entries()]);
  for (let i = 0; i < leaves.length; i++) {
    const proof = fast.getProof(i);
    assert.deepEqual(proof, lib.getProof(i));
    assert.ok(StandardMerkleTree.verify(fast.root, EPOCH_LEAF_ENCODING, leaves[i], proof));
    assert.ok(fast.verify(i, proof));
  }
}

describe('keccak256', () => {
  test("equals viem's keccak256 on every message length it takes (0..135 bytes)", () => {
    const rand = prng(99);
    for (let length = 0; length < 136; length++) {
      for (let k = 0; k < 8; k++) {
        const fill = k === 0 ? () => 0 : k === 1 ? () => 0xff : () => Math.floor(rand() * 256);
        const data = Uint8Array.from({ length }, fill);
        assert.deepEqual(keccak256(data), viemKeccak256(data, 'bytes'), `length ${length}, message ${k}`);
      }
    }
  });

  test('known digests', () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    assert.equal(hex(keccak256(new Uint8Array())), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    assert.equal(
      hex(keccak256(new TextEncoder().encode('Transfer(address,address,uint256)'))),
      'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
    );
  });

  test('rejects messages of a block or more', () => {
    assert.throws(() => keccak256(new Uint8Array(136)), /not supported/);
  });
});

describe('buildEpochTree', () => {
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100, 1000]) {
    const seeds = n >= 1000 ? [1] : n >= 100 ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7, 8];
    test(`equals StandardMerkleTree.of for ${n} random leaves (${seeds.length} seeds)`, () => {
      for (const seed of seeds) assertSameAsLibrary(randomLeaves(n, seed * 7919 + n));
    });
  }

  test('equals StandardMerkleTree.of on the edge amounts and addresses', () => {
    assertSameAsLibrary([
      ['0x0000000000000000000000000000000000000000', 1n],
      ['0x0000000000000000000000000000000000000001', 2n ** 64n],
      ['0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 2n ** 255n],
      ['0xffffffffffffffffffffffffffffffffffffffff', MAX],
      ['0x00000000000000000000000000000000000000aB', MAX],
      ['0xAbCdEf0123456789aBcDeF0123456789abcdef01', 0n],
    ]);
  });

  test('identical leaves keep their input order (the library sorts stably)', () => {
    const a: EpochLeaf = ['0x1111111111111111111111111111111111111111', 5n];
    const b: EpochLeaf = ['0x2222222222222222222222222222222222222222', 5n];
    assertSameAsLibrary([a, b, [...a], [...b], [...a]]);
    assertSameAsLibrary([[...a], [...a]]);
  });

  test('is accepted by StandardMerkleTree.load and supports multiproofs like the library', () => {
    const leaves = randomLeaves(33, 42);
    const fast = buildEpochTree(leaves)!;
    const lib = StandardMerkleTree.of(leaves, EPOCH_LEAF_ENCODING);
    assert.deepEqual(StandardMerkleTree.load(fast.dump()).dump(), lib.dump());
    fast.validate();
    assert.equal(fast.render(), lib.render());
    const multi = fast.getMultiProof([0, 5, 17, 32]);
    assert.deepEqual(multi, lib.getMultiProof([0, 5, 17, 32]));
    assert.ok(StandardMerkleTree.verifyMultiProof(fast.root, EPOCH_LEAF_ENCODING, multi));
    assert.equal(fast.leafLookup(leaves[9]), lib.leafLookup(leaves[9]));
  });

  test('epochTreeNodes holds the nodes and leaf positions of dump()', () => {
    const leaves = randomLeaves(21, 5);
    const { tree, values } = StandardMerkleTree.of(leaves, EPOCH_LEAF_ENCODING).dump();
    const { nodes, treeIndex } = epochTreeNodes(leaves)!;
    assert.deepEqual(
      Array.from({ length: nodes.length / 32 }, (_, i) => `0x${nodes.toString('hex', i * 32, i * 32 + 32)}`),
      tree,
    );
    assert.deepEqual(
      [...treeIndex],
      values.map((v) => v.treeIndex),
    );
  });

  test('no leaves: no tree', () => {
    assert.equal(buildEpochTree([]), null);
    assert.equal(epochTreeNodes([]), null);
  });

  const valid = '0x00000000000000000000000000000000000000aa';
  const invalid: [name: string, leaf: EpochLeaf, error: RegExp][] = [
    ['amount -1', [valid, -1n], /amount -1 is not a uint256/],
    ['amount 2^256', [valid, 2n ** 256n], /is not a uint256/],
    ['amount as a number', [valid, 5 as unknown as bigint], /amount 5 is not a uint256/],
    ['amount as a string', [valid, '5' as unknown as bigint], /is not a uint256/],
    ['address of 19 bytes', [`0x${'ab'.repeat(19)}`, 1n], /is not a 20-byte/],
    ['address of 21 bytes', [`0x${'ab'.repeat(21)}`, 1n], /is not a 20-byte/],
    ['address of 32 bytes (abi word)', [`0x${'00'.repeat(12)}${'ab'.repeat(20)}`, 1n], /is not a 20-byte/],
    ['non-hex address', [`0x${'zz'.repeat(20)}`, 1n], /is not a 20-byte/],
    ['address with one non-hex digit', [`0x${'a'.repeat(39)}g`, 1n], /is not a 20-byte/],
    ['address without 0x', ['ab'.repeat(20), 1n], /is not a 20-byte/],
    ['empty address', ['', 1n], /is not a 20-byte/],
    ['address not a string', [42 as unknown as string, 1n], /is not a 20-byte/],
  ];
  for (const [name, leaf, error] of invalid) {
    test(`rejects ${name}`, () => {
      const leaves: EpochLeaf[] = [[valid, 1n], leaf];
      assert.throws(() => buildEpochTree(leaves), error);
      assert.throws(() => buildEpochTree(leaves), /leaf 1/);
    });
  }
});

describe('computeEpochTree', () => {
  const A = '0x000000000000000000000000000000000000000a';
  const B = '0x000000000000000000000000000000000000000b';
  const C = '0x000000000000000000000000000000000000000c';

  test('an epoch where nobody earned has the zero root and total 0', () => {
    assert.deepEqual(computeEpochTree([]), { root: EMPTY_EPOCH_ROOT, total: 0n, accounts: 0 });
    assert.deepEqual(computeEpochTree([{ account: A, amount: 0n }]), {
      root: EMPTY_EPOCH_ROOT,
      total: 0n,
      accounts: 0,
    });
  });

  test("sums an account's rows, drops zero amounts, has the library's root", () => {
    const rows = [
      { account: A, amount: 3n },
      { account: B, amount: 0n },
      { account: A, amount: 4n },
      { account: C, amount: 10n ** 18n },
    ];
    assert.deepEqual(epochLeaves(rows), [
      [A, 7n],
      [C, 10n ** 18n],
    ]);
    const root = StandardMerkleTree.of(
      [
        [A, 7n],
        [C, 10n ** 18n],
      ],
      EPOCH_LEAF_ENCODING,
    ).root;
    assert.deepEqual(computeEpochTree(rows), { root, total: 7n + 10n ** 18n, accounts: 2 });
    // The order of the rows does not change the root.
    assert.equal(computeEpochTree([...rows].reverse()).root, root);
  });

  test('has the root of buildEpochTree on random epochs', () => {
    for (const seed of [1, 2, 3]) {
      const leaves = randomLeaves(50, seed).filter(([, amount]) => amount > 0n);
      const rows = leaves.map(([account, amount]) => ({ account, amount }));
      const summary = computeEpochTree(rows);
      assert.equal(summary.root, StandardMerkleTree.of(epochLeaves(rows), EPOCH_LEAF_ENCODING).root);
      assert.equal(summary.accounts, epochLeaves(rows).length);
    }
  });
});
