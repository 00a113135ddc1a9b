/**
 * Reputation v1 (PROTOCOL.md section 5), written naively and independently of src/domain.
 * Every division is an integer division except inside impactBps, which is computed exactly
 * (see impactBps).
 */

/** What the score is computed from (all of one address, over all Datanets). */
export interface ReputationInputs {
  /** Contributions whose current status is ACCEPTED / REJECTED. */
  accepted: number;
  rejected: number;
  /** Contributions that duplicate an earlier one (any status). */
  duplicates: number;
  /** ContributorSlashed events. */
  slashes: number;
  /** CONTRIBUTOR-role accruals, wei. */
  earned: bigint;
  /** Sum of qualityBps over the currently ACCEPTED contributions. */
  acceptedQualitySum: number;
}

export interface ReputationComponents {
  acceptanceBps: number;
  qualityBps: number;
  impactBps: number;
  /** 0..1000. */
  score: number;
}

const WEI_PER_OPEN = 10n ** 18n;
/** impactBps per decade of (1 + earned in OPEN). */
const IMPACT_PER_DECADE = 2500;
const IMPACT_CAP = 10_000;
/**
 * Smallest `earned` that saturates: log10(1 + earned/1e18) >= 4 <=> earned >= 9,999 OPEN
 * (so 10,000 OPEN, and 10,000 OPEN - 1 wei, saturate too).
 */
export const IMPACT_SATURATION = (10n ** 4n - 1n) * WEI_PER_OPEN;
/**
 * How close to an integer the floating-point estimate of 2500*log10(x) may come before the exact
 * comparison decides. The estimate's own error is about 1e-12 (a few ulps of a number below
 * 10,000), so this margin is very generous and the exact path stays rare.
 */
const FLOAT_MARGIN = 1e-6;

/**
 * floor(2500*log10(x)) >= k, where x = y/1e18, exactly. Raising both sides to the 2500th power:
 * 10^(k/2500) <= y/1e18  <=>  10^k * 1e18^2500 <= y^2500  <=>  10^(k + 45000) <= y^2500.
 */
function impactReaches(y2500: bigint, k: number): boolean {
  // About 2 ms for the largest powers (55,000 digits); only the rare exact path pays it.
  return 10n ** BigInt(k + 18 * IMPACT_PER_DECADE) <= y2500;
}

const powerOfY = (earned: bigint): bigint => (WEI_PER_OPEN + earned) ** BigInt(IMPACT_PER_DECADE);

/**
 * impactBps = min(10000, floor(2500 * log10(1 + earned/1e18))), exactly.
 * A float estimate decides when it is clearly away from an integer; otherwise (e.g. at
 * 999 OPEN, where log1p(999)/ln(10) comes out as 2.9999999999999996, or one wei either side of
 * any k's threshold, which a double cannot tell apart) the bigint comparison of impactReaches
 * decides between the two integers around the estimate.
 */
export function impactBps(earned: bigint): number {
  if (earned < 0n) throw new RangeError(`impactBps: negative earned ${earned}`);
  if (earned >= IMPACT_SATURATION) return IMPACT_CAP;
  const estimate = (IMPACT_PER_DECADE * Math.log1p(Number(earned) / 1e18)) / Math.LN10;
  const k = Math.floor(estimate);
  if (estimate - k > FLOAT_MARGIN && k + 1 - estimate > FLOAT_MARGIN) return k;
  // Near the integer n: the answer is n when reached, n - 1 otherwise (never n + 1 or n - 2).
  const n = Math.round(estimate);
  return n > 0 && !impactReaches(powerOfY(earned), n) ? n - 1 : n;
}

/** The same value by bigints only (a binary search over k): slow, for tests. */
export function impactBpsReference(earned: bigint): number {
  if (earned < 0n) throw new RangeError(`impactBpsReference: negative earned ${earned}`);
  const y2500 = powerOfY(earned);
  // Invariant: impactReaches(lo), !impactReaches(hi); impactReaches(0) holds since y >= 1e18.
  let lo = 0;
  let hi = IMPACT_CAP + 1;
  if (impactReaches(y2500, IMPACT_CAP)) return IMPACT_CAP;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (impactReaches(y2500, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The components and score of PROTOCOL.md section 5. */
export function computeReputation(i: ReputationInputs): ReputationComponents {
  const acceptanceBps = Math.floor((10_000 * (i.accepted + 1)) / (i.accepted + i.rejected + i.duplicates + 2));
  const qualityBps = i.accepted > 0 ? Math.floor(i.acceptedQualitySum / i.accepted) : 0;
  const impact = impactBps(i.earned);
  const base = Math.floor((4 * acceptanceBps + 3 * qualityBps + 3 * impact) / 10);
  // 2^slashes overflows to Infinity past 1023 slashes: the score is then 0, as it should be.
  const score = Math.floor(base / (10 * 2 ** i.slashes));
  return { acceptanceBps, qualityBps, impactBps: impact, score };
}
