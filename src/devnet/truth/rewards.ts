/**
 * The reward rule of PROTOCOL.md section 3, written naively and independently of src/domain.
 * Integer (bigint) division everywhere; the protocol keeps whatever is not paid out.
 */

export type ContributionStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED';
export type PayoutRole = 'CONTRIBUTOR' | 'DATANET_OWNER' | 'MODEL_OWNER';

/** A fee split in basis points (sums to 10,000). */
export interface FeeSplit {
  protocolBps: number;
  modelOwnerBps: number;
  datanetOwnerBps: number;
  contributorsBps: number;
}

/** What the rule needs to know about a contribution at the moment of the settlement. */
export interface ContributionView {
  status: ContributionStatus;
  contributor: string;
  datanetId: bigint;
}

export interface InferenceInput {
  fee: bigint;
  /** The split in force, or null when no FeeSplitSet happened yet (all to the protocol). */
  split: FeeSplit | null;
  modelOwner: string;
  contributionIds: readonly bigint[];
  weightsPpm: readonly number[];
  /** Looks a contribution up as of the settlement; undefined when never submitted. */
  contribution(id: bigint): ContributionView | undefined;
  /** Owner of a Datanet as of the settlement. */
  datanetOwner(datanetId: bigint): string;
}

export interface Payment {
  account: string;
  role: PayoutRole;
  amount: bigint;
  /** CONTRIBUTOR: the paid contribution; DATANET_OWNER: undefined. */
  contributionId?: bigint;
  /** CONTRIBUTOR and DATANET_OWNER: the Datanet. */
  datanetId?: bigint;
}

export interface InferencePayout {
  payments: Payment[];
  modelOwnerAmount: bigint;
  datanetOwnersAmount: bigint;
  contributorsAmount: bigint;
  protocolAmount: bigint;
  /** Attribution items whose contribution was ACCEPTED (counted even when no split pays them). */
  eligible: number;
  /** Attribution items whose contribution was never submitted (UNKNOWN_CONTRIBUTION anomalies). */
  unknown: number;
}

const BPS = 10_000n;
const PPM = 1_000_000n;

/** Computes every payment of one inference by the reward rule (PROTOCOL.md section 3). */
export function computeInferencePayout(input: InferenceInput): InferencePayout {
  const { fee, split } = input;
  let unknown = 0;
  let accepted = 0;
  for (const id of input.contributionIds) {
    const c = input.contribution(id);
    if (c === undefined) unknown++;
    else if (c.status === 'ACCEPTED') accepted++;
  }
  if (split === null) {
    // Eligibility is a matter of status only; without a split nobody is paid.
    return {
      payments: [],
      modelOwnerAmount: 0n,
      datanetOwnersAmount: 0n,
      contributorsAmount: 0n,
      protocolAmount: fee,
      eligible: accepted,
      unknown,
    };
  }
  const M = (fee * BigInt(split.modelOwnerBps)) / BPS;
  const D = (fee * BigInt(split.datanetOwnerBps)) / BPS;
  const C = (fee * BigInt(split.contributorsBps)) / BPS;

  const payments: Payment[] = [];
  let eligible = 0;
  let contributorsAmount = 0n;
  // Datanet id (decimal) -> eligible weight, in order of first appearance.
  const weightByDatanet = new Map<string, bigint>();
  input.contributionIds.forEach((id, i) => {
    const c = input.contribution(id);
    if (c === undefined || c.status !== 'ACCEPTED') return;
    eligible++;
    const w = BigInt(input.weightsPpm[i]);
    const amount = (C * w) / PPM;
    contributorsAmount += amount;
    payments.push({ account: c.contributor, role: 'CONTRIBUTOR', amount, contributionId: id, datanetId: c.datanetId });
    const key = c.datanetId.toString();
    weightByDatanet.set(key, (weightByDatanet.get(key) ?? 0n) + w);
  });
  let datanetOwnersAmount = 0n;
  for (const [key, wn] of weightByDatanet) {
    const datanetId = BigInt(key);
    const amount = (D * wn) / PPM;
    datanetOwnersAmount += amount;
    payments.push({ account: input.datanetOwner(datanetId), role: 'DATANET_OWNER', amount, datanetId });
  }
  payments.push({ account: input.modelOwner, role: 'MODEL_OWNER', amount: M });
  const protocolAmount = fee - M - datanetOwnersAmount - contributorsAmount;
  return { payments, modelOwnerAmount: M, datanetOwnersAmount, contributorsAmount, protocolAmount, eligible, unknown };
}
