import { builder } from '../builder';
import type {
  AccountRow,
  AdapterRow,
  AttributionRow,
  BridgeAccountTokenRow,
  BridgeTransferRow,
  ContributionRow,
  DatanetRow,
  EpochRow,
  FeeSplitRow,
  InferenceRow,
  ModelRow,
  PayoutRow,
  ProtocolStateRow,
} from '../rows';

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
