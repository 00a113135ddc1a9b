/**
 * A small seeded PRNG (mulberry32) so `--seed N` reproduces the same chain content.
 * Never use Math.random in the simulator: every choice goes through a Prng.
 */

export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** Uniform bigint in [lo, hi] (inclusive). */
  bigint(lo: bigint, hi: bigint): bigint;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** k distinct elements (k <= items.length), in random order. */
  sample<T>(items: readonly T[], k: number): T[];
  /** A random 32-byte hex string. */
  bytes32(): `0x${string}`;
  /** An independent generator derived from this one and a label (stable per label). */
  fork(label: string): Prng;
}

/** Creates a mulberry32 generator from a 32-bit seed. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const u32 = (): number => Math.floor(next() * 4294967296) >>> 0;
  const prng: Prng = {
    next,
    int(lo, hi) {
      if (hi < lo) throw new Error(`prng.int: empty range [${lo}, ${hi}]`);
      return lo + Math.floor(next() * (hi - lo + 1));
    },
    bigint(lo, hi) {
      if (hi < lo) throw new Error(`prng.bigint: empty range [${lo}, ${hi}]`);
      const span = hi - lo + 1n;
      let r = 0n;
      // 64 extra bits over the span keep the modulo bias negligible.
      const words = Math.ceil(span.toString(2).length / 32) + 2;
      for (let i = 0; i < words; i++) r = (r << 32n) | BigInt(u32());
      return lo + (r % span);
    },
    chance(p) {
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new Error('prng.pick: empty array');
      return items[Math.floor(next() * items.length)];
    },
    sample(items, k) {
      if (k > items.length) throw new Error(`prng.sample: ${k} > ${items.length}`);
      const copy = items.slice();
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(next() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, k);
    },
    bytes32() {
      let hex = '0x';
      for (let i = 0; i < 8; i++) hex += u32().toString(16).padStart(8, '0');
      return hex as `0x${string}`;
    },
    fork(label) {
      let h = 2166136261 ^ state;
      for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
      return createPrng(h >>> 0);
    },
  };
  return prng;
}
