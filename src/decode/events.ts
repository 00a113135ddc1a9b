/** Typed events of every configured contract (PROTOCOL.md sections 1-7). Amounts are bigint, addresses lowercase. */

/** Where an event sits in the chain. */
export interface EventLocation {
  blockNumber: number;
  /** Block time, ms since epoch. */
  timestamp: number;
  txHash: string;
  logIndex: number;
  /** Emitting contract (lowercase). */
  address: string;
}

interface E<K extends string, P> {
  kind: K;
  loc: EventLocation;
  args: P;
}

export type DatanetCreated = E<
  'DatanetCreated',
  { datanetId: bigint; owner: string; name: string; metadataURI: string }
>;
export type DatanetStatusChanged = E<'DatanetStatusChanged', { datanetId: bigint; status: number }>;
export type ValidatorSet = E<'ValidatorSet', { datanetId: bigint; validator: string; enabled: boolean }>;
export type ContributionSubmitted = E<
  'ContributionSubmitted',
  { contributionId: bigint; datanetId: bigint; contributor: string; dataHash: string; sizeBytes: bigint; uri: string }
>;
export type ContributionReviewed = E<
  'ContributionReviewed',
  { contributionId: bigint; validator: string; accepted: boolean; qualityBps: number }
>;
export type ContributorSlashed = E<
  'ContributorSlashed',
  { datanetId: bigint; contributor: string; amount: bigint; reason: string }
>;
export type ModelRegistered = E<
  'ModelRegistered',
  { modelId: bigint; owner: string; name: string; datanetIds: readonly bigint[] }
>;
export type AdapterPublished = E<
  'AdapterPublished',
  { modelId: bigint; version: number; weightsHash: string; uri: string }
>;
export type FeeSplitSet = E<
  'FeeSplitSet',
  { protocolBps: number; modelOwnerBps: number; datanetOwnerBps: number; contributorsBps: number }
>;
export type InferenceSettled = E<
  'InferenceSettled',
  { inferenceId: string; modelId: bigint; payer: string; fee: bigint; epoch: bigint }
>;
export type AttributionRecorded = E<
  'AttributionRecorded',
  { inferenceId: string; contributionIds: readonly bigint[]; weightsPpm: readonly number[] }
>;
export type EpochClosed = E<'EpochClosed', { epoch: bigint; merkleRoot: string; totalAmount: bigint }>;
export type RewardClaimed = E<'RewardClaimed', { epoch: bigint; account: string; amount: bigint }>;

type BridgeArgs = { l1Token: string; l2Token: string; from: string; to: string; amount: bigint; extraData: string };
type GenericBridgeArgs = {
  localToken: string;
  remoteToken: string;
  from: string;
  to: string;
  amount: bigint;
  extraData: string;
};
type EthBridgeArgs = { from: string; to: string; amount: bigint; extraData: string };
export type DepositFinalized = E<'DepositFinalized', BridgeArgs>;
export type WithdrawalInitiated = E<'WithdrawalInitiated', BridgeArgs>;
export type ERC20BridgeInitiated = E<'ERC20BridgeInitiated', GenericBridgeArgs>;
export type ERC20BridgeFinalized = E<'ERC20BridgeFinalized', GenericBridgeArgs>;
export type ETHBridgeInitiated = E<'ETHBridgeInitiated', EthBridgeArgs>;
export type ETHBridgeFinalized = E<'ETHBridgeFinalized', EthBridgeArgs>;
export type MessagePassed = E<
  'MessagePassed',
  {
    nonce: bigint;
    sender: string;
    target: string;
    value: bigint;
    gasLimit: bigint;
    data: string;
    withdrawalHash: string;
  }
>;
export type SentMessage = E<
  'SentMessage',
  { target: string; sender: string; message: string; messageNonce: bigint; gasLimit: bigint }
>;
export type SentMessageExtension1 = E<'SentMessageExtension1', { sender: string; value: bigint }>;
export type RelayedMessage = E<'RelayedMessage', { msgHash: string }>;
export type FailedRelayedMessage = E<'FailedRelayedMessage', { msgHash: string }>;
export type CreditPurchased = E<'CreditPurchased', { user: string; amountPaid: bigint; creditAmount: bigint }>;
export type TransactionInitiated = E<'TransactionInitiated', { transactionId: string; user: string; amount: bigint }>;

/** Every event the indexer reads from a log. */
export type ChainEvent =
  | DatanetCreated
  | DatanetStatusChanged
  | ValidatorSet
  | ContributionSubmitted
  | ContributionReviewed
  | ContributorSlashed
  | ModelRegistered
  | AdapterPublished
  | FeeSplitSet
  | InferenceSettled
  | AttributionRecorded
  | EpochClosed
  | RewardClaimed
  | DepositFinalized
  | WithdrawalInitiated
  | ERC20BridgeInitiated
  | ERC20BridgeFinalized
  | ETHBridgeInitiated
  | ETHBridgeFinalized
  | MessagePassed
  | SentMessage
  | SentMessageExtension1
  | RelayedMessage
  | FailedRelayedMessage
  | CreditPurchased
  | TransactionInitiated;

export type ChainEventKind = ChainEvent['kind'];

/** The bridge events (grouped per transaction into transfers before they reach the domain state). */
export const BRIDGE_EVENT_KINDS = new Set<ChainEventKind>([
  'DepositFinalized',
  'WithdrawalInitiated',
  'ERC20BridgeInitiated',
  'ERC20BridgeFinalized',
  'ETHBridgeInitiated',
  'ETHBridgeFinalized',
  'MessagePassed',
  'SentMessage',
  'SentMessageExtension1',
  'RelayedMessage',
  'FailedRelayedMessage',
]);

/** Compile-time exhaustiveness check for `switch (event.kind)`. */
export function never(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
