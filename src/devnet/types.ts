/**
 * Shapes shared by the devnet (deployer, simulator) and its consumers (npm start, tests, bench).
 * Amounts in files are decimal strings of wei; addresses are lowercase 0x hex.
 */

/** Every contract the indexer may read, by name. */
export const CONTRACT_NAMES = [
  'DatanetRegistry',
  'ModelRegistry',
  'AttributionEngine',
  'RewardVault',
  'L2StandardBridge',
  'L2ToL1MessagePasser',
  'L2CrossDomainMessenger',
  'CreditManager',
  'DatanetFactory',
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

/** What `--out FILE` holds. */
export interface Deployment {
  chainId: number;
  /** First block holding a contract deployment (the indexer starts here). */
  startBlock: number;
  contracts: Record<ContractName, string>;
  /** Bridged ERC20s on L2: symbol -> { l2, l1 } addresses. */
  tokens: Record<string, { l2: string; l1: string }>;
  /** Hardhat's funded accounts used by the simulator, by role (informational). */
  accounts?: Record<string, string[]>;
}

export type Wei = string;

/** The roles a payment accrues in (PROTOCOL.md section 3). */
export type PayoutRoleName = 'CONTRIBUTOR' | 'DATANET_OWNER' | 'MODEL_OWNER';

export interface TruthAccount {
  contributions: number;
  /** Contributions still PENDING (a count, not an amount: see `pendingRewards`). */
  pending: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Sum of qualityBps over currently ACCEPTED contributions. */
  acceptedQualitySum: number;
  slashes: number;
  slashedAmount: Wei;
  earnedAsContributor: Wei;
  earnedAsDatanetOwner: Wei;
  earnedAsModelOwner: Wei;
  earnedTotal: Wei;
  claimed: Wei;
  /** Accrued in closed epochs (all of them, the wrongly rooted one included) minus claimed (PROTOCOL.md section 4). */
  claimable: Wei;
  /**
   * Accrued in open epochs ("pending" of PROTOCOL.md section 4). Named `pendingRewards` because
   * `pending` already holds the number of PENDING contributions.
   */
  pendingRewards: Wei;
}

/** Reputation v1 of one address (PROTOCOL.md section 5). */
export interface TruthReputation {
  /** Its contributions whose current status is ACCEPTED. */
  accepted: number;
  /** Its contributions whose current status is REJECTED. */
  rejected: number;
  /** Its contributions that duplicate an earlier one (any status). */
  duplicates: number;
  /** Its ContributorSlashed events. */
  slashes: number;
  /** Its CONTRIBUTOR-role accruals, all epochs. */
  earned: Wei;
  acceptedQualitySum: number;
  acceptanceBps: number;
  qualityBps: number;
  impactBps: number;
  /** 0..1000. */
  score: number;
  /**
   * Score changes, oldest first, at most one per block (the score at the end of that block).
   * The first entry is the first block in which the address had any reputation input
   * (submitted a contribution, was slashed); later entries only where the end-of-block score
   * differs from the previous entry's score.
   */
  history: { block: number; score: number }[];
}

export interface TruthDatanet {
  owner: string;
  status: 'ACTIVE' | 'PAUSED' | 'CLOSED';
  /** Validators currently enabled. */
  validatorCount: number;
  contributions: number;
  pending: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  totalSizeBytes: string;
  acceptedSizeBytes: string;
  slashes: number;
  slashedAmount: Wei;
  ownerEarned: Wei;
  contributorsEarned: Wei;
  /** ownerEarned + contributorsEarned: the fees paid for this Datanet's data. */
  earnedTotal: Wei;
  /** contributor -> CONTRIBUTOR payments for its contributions to this Datanet (positive only). */
  contributorEarnings: Record<string, Wei>;
}

export interface TruthModel {
  owner: string;
  datanetIds: string[];
  adapters: number;
  inferences: number;
  fees: Wei;
  ownerEarned: Wei;
  contributorsEarned: Wei;
  datanetOwnersEarned: Wei;
  protocolEarned: Wei;
}

export interface TruthContribution {
  datanetId: string;
  contributor: string;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  qualityBps: number | null;
  reviews: number;
  /** contributionId of the earlier contribution with the same (datanetId, dataHash), or null. */
  duplicateOf: string | null;
  earned: Wei;
}

export interface TruthInference {
  modelId: string;
  payer: string;
  fee: Wei;
  epoch: string;
  attributions: number;
  eligible: number;
  modelOwnerAmount: Wei;
  datanetOwnersAmount: Wei;
  contributorsAmount: Wei;
  protocolAmount: Wei;
}

export interface TruthEpoch {
  inferences: number;
  fees: Wei;
  /** Sum of all payments to accounts in the epoch (all roles). */
  accruedToAccounts: Wei;
  protocolAmount: Wei;
  closed: boolean;
  /** Root and total as posted in EpochClosed (null while open). */
  postedRoot: string | null;
  postedTotal: Wei | null;
  /** Root and total recomputed from the simulator's own accruals (null while open). */
  expectedRoot: string | null;
  expectedTotal: Wei | null;
  /** Block of its EpochClosed (null while open). */
  closedAtBlock: number | null;
  /** account -> total accrued in the epoch (positive only). */
  accounts: Record<string, Wei>;
  claims: number;
  claimed: Wei;
  /** Accounts with a positive accrual in the epoch (the leaves of its tree). */
  earningAccounts: number;
  /** account -> role -> accrued in the epoch in that role (positive amounts only). */
  roles: Record<string, Partial<Record<PayoutRoleName, Wei>>>;
  /** account -> amount it claimed for the epoch. */
  claimedBy: Record<string, Wei>;
  /** datanetId -> its payments in the epoch (only Datanets with a positive amount). */
  datanets: Record<string, TruthEpochDatanet>;
  /** modelId -> its figures restricted to the epoch's inferences (models with an inference in the epoch). */
  models: Record<string, TruthEpochModel>;
}

/**
 * What one account was paid and claimed in one block for one epoch (positive amounts only; roles
 * absent when nothing was paid in them). Entries are ordered by block, then epoch.
 */
export interface TruthPayoutPoint {
  block: number;
  epoch: string;
  CONTRIBUTOR?: Wei;
  DATANET_OWNER?: Wei;
  MODEL_OWNER?: Wei;
  claimed?: Wei;
}

/** A Datanet's payments in one epoch (same meanings as TruthDatanet's). */
export interface TruthEpochDatanet {
  contributorsEarned: Wei;
  ownerEarned: Wei;
}

/** A model's figures in one epoch (same meanings as TruthModel's, restricted to the epoch's inferences). */
export interface TruthEpochModel {
  inferences: number;
  fees: Wei;
  ownerEarned: Wei;
  contributorsEarned: Wei;
  datanetOwnersEarned: Wei;
  protocolEarned: Wei;
}

export interface TruthBridgeToken {
  deposited: Wei;
  depositCount: number;
  withdrawn: Wei;
  withdrawalCount: number;
}

/** Bridge volume of one token in one stats bucket, or all-time (amounts in the token's base unit). */
export interface TruthBridgeVolume {
  depositCount: number;
  depositedAmount: Wei;
  withdrawalCount: number;
  withdrawnAmount: Wei;
}

/**
 * One stats bucket of one series, with the figures that series reports (src/devnet/truth/stats.ts
 * lists them per series; the indexer serves null for the others).
 */
export interface TruthStatsBucket {
  inferences?: number;
  fees?: Wei;
  toContributors?: Wei;
  toDatanetOwners?: Wei;
  toModelOwners?: Wei;
  toProtocol?: Wei;
  contributions?: number;
  reviewsAccepted?: number;
  reviewsRejected?: number;
  bridgeDepositCount?: number;
  bridgeWithdrawalCount?: number;
  /** global only: token (L2 address) -> volume, for the tokens that moved in the bucket. */
  bridge?: Record<string, TruthBridgeVolume>;
}

/** The simulator's independently computed expectation of what the indexer must report. */
export interface GroundTruth {
  chainId: number;
  scenario: string;
  seed: number;
  /** Last block the simulator produced (the state below is as of this block). */
  headBlock: number;
  totals: {
    datanets: number;
    contributions: number;
    models: number;
    inferences: number;
    attributedInferences: number;
    fees: Wei;
    toContributors: Wei;
    toDatanetOwners: Wei;
    toModelOwners: Wei;
    toProtocol: Wei;
    claims: number;
    claimed: Wei;
    creditPurchases: number;
    creditPaid: Wei;
    datanetCreationFees: number;
    datanetCreationFeeTotal: Wei;
    bridgeDeposits: number;
    bridgeWithdrawals: number;
    /** ContributionReviewed events by outcome (re-reviews included). */
    reviewsAccepted: number;
    reviewsRejected: number;
    /** token (L2 address, 0x000…000 for native OPEN) -> all-time volume over every account. */
    bridgeTokens: Record<string, TruthBridgeVolume>;
    /** Total number of logs emitted by the configured contracts. */
    events: number;
  };
  /** Anomalies the indexer must record, by kind (e.g. UNKNOWN_CONTRIBUTION). */
  anomalies: Record<string, number>;
  accounts: Record<string, TruthAccount>;
  datanets: Record<string, TruthDatanet>;
  models: Record<string, TruthModel>;
  contributions: Record<string, TruthContribution>;
  /** inferenceId (0x hex) -> expectation. */
  inferences: Record<string, TruthInference>;
  epochs: Record<string, TruthEpoch>;
  /** lowercase address -> reputation, for every address that ever submitted a contribution or was slashed. */
  reputation: Record<string, TruthReputation>;
  /**
   * Stats buckets by interval, series ("global", "datanet:<id>", "model:<id>") and ISO start of the
   * UTC hour or day; buckets in which nothing happened to a series are absent (all zeros).
   */
  stats: Record<'HOUR' | 'DAY', Record<string, Record<string, TruthStatsBucket>>>;
  /**
   * account -> every block in which it was paid or claimed (see TruthPayoutPoint): what "as of block
   * N" payout totals follow from. Absent when the scenario does not keep the ledger (large).
   */
  payoutHistory?: Record<string, TruthPayoutPoint[]>;
  bridge: {
    /** account -> token (l2 address, 0x000…000 for native OPEN) -> totals. */
    accounts: Record<string, Record<string, TruthBridgeToken>>;
    /** Withdrawal hashes of all OUT transfers (native and ERC20), computed independently. */
    withdrawalHashes: string[];
  };
}
