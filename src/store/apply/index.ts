import { never, type ChainEvent } from '../../decode/events';
import type { BatchState } from '../state';
import { applyAttributionRecorded, applyFeeSplitSet, applyInferenceSettled } from './attribution';
import {
  applyContributionReviewed,
  applyContributionSubmitted,
  applyContributorSlashed,
  applyDatanetCreated,
  applyDatanetStatusChanged,
  applyValidatorSet,
} from './datanets';
import { applyCreditPurchased, applyTransactionInitiated } from './mainnet';
import { applyAdapterPublished, applyModelRegistered } from './models';
import { applyEpochClosed, applyRewardClaimed } from './rewards';

/** Folds one non-bridge event into the batch state (bridge events are grouped per transaction elsewhere). */
export function applyEvent(s: BatchState, e: ChainEvent): void {
  switch (e.kind) {
    case 'DatanetCreated':
      return applyDatanetCreated(s, e);
    case 'DatanetStatusChanged':
      return applyDatanetStatusChanged(s, e);
    case 'ValidatorSet':
      return applyValidatorSet(s, e);
    case 'ContributionSubmitted':
      return applyContributionSubmitted(s, e);
    case 'ContributionReviewed':
      return applyContributionReviewed(s, e);
    case 'ContributorSlashed':
      return applyContributorSlashed(s, e);
    case 'ModelRegistered':
      return applyModelRegistered(s, e);
    case 'AdapterPublished':
      return applyAdapterPublished(s, e);
    case 'FeeSplitSet':
      return applyFeeSplitSet(s, e);
    case 'InferenceSettled':
      return applyInferenceSettled(s, e);
    case 'AttributionRecorded':
      return applyAttributionRecorded(s, e);
    case 'EpochClosed':
      return applyEpochClosed(s, e);
    case 'RewardClaimed':
      return applyRewardClaimed(s, e);
    case 'CreditPurchased':
      return applyCreditPurchased(s, e);
    case 'TransactionInitiated':
      return applyTransactionInitiated(s, e);
    case 'DepositFinalized':
    case 'WithdrawalInitiated':
    case 'ERC20BridgeInitiated':
    case 'ERC20BridgeFinalized':
    case 'ETHBridgeInitiated':
    case 'ETHBridgeFinalized':
    case 'MessagePassed':
    case 'SentMessage':
    case 'SentMessageExtension1':
    case 'RelayedMessage':
    case 'FailedRelayedMessage':
      return;
    default:
      return never(e);
  }
}
