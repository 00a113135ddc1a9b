/**
 * Reputation v1 (PROTOCOL.md section 5): a contributor's score 0..1000 from its review outcomes,
 * duplicates, slashes and CONTRIBUTOR-role earnings. Pure and exact: every division is an integer
 * division except inside impactBps, whose logarithm is resolved exactly with bigints at the edges.
 */

/** The inputs, as kept on the account row. */
export interface ReputationInputs {
  accepted: number;
  rejected: number;
  duplicates: number;
  slashes: number;
  /** Sum of qualityBps over currently ACCEPTED contributions. */
  acceptedQualitySum: bigint;
  /** CONTRIBUTOR-role earnings, wei. */
  earned: bigint;
}

/** The components and the score. */
export interface Reputation {
  acceptanceBps: number;
  qualityBps: number;
  impactBps: number;
  score: number;
}

const WEI = 10n ** 18n;
/** 2500 * log10(1 + earned/1e18) reaches 10,000 at earned = 9,999 OPEN. */
const IMPACT_SATURATION = 9_999n * WEI;
/** (1e18)^2500 = 10^45000: the scale of x^2500 when x = (1e18 + earned) is in wei. */
const SCALE_EXPONENT = 45_000;
/** A float estimate this close to an integer is checked exactly. */
const EDGE = 1e-9;

/** 10^n as a bigint, cached (n ≤ 55,000 here). */
const pow10Cache = new Map<number, bigint>();
function pow10(n: number): bigint {
  let v = pow10Cache.get(n);
  if (v === undefined) {
    v = 10n ** BigInt(n);
    pow10Cache.set(n, v);
  }
  return v;
}

/** True when 2500*log10(x / 1e18) >= k, i.e. x^2500 >= 10^(k + 45000), exactly. */
function impactAtLeast(x: bigint, k: number): boolean {
  return x ** 2500n >= pow10(k + SCALE_EXPONENT);
}

/**
 * impactBps = min(10000, floor(2500 * log10(1 + earned/1e18))). The float estimate is exact except
 * within rounding distance of an integer (e.g. earned = 9 OPEN gives exactly 2500); there the
 * candidate is confirmed or corrected by comparing x^2500 with a power of ten.
 */
export function impactBps(earned: bigint): number {
  if (earned <= 0n) return 0;
  if (earned >= IMPACT_SATURATION) return 10_000;
  const x = WEI + earned;
  // log10(x) - 18 without losing the fraction: split x into a JS number mantissa and a digit count.
  const digits = x.toString();
  const mantissa = Number(`0.${digits.slice(0, 17)}`);
  const estimate = 2500 * (digits.length - 18 + Math.log10(mantissa));
  let k = Math.floor(estimate);
  const frac = estimate - k;
  if (frac < EDGE || frac > 1 - EDGE) {
    const candidate = Math.round(estimate);
    // impact >= 0 always holds (x >= 1e18): only a positive candidate needs the exact check.
    k = candidate <= 0 || impactAtLeast(x, candidate) ? candidate : candidate - 1;
  }
  return Math.max(0, Math.min(10_000, k));
}

/** The components and score of reputation v1. */
export function computeReputation(i: ReputationInputs): Reputation {
  const acceptanceBps = Math.floor((10_000 * (i.accepted + 1)) / (i.accepted + i.rejected + i.duplicates + 2));
  const qualityBps = i.accepted > 0 ? Number(i.acceptedQualitySum / BigInt(i.accepted)) : 0;
  const impact = impactBps(i.earned);
  const base = Math.floor((4 * acceptanceBps + 3 * qualityBps + 3 * impact) / 10);
  // score = base / (10 * 2^slashes); 2^slashes as a bigint so any slash count stays exact (→ 0).
  const score = Number(BigInt(base) / (10n * 2n ** BigInt(i.slashes)));
  return { acceptanceBps, qualityBps, impactBps: impact, score };
}
