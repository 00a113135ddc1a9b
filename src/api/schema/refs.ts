import { builder } from '../builder';
import type {
  AccountEpochRow,
  AccountRow,
  AdapterRow,
  AttributionRow,
  BridgeAccountTokenRow,
  BridgeTransferRow,
  ContributionRow,
  DatanetEpochRow,
  DatanetRow,
  EpochRow,
  FeeSplitRow,
  InferenceRow,
  ModelEpochRow,
  ModelRow,
  PayoutRow,
  ProtocolStateRow,
  ReputationChangeRow,
  ReputationRow,
} from '../rows';

/** Bridge volume of one token (all-time totals, or one stats bucket). */
export interface BridgeTokenVolume {
  token: string;
  depositCount: number;
  depositedAmount: string;
  withdrawalCount: number;
  withdrawnAmount: string;
}

// Object refs only (implemented in the domain files), so type files can point at each other
// without importing each other.

/** GraphQL `Datanet`. */
export const DatanetRef = builder.objectRef<DatanetRow>('Datanet');
/** GraphQL `Contribution`. */
export const ContributionRef = builder.objectRef<ContributionRow>('Contribution');
/** GraphQL `Contributor` (an `account` row). */
export const ContributorRef = builder.objectRef<AccountRow>('Contributor');
/** GraphQL `Model`. */
export const ModelRef = builder.objectRef<ModelRow>('Model');
/** GraphQL `Adapter`. */
export const AdapterRef = builder.objectRef<AdapterRow>('Adapter');
/** GraphQL `Inference`. */
export const InferenceRef = builder.objectRef<InferenceRow>('Inference');
/** GraphQL `Attribution`. */
export const AttributionRef = builder.objectRef<AttributionRow>('Attribution');
/** GraphQL `Payout`. */
export const PayoutRef = builder.objectRef<PayoutRow>('Payout');
/** GraphQL `BridgeTransfer`. */
export const BridgeTransferRef = builder.objectRef<BridgeTransferRow>('BridgeTransfer');
/** GraphQL `BridgeTokenTotals`. */
export const BridgeTokenTotalsRef = builder.objectRef<BridgeAccountTokenRow>('BridgeTokenTotals');
/** GraphQL `FeeSplit`. */
export const FeeSplitRef = builder.objectRef<FeeSplitRow>('FeeSplit');
/** GraphQL `Protocol`. */
export const ProtocolRef = builder.objectRef<ProtocolStateRow>('Protocol');
/** GraphQL `Epoch`. */
export const EpochRef = builder.objectRef<EpochRow>('Epoch');
/** GraphQL `EpochPayout` (an `account_epoch` row with its epoch's state). */
export const EpochPayoutRef = builder.objectRef<AccountEpochRow>('EpochPayout');
/** GraphQL `DatanetEpoch`. */
export const DatanetEpochRef = builder.objectRef<DatanetEpochRow>('DatanetEpoch');
/** GraphQL `ModelEpoch`. */
export const ModelEpochRef = builder.objectRef<ModelEpochRow>('ModelEpoch');
/** GraphQL `Reputation` (from an `account` row). */
export const ReputationRef = builder.objectRef<ReputationRow>('Reputation');
/** GraphQL `ReputationChange`. */
export const ReputationChangeRef = builder.objectRef<ReputationChangeRow>('ReputationChange');
/** GraphQL `BridgeTokenVolume`. */
export const BridgeTokenVolumeRef = builder.objectRef<BridgeTokenVolume>('BridgeTokenVolume');
