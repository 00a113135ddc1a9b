/**
 * Time travel on the ground truth JSON: what an account had been paid and had claimed by the end of
 * a block, and its reputation score then. Naive code over the truth's per-block history (never
 * imports src/domain, src/store or src/api). Rules (README "Time travel"):
 * - an epoch counts as closed as of block N when its EpochClosed is at or before N;
 * - per epoch: claimable = max(0, accrued - claimed) once closed, else 0; pending = accrued while
 *   open, else 0; the totals add these up over epochs.
 */
import type { GroundTruth, PayoutRoleName } from '../types';

/** One epoch of an account as of a block. */
export interface TruthEpochAsOf {
  asContributor: string;
  asDatanetOwner: string;
  asModelOwner: string;
  total: string;
  claimed: string;
  closed: boolean;
  claimable: string;
  pending: string;
}

/** An account's payout totals as of a block, and its epochs (those with a payment or claim by then). */
export interface TruthPayoutsAsOf {
  earnedAsContributor: string;
  earnedAsDatanetOwner: string;
  earnedAsModelOwner: string;
  earnedTotal: string;
  claimed: string;
  claimable: string;
  pending: string;
  epochs: Record<string, TruthEpochAsOf>;
}

const ROLES: PayoutRoleName[] = ['CONTRIBUTOR', 'DATANET_OWNER', 'MODEL_OWNER'];

/** The account's payouts as of the end of `block` (throws when the truth has no payout history). */
export function payoutsAsOf(truth: GroundTruth, account: string, block: number): TruthPayoutsAsOf {
  if (truth.payoutHistory === undefined) throw new Error('ground truth: this scenario keeps no payout history');
  const perEpoch = new Map<string, Record<PayoutRoleName | 'claimed', bigint>>();
  for (const p of truth.payoutHistory[account] ?? []) {
    if (p.block > block) continue;
    let e = perEpoch.get(p.epoch);
    if (e === undefined)
      perEpoch.set(p.epoch, (e = { CONTRIBUTOR: 0n, DATANET_OWNER: 0n, MODEL_OWNER: 0n, claimed: 0n }));
    for (const role of ROLES) e[role] += BigInt(p[role] ?? '0');
    e.claimed += BigInt(p.claimed ?? '0');
  }
  const sums = { CONTRIBUTOR: 0n, DATANET_OWNER: 0n, MODEL_OWNER: 0n, claimed: 0n, claimable: 0n, pending: 0n };
  const epochs: Record<string, TruthEpochAsOf> = {};
  for (const [no, e] of [...perEpoch].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1))) {
    const closedAt = truth.epochs[no]?.closedAtBlock ?? null;
    const closed = closedAt !== null && closedAt <= block;
    const total = e.CONTRIBUTOR + e.DATANET_OWNER + e.MODEL_OWNER;
    const left = total - e.claimed;
    const claimable = closed && left > 0n ? left : 0n;
    const pending = closed ? 0n : total;
    for (const role of ROLES) sums[role] += e[role];
    sums.claimed += e.claimed;
    sums.claimable += claimable;
    sums.pending += pending;
    epochs[no] = {
      asContributor: e.CONTRIBUTOR.toString(),
      asDatanetOwner: e.DATANET_OWNER.toString(),
      asModelOwner: e.MODEL_OWNER.toString(),
      total: total.toString(),
      claimed: e.claimed.toString(),
      closed,
      claimable: claimable.toString(),
      pending: pending.toString(),
    };
  }
  return {
    earnedAsContributor: sums.CONTRIBUTOR.toString(),
    earnedAsDatanetOwner: sums.DATANET_OWNER.toString(),
    earnedAsModelOwner: sums.MODEL_OWNER.toString(),
    earnedTotal: (sums.CONTRIBUTOR + sums.DATANET_OWNER + sums.MODEL_OWNER).toString(),
    claimed: sums.claimed.toString(),
    claimable: sums.claimable.toString(),
    pending: sums.pending.toString(),
    epochs,
  };
}

/** The account's reputation score at the end of `block` (null before its first reputation input). */
export function reputationScoreAsOf(truth: GroundTruth, account: string, block: number): number | null {
  let score: number | null = null;
  for (const h of truth.reputation[account]?.history ?? []) if (h.block <= block) score = h.score;
  return score;
}
