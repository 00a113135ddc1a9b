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

export interface EpochState {
  inferences: number;
  fees: bigint;
  accruedToAccounts: bigint;
  protocolAmount: bigint;
  accruals: Map<string, bigint>;
  closed: boolean;
  postedRoot: string | null;
  postedTotal: bigint | null;
  expected: EpochTree | null;
  claims: Map<string, bigint>;
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
