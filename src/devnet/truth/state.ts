/** The ground-truth model's state records (plain data, structuredClone-able). */
import type { EpochTree } from './merkle';
import type { ContributionStatus, PayoutRole } from './rewards';

export type DatanetStatusCode = 0 | 1 | 2;

export interface DatanetState {
  id: bigint;
  owner: string;
  status: DatanetStatusCode;
  validators: Set<string>;
  slashes: number;
  slashedAmount: bigint;
  ownerEarned: bigint;
  contributorsEarned: bigint;
  /** contributor -> CONTRIBUTOR payments for its contributions to this Datanet. */
  contributorEarnings: Map<string, bigint>;
}

export interface ContributionState {
  id: bigint;
  datanetId: bigint;
  contributor: string;
  dataHash: string;
  sizeBytes: bigint;
  status: ContributionStatus;
  qualityBps: number | null;
  reviews: number;
  duplicateOf: bigint | null;
  earned: bigint;
}

export interface ModelState {
  id: bigint;
  owner: string;
  datanetIds: bigint[];
  adapters: number;
  inferences: number;
  fees: bigint;
  ownerEarned: bigint;
  contributorsEarned: bigint;
  datanetOwnersEarned: bigint;
  protocolEarned: bigint;
}

export interface InferenceState {
  modelId: bigint;
  payer: string;
  fee: bigint;
  epoch: bigint;
  attributions: number;
  eligible: number;
  modelOwnerAmount: bigint;
  datanetOwnersAmount: bigint;
  contributorsAmount: bigint;
  protocolAmount: bigint;
}

/** A model's figures restricted to the inferences of one epoch. */
export interface EpochModelState {
  inferences: number;
  fees: bigint;
  ownerEarned: bigint;
  contributorsEarned: bigint;
  datanetOwnersEarned: bigint;
  protocolEarned: bigint;
}

export interface EpochState {
  inferences: number;
  fees: bigint;
  accruedToAccounts: bigint;
  protocolAmount: bigint;
  /** account -> accrued in the epoch, all roles (zero-amount payments leave a 0 entry). */
  accruals: Map<string, bigint>;
  /** account -> role -> accrued in the epoch in that role. */
  roles: Map<string, Record<PayoutRole, bigint>>;
  /** datanetId -> CONTRIBUTOR payments for its contributions and DATANET_OWNER payments for it. */
  datanets: Map<bigint, { contributorsEarned: bigint; ownerEarned: bigint }>;
  /** modelId -> its figures over the epoch's inferences. */
  models: Map<bigint, EpochModelState>;
  closed: boolean;
  postedRoot: string | null;
  postedTotal: bigint | null;
  expected: EpochTree | null;
  claims: Map<string, bigint>;
  /** The simulator transaction that closed the epoch (its block is resolved in the snapshot). */
  closedTx: number | null;
}

/**
 * One payment or claim of an account, tagged with its simulator transaction (blocks are resolved in
 * the snapshot): the history behind the as-of-block payout checks.
 */
export interface LedgerEntry {
  tx: number;
  epoch: bigint;
  kind: PayoutRole | 'CLAIM';
  amount: bigint;
}

/**
 * The reputation inputs of one address, kept up to date input by input (PROTOCOL.md section 5),
 * with the score after each input change so the history can be built per block.
 */
export interface ReputationState {
  accepted: number;
  rejected: number;
  duplicates: number;
  slashes: number;
  earned: bigint;
  acceptedQualitySum: number;
  /**
   * Oldest first: the score after the first input, then after every input change that moved it,
   * tagged with the simulator's transaction sequence number (TruthModel.beginTx); several points
   * of one transaction collapse into its last one. Blocks are resolved in the snapshot.
   */
  points: { tx: number; score: number }[];
}

export interface AccountEarnings {
  slashes: number;
  slashedAmount: bigint;
  earned: Record<PayoutRole, bigint>;
  claimed: bigint;
}

export interface BridgeTotals {
  deposited: bigint;
  depositCount: number;
  withdrawn: bigint;
  withdrawalCount: number;
}

export interface SettlementInput {
  inferenceId: string;
  modelId: bigint;
  payer: string;
  fee: bigint;
  contributionIds: readonly bigint[];
  weightsPpm: readonly number[];
}
