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

export interface TruthAccount {
  contributions: number;
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
  /** account -> total accrued in the epoch (positive only). */
  accounts: Record<string, Wei>;
  claims: number;
  claimed: Wei;
}

export interface TruthBridgeToken {
  deposited: Wei;
  depositCount: number;
  withdrawn: Wei;
  withdrawalCount: number;
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
  bridge: {
    /** account -> token (l2 address, 0x000…000 for native OPEN) -> totals. */
    accounts: Record<string, Record<string, TruthBridgeToken>>;
    /** Withdrawal hashes of all OUT transfers (native and ERC20), computed independently. */
    withdrawalHashes: string[];
  };
}
