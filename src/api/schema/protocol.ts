import { builder } from '../builder';
import type { ApiContext } from '../context';
import { loadFeeSplits } from '../loaders';
import { findPage, Where, type Keyset } from '../pagination';
import type { EpochRow, ProtocolStateRow } from '../rows';
import { parseDecimal } from '../validate';
import { pageArgs } from './common';
import { BridgeTokenVolumeRef, EpochRef, FeeSplitRef, ProtocolRef } from './refs';
import { loadBridgeTokenTotals } from './stats';

FeeSplitRef.implement({
  description: 'A fee split (FeeSplitSet); the four shares sum to 10,000 bps.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6) of the FeeSplitSet log.' }),
    protocolBps: t.exposeInt('protocolBps', { description: 'Protocol share (bps).' }),
    modelOwnerBps: t.exposeInt('modelOwnerBps', { description: 'Model owner share (bps).' }),
    datanetOwnerBps: t.exposeInt('datanetOwnerBps', { description: 'Datanet owners share (bps).' }),
    contributorsBps: t.exposeInt('contributorsBps', { description: 'Contributors share (bps).' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of FeeSplitSet.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of FeeSplitSet.' }),
  }),
});

ProtocolRef.implement({
  description: 'Protocol-wide totals.',
  fields: (t) => ({
    currentFeeSplit: t.loadable({
      type: FeeSplitRef,
      nullable: true,
      description: 'The split in force (null before the first FeeSplitSet: everything goes to the protocol).',
      load: (ids: string[], ctx: ApiContext) => loadFeeSplits(ctx.db, ids),
      resolve: (p) => p.currentFeeSplitId,
    }),
    datanetCount: t.exposeInt('datanetCount', { description: 'Datanets created.' }),
    contributionCount: t.exposeInt('contributionCount', { description: 'Contributions submitted.' }),
    modelCount: t.exposeInt('modelCount', { description: 'Models registered.' }),
    inferenceCount: t.exposeInt('inferenceCount', { description: 'Inferences settled.' }),
    attributedInferenceCount: t.exposeInt('attributedInferenceCount', {
      description: 'Inferences with an AttributionRecorded.',
    }),
    totalFees: t.expose('totalFees', { type: 'BigInt', description: 'Sum of inference fees (wei).' }),
    totalToContributors: t.expose('totalToContributors', {
      type: 'BigInt',
      description: 'Paid to contributors (wei).',
    }),
    totalToDatanetOwners: t.expose('totalToDatanetOwners', {
      type: 'BigInt',
      description: 'Paid to Datanet owners (wei).',
    }),
    totalToModelOwners: t.expose('totalToModelOwners', { type: 'BigInt', description: 'Paid to model owners (wei).' }),
    totalToProtocol: t.expose('totalToProtocol', { type: 'BigInt', description: 'Kept by the protocol (wei).' }),
    totalClaimed: t.expose('totalClaimed', { type: 'BigInt', description: 'Claimed from the reward vault (wei).' }),
    anomalyCount: t.exposeInt('anomalyCount', {
      description: 'Chain data that broke an expectation and was recorded as an anomaly.',
    }),
    reviewAcceptedCount: t.exposeInt('reviewAcceptedCount', {
      description: 'Reviews that accepted a contribution (every ContributionReviewed counts, re-reviews too).',
    }),
    reviewRejectedCount: t.exposeInt('reviewRejectedCount', { description: 'Reviews that rejected a contribution.' }),
    bridgeDepositCount: t.exposeInt('bridgeDepositCount', { description: 'Bridge deposits (L1 to L2), every asset.' }),
    bridgeWithdrawalCount: t.exposeInt('bridgeWithdrawalCount', {
      description: 'Bridge withdrawals (L2 to L1), every asset.',
    }),
    bridgeTokens: t.field({
      type: [BridgeTokenVolumeRef],
      description:
        'All-time deposits and withdrawals per bridged token, by token address (amounts of different tokens are never added up).',
      resolve: (_, __, ctx) => loadBridgeTokenTotals(ctx),
    }),
  }),
});

EpochRef.implement({
  description: 'A reward epoch: what accrued in it and, once closed, the posted Merkle root and claims.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The epoch number as a decimal string.' }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'The epoch number.' }),
    inferenceCount: t.exposeInt('inferenceCount', { description: 'Inferences settled into it.' }),
    totalFees: t.expose('totalFees', { type: 'BigInt', description: 'Their fees (wei).' }),
    accruedToAccounts: t.expose('accruedToAccounts', {
      type: 'BigInt',
      description: 'Sum of all payments to accounts, all roles (wei).',
    }),
    protocolAmount: t.expose('protocolAmount', { type: 'BigInt', description: 'Kept by the protocol (wei).' }),
    closed: t.exposeBoolean('closed', { description: 'True after EpochClosed.' }),
    postedRoot: t.exposeString('postedRoot', { nullable: true, description: 'Merkle root posted by EpochClosed.' }),
    postedTotal: t.expose('postedTotal', {
      type: 'BigInt',
      nullable: true,
      description: 'totalAmount posted by EpochClosed (wei).',
    }),
    recomputedRoot: t.exposeString('recomputedRoot', {
      nullable: true,
      description:
        'Merkle root the indexer recomputed from the accruals when the epoch closed (StandardMerkleTree, leaves [address, uint256]); null while open.',
    }),
    recomputedTotal: t.expose('recomputedTotal', {
      type: 'BigInt',
      nullable: true,
      description: 'Sum of the recomputed leaves (wei); null while open.',
    }),
    reconciled: t.exposeBoolean('reconciled', {
      nullable: true,
      description: 'True when the posted root and total equal the recomputed ones; null while open.',
    }),
    totalDifference: t.field({
      type: 'BigInt',
      nullable: true,
      description: 'postedTotal - recomputedTotal (wei, may be negative); null while open.',
      resolve: (e) =>
        e.closed && e.postedTotal != null && e.recomputedTotal != null
          ? BigInt(e.postedTotal) - BigInt(e.recomputedTotal)
          : null,
    }),
    closedAtBlock: t.exposeInt('closedAtBlock', { nullable: true, description: 'Block of EpochClosed.' }),
    earningAccounts: t.exposeInt('earningAccounts', {
      description: 'Accounts with a positive accrual in the epoch (the leaves of its Merkle tree).',
    }),
    claimedTotal: t.expose('claimedTotal', { type: 'BigInt', description: 'Claimed so far (wei).' }),
    claimCount: t.exposeInt('claimCount', { description: 'RewardClaimed events.' }),
  }),
});

const EpochConnection = builder.connectionObject(
  { type: EpochRef, name: 'EpochConnection', description: 'A page of epochs.' },
  { name: 'EpochEdge', description: 'An epoch and its cursor.' },
);

const EPOCH_KEYSET: Keyset<EpochRow> = {
  name: 'epoch:number',
  direction: 'ASC',
  keys: [{ expr: 'e.epoch', type: 'numeric', of: (e) => e.epoch }],
};

const EpochWhere = builder.inputType('EpochWhere', {
  description: 'Filters of the `epochs` list.',
  fields: (t) => ({
    closed: t.boolean({ required: false, description: 'Only closed (true) or open (false) epochs.' }),
  }),
});

builder.queryFields((t) => ({
  protocol: t.field({
    type: ProtocolRef,
    nullable: true,
    description: 'Protocol-wide totals (null before anything was indexed).',
    resolve: (_, __, ctx) => ctx.db.one<ProtocolStateRow>("SELECT * FROM protocol_state WHERE id = 'global'"),
  }),
  epoch: t.field({
    type: EpochRef,
    nullable: true,
    description: 'One epoch by number; null when nothing settled into it yet.',
    args: { number: t.arg.id({ required: true, description: 'The epoch number, decimal.' }) },
    resolve: (_, args, ctx) =>
      ctx.db.one<EpochRow>('SELECT * FROM epoch WHERE id = $1', [parseDecimal('number', String(args.number))]),
  }),
  epochs: t.field({
    type: EpochConnection,
    description: 'Epochs by number.',
    args: { ...pageArgs, where: t.arg({ type: EpochWhere, required: false, description: 'Filters.' }) },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.closed != null) where.and(`e.closed = ${where.param(args.where.closed)}`);
      return findPage(ctx.db, { select: 'e.*', from: 'epoch e', where, keyset: EPOCH_KEYSET }, args);
    },
  }),
}));
