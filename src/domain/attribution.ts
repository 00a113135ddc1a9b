/** Proof of Attribution payout rule (PROTOCOL.md section 3). Pure: plain data in, plain data out. */

export const BPS = 10_000n;
export const PPM = 1_000_000n;

/** A fee split in basis points (sums to 10,000). */
export interface FeeSplitBps {
  protocolBps: number;
  modelOwnerBps: number;
  datanetOwnerBps: number;
  contributorsBps: number;
}

/** With no FeeSplitSet yet, the whole fee goes to the protocol. */
export const ALL_TO_PROTOCOL: FeeSplitBps = {
  protocolBps: 10_000,
  modelOwnerBps: 0,
  datanetOwnerBps: 0,
  contributorsBps: 0,
};

/** The four shares of a fee: P, M, D, C = F*bps/10000 (integer division). */
export interface FeeShares {
  protocol: bigint;
  modelOwner: bigint;
  datanetOwners: bigint;
  contributors: bigint;
}

/** Computes P, M, D and C for a fee under a split (null split = all to the protocol). */
export function computeFeeShares(fee: bigint, split: FeeSplitBps | null): FeeShares {
  const s = split ?? ALL_TO_PROTOCOL;
  return {
    protocol: (fee * BigInt(s.protocolBps)) / BPS,
    modelOwner: (fee * BigInt(s.modelOwnerBps)) / BPS,
    datanetOwners: (fee * BigInt(s.datanetOwnerBps)) / BPS,
    contributors: (fee * BigInt(s.contributorsBps)) / BPS,
  };
}

/** Reason a FeeSplitSet is invalid, or null. */
export function validateFeeSplit(s: FeeSplitBps): string | null {
  const sum = s.protocolBps + s.modelOwnerBps + s.datanetOwnerBps + s.contributorsBps;
  return sum === 10_000 ? null : `fee split sums to ${sum} bps, not 10000`;
}

/** Reason an AttributionRecorded payload is invalid (lengths, distinct ids, weights summing to 1e6), or null. */
export function validateAttribution(ids: readonly bigint[], weightsPpm: readonly number[]): string | null {
  if (ids.length !== weightsPpm.length) return `${ids.length} contribution ids but ${weightsPpm.length} weights`;
  if (ids.length === 0) return 'empty attribution';
  if (new Set(ids.map(String)).size !== ids.length) return 'contribution ids are not distinct';
  const sum = weightsPpm.reduce((a, w) => a + BigInt(w), 0n);
  if (sum !== PPM) return `weights sum to ${sum} ppm, not 1000000`;
  return null;
}

export type ContributionStatusName = 'PENDING' | 'ACCEPTED' | 'REJECTED';

/** What the rule needs to know of an attributed contribution at the position of the log (null: unknown id). */
export interface AttributedContribution {
  status: ContributionStatusName;
  contributor: string;
  datanetId: string;
}

/** One attribution item's outcome. */
export interface AttributionItemOutcome {
  eligible: boolean;
  /** C*w/1e6 for eligible items, else 0. */
  amount: bigint;
}

/** What one Datanet's owner is paid for an inference. */
export interface DatanetOwnerShare {
  datanetId: string;
  owner: string;
  /** Sum of eligible weights of the Datanet's contributions (ppm). */
  weightPpm: number;
  amount: bigint;
}

/** The whole outcome of an attribution. */
export interface AttributionOutcome {
  items: AttributionItemOutcome[];
  datanetShares: DatanetOwnerShare[];
  contributorsTotal: bigint;
  datanetOwnersTotal: bigint;
  eligibleCount: number;
}

/**
 * Applies rules 2-4 of the reward rule: eligible = known and ACCEPTED; each eligible item pays C*w/1e6
 * to its contributor; each Datanet's owner gets D*Wn/1e6. Datanet shares are ordered by first appearance.
 */
export function computeAttributionPayouts(params: {
  shares: FeeShares;
  items: readonly { weightPpm: number; contribution: AttributedContribution | null }[];
  datanetOwner: (datanetId: string) => string | undefined;
}): AttributionOutcome {
  const { shares, items, datanetOwner } = params;
  const weightByDatanet = new Map<string, bigint>();
  let contributorsTotal = 0n;
  let eligibleCount = 0;
  const outcomes = items.map(({ weightPpm, contribution }) => {
    if (!contribution || contribution.status !== 'ACCEPTED') return { eligible: false, amount: 0n };
    const w = BigInt(weightPpm);
    const amount = (shares.contributors * w) / PPM;
    contributorsTotal += amount;
    eligibleCount++;
    weightByDatanet.set(contribution.datanetId, (weightByDatanet.get(contribution.datanetId) ?? 0n) + w);
    return { eligible: true, amount };
  });
  const datanetShares: DatanetOwnerShare[] = [];
  let datanetOwnersTotal = 0n;
  for (const [datanetId, w] of weightByDatanet) {
    const owner = datanetOwner(datanetId);
    if (owner === undefined) continue;
    const amount = (shares.datanetOwners * w) / PPM;
    datanetOwnersTotal += amount;
    datanetShares.push({ datanetId, owner, weightPpm: Number(w), amount });
  }
  return { items: outcomes, datanetShares, contributorsTotal, datanetOwnersTotal, eligibleCount };
}
