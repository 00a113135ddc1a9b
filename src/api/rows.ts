/**
 * Row shapes the API reads, as `camelRow` maps them: numeric (BigInt) columns are decimal
 * strings, timestamptz columns are Dates, FK columns keep their `...Id` name. Column names are
 * those of the Init migration in `migrations/`.
 */

export type ContributionStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED';
export type DatanetStatus = 'ACTIVE' | 'PAUSED' | 'CLOSED';
export type PayoutRole = 'CONTRIBUTOR' | 'DATANET_OWNER' | 'MODEL_OWNER';
export type BridgeDirection = 'IN' | 'OUT';
export type BridgeAsset = 'NATIVE' | 'ERC20';

/** Table `datanet`. */
export interface DatanetRow {
  id: string;
  datanetId: string;
  owner: string;
  name: string;
  metadataUri: string;
  status: DatanetStatus;
  validatorCount: number;
  contributionCount: number;
  pendingCount: number;
  acceptedCount: number;
  rejectedCount: number;
  duplicateCount: number;
  totalSizeBytes: string;
  acceptedSizeBytes: string;
  slashCount: number;
  slashedAmount: string;
  attributionCount: number;
  ownerEarned: string;
  contributorsEarned: string;
  earnedTotal: string;
  createdAtBlock: number;
  createdAt: Date;
  createdTxHash: string;
}

/** Table `contribution`. */
export interface ContributionRow {
  id: string;
  contributionId: string;
  datanetId: string;
  contributorId: string;
  dataHash: string;
  sizeBytes: string;
  uri: string;
  status: ContributionStatus;
  qualityBps: number | null;
  reviewCount: number;
  lastReviewer: string | null;
  lastReviewedAtBlock: number | null;
  duplicateOfId: string | null;
  isDuplicate: boolean;
  submittedAtBlock: number;
  submittedAt: Date;
  txHash: string;
  logIndex: number;
}

/** Table `account`. */
export interface AccountRow {
  id: string;
  contributionCount: number;
  pendingCount: number;
  acceptedCount: number;
  rejectedCount: number;
  duplicateCount: number;
  acceptedQualitySum: string;
  slashCount: number;
  slashedAmount: string;
  eligibleAttributionCount: number;
  earnedAsContributor: string;
  earnedAsDatanetOwner: string;
  earnedAsModelOwner: string;
  earnedTotal: string;
  claimedTotal: string;
  inferencesPaid: number;
  feesPaid: string;
  firstSeenBlock: number;
  lastActivityBlock: number;
  reputationScore: number | null;
  acceptanceBps: number | null;
  qualityBps: number | null;
  impactBps: number | null;
  reputationUpdatedAtBlock: number | null;
}

/** Table `model`. */
export interface ModelRow {
  id: string;
  modelId: string;
  owner: string;
  name: string;
  datanetIds: string[];
  adapterCount: number;
  latestAdapterVersion: number | null;
  inferenceCount: number;
  totalFees: string;
  ownerEarned: string;
  contributorsEarned: string;
  datanetOwnersEarned: string;
  protocolEarned: string;
  createdAtBlock: number;
  createdAt: Date;
  createdTxHash: string;
}

/** Table `adapter`. */
export interface AdapterRow {
  id: string;
  modelId: string;
  version: number;
  weightsHash: string;
  uri: string;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
}

/** Table `inference`. */
export interface InferenceRow {
  id: string;
  /** FK to `model`, null when the settled modelId is not a registered model. */
  modelId: string | null;
  /** The modelId as settled. */
  rawModelId: string;
  payer: string;
  fee: string;
  epoch: string;
  protocolBps: number;
  modelOwnerBps: number;
  datanetOwnerBps: number;
  contributorsBps: number;
  modelOwner: string | null;
  modelOwnerAmount: string;
  datanetOwnersAmount: string;
  contributorsAmount: string;
  protocolAmount: string;
  hasAttribution: boolean;
  attributionCount: number;
  eligibleCount: number;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

/** Table `attribution`. */
export interface AttributionRow {
  id: string;
  inferenceId: string;
  position: number;
  /** FK to `contribution`, null when the attributed contribution is unknown. */
  contributionId: string | null;
  /** The contributionId as attributed. */
  rawContributionId: string;
  weightPpm: number;
  statusAtAttribution: ContributionStatus | null;
  eligible: boolean;
  contributor: string | null;
  datanetId: string | null;
  amount: string;
  epoch: string;
  blockNumber: number;
}

/** Table `payout`. */
export interface PayoutRow {
  id: string;
  inferenceId: string;
  account: string;
  role: PayoutRole;
  datanetId: string | null;
  weightPpm: number | null;
  amount: string;
  epoch: string;
  blockNumber: number;
}

/** Table `bridge_transfer`. */
export interface BridgeTransferRow {
  id: string;
  direction: BridgeDirection;
  asset: BridgeAsset;
  from: string;
  to: string;
  l2Token: string;
  l1Token: string;
  amount: string;
  withdrawalHash: string | null;
  messageNonce: string | null;
  sourceHash: string | null;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number | null;
}

/** Table `bridge_account_token`. */
export interface BridgeAccountTokenRow {
  id: string;
  account: string;
  token: string;
  depositedAmount: string;
  depositCount: number;
  withdrawnAmount: string;
  withdrawalCount: number;
}

/** Table `fee_split`. */
export interface FeeSplitRow {
  id: string;
  protocolBps: number;
  modelOwnerBps: number;
  datanetOwnerBps: number;
  contributorsBps: number;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
}

/** Table `protocol_state` (single row 'global'). */
export interface ProtocolStateRow {
  id: string;
  currentFeeSplitId: string | null;
  datanetCount: number;
  contributionCount: number;
  modelCount: number;
  inferenceCount: number;
  attributedInferenceCount: number;
  totalFees: string;
  totalToContributors: string;
  totalToDatanetOwners: string;
  totalToModelOwners: string;
  totalToProtocol: string;
  totalClaimed: string;
  anomalyCount: number;
  reviewAcceptedCount: number;
  reviewRejectedCount: number;
  bridgeDepositCount: number;
  bridgeWithdrawalCount: number;
}

/** Table `stats_bucket`: metrics a scope does not keep are null. */
export interface StatsBucketRow {
  id: string;
  interval: 'HOUR' | 'DAY';
  scope: 'GLOBAL' | 'DATANET' | 'MODEL' | 'TOKEN';
  scopeKey: string;
  start: Date;
  inferences: number | null;
  fees: string | null;
  toContributors: string | null;
  toDatanetOwners: string | null;
  toModelOwners: string | null;
  toProtocol: string | null;
  contributions: number | null;
  reviewsAccepted: number | null;
  reviewsRejected: number | null;
  bridgeDepositCount: number | null;
  bridgeWithdrawalCount: number | null;
  bridgeDepositedAmount: string | null;
  bridgeWithdrawnAmount: string | null;
}

/** Table `bridge_token_total`. */
export interface BridgeTokenTotalRow {
  id: string;
  depositCount: number;
  depositedAmount: string;
  withdrawalCount: number;
  withdrawnAmount: string;
}

/** Table `epoch`. */
export interface EpochRow {
  id: string;
  epoch: string;
  inferenceCount: number;
  totalFees: string;
  accruedToAccounts: string;
  protocolAmount: string;
  closed: boolean;
  postedRoot: string | null;
  postedTotal: string | null;
  recomputedRoot: string | null;
  recomputedTotal: string | null;
  reconciled: boolean | null;
  closedAtBlock: number | null;
  earningAccounts: number;
  claimedTotal: string;
  claimCount: number;
}

/**
 * Table `account_epoch` joined with its epoch's state (see `ACCOUNT_EPOCH_SELECT`): `claimable` and
 * `pending` are computed in SQL from `total`, `claimed` and whether the epoch is closed.
 */
export interface AccountEpochRow {
  id: string;
  epoch: string;
  account: string;
  asContributor: string;
  asDatanetOwner: string;
  asModelOwner: string;
  total: string;
  claimed: string;
  claimCount: number;
  lastClaimAtBlock: number | null;
  firstAccruedAtBlock: number;
  /** Null on a row that only records a claim, and on rows computed as of a block. */
  lastAccruedAtBlock?: number | null;
  epochClosed: boolean;
  claimable: string;
  pending: string;
}

/** Table `datanet_epoch`. */
export interface DatanetEpochRow {
  id: string;
  datanetId: string;
  epoch: string;
  eligibleAttributionCount: number;
  contributorsEarned: string;
  ownerEarned: string;
}

/** Table `datanet_account`. */
export interface DatanetAccountRow {
  id: string;
  datanetId: string;
  account: string;
  earned: string;
  paidAttributionCount: number;
}

/** Table `model_epoch`. */
export interface ModelEpochRow {
  id: string;
  modelId: string;
  epoch: string;
  inferenceCount: number;
  fees: string;
  ownerEarned: string;
  contributorsEarned: string;
  datanetOwnersEarned: string;
  protocolEarned: string;
}

/** Table `reputation_change`. */
export interface ReputationChangeRow {
  id: string;
  account: string;
  blockNumber: number;
  timestamp: Date;
  score: number;
  acceptanceBps: number;
  qualityBps: number;
  impactBps: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  slashes: number;
  acceptedQualitySum: string;
  earned: string;
}

/** A contributor's current reputation, from its `account` row (only when it has one). */
export interface ReputationRow {
  account: string;
  score: number;
  acceptanceBps: number;
  qualityBps: number;
  impactBps: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  slashes: number;
  acceptedQualitySum: string;
  earned: string;
  updatedAtBlock: number;
  /** Null for the current reputation; else the block it is as of (its history is cut there). */
  asOfBlock: number | null;
}

/** An account's claim totals over its `account_epoch` rows (numeric sums as decimal strings). */
export interface PayoutTotalsRow {
  account: string;
  claimed: string;
  claimable: string;
  pending: string;
}

/** An account's payout totals as of the end of a block (numeric sums as decimal strings). */
export interface PayoutTotalsAsOfRow {
  account: string;
  asOfBlock: number;
  earnedAsContributor: string;
  earnedAsDatanetOwner: string;
  earnedAsModelOwner: string;
  earnedTotal: string;
  claimed: string;
  claimable: string;
  pending: string;
}

/** Table `indexer_status` (single row 'head'). */
export interface IndexerStatusRow {
  id: string;
  height: number;
  hash: string;
  timestamp: Date;
  eventCount: string;
}

/** A contribution's attributions, aggregated from the attribution table. */
export interface ContributionStatsRow {
  contributionId: string;
  attributionCount: number;
  eligibleAttributionCount: number;
  earned: string;
}
