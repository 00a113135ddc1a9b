// Event-level lists an explorer pages through: reviews, slashes, validators and reward claims, each
// ordered by chain position (credit purchases, creation fees and anomalies: ./mainnet.ts).
import { builder } from '../builder';
import { childPageQuery, findChildPage } from '../childPages';
import { Where } from '../pagination';
import { parseAddress, parseDecimal } from '../validate';
import { chainList } from './chainList';
import { pageArgs } from './common';
import { ContributionRef, ContributorRef, DatanetRef } from './refs';

/** Table `contribution_review`. */
interface ReviewRow {
  id: string;
  contributionId: string;
  validator: string;
  accepted: boolean;
  qualityBps: number;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

/** Table `slash`. */
interface SlashRow {
  id: string;
  datanetId: string;
  contributorId: string;
  amount: string;
  reason: string;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

/** Table `datanet_validator`. */
interface ValidatorRow {
  id: string;
  datanetId: string;
  validator: string;
  enabled: boolean;
  updatedAtBlock: number;
}

/** Table `reward_claim`. */
interface ClaimRow {
  id: string;
  epoch: string;
  account: string;
  amount: string;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

const ReviewRef = builder.objectRef<ReviewRow>('ContributionReview');
ReviewRef.implement({
  description: 'One ContributionReviewed event: a validator accepting or rejecting a contribution.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6), zero padded.' }),
    contributionId: t.exposeID('contributionId', { description: 'The reviewed contribution.' }),
    validator: t.exposeString('validator', { description: 'Validator address (lowercase).' }),
    accepted: t.exposeBoolean('accepted', { description: 'True for ACCEPTED, false for REJECTED.' }),
    qualityBps: t.exposeInt('qualityBps', { description: 'Quality given, 0..10000.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the event.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of the event.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of the event.' }),
  }),
});
const reviews = chainList<ReviewRow>(ReviewRef, 'contribution reviews', 'A review', 'contribution_review');

const SlashRef = builder.objectRef<SlashRow>('Slash');
SlashRef.implement({
  description: 'One ContributorSlashed event.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6), zero padded.' }),
    datanetId: t.exposeID('datanetId', { description: 'The Datanet.' }),
    contributor: t.exposeString('contributorId', { description: 'The slashed contributor (lowercase).' }),
    amount: t.expose('amount', { type: 'BigInt', description: 'Amount slashed (wei).' }),
    reason: t.exposeString('reason', { description: 'Reason given on chain.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the event.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of the event.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of the event.' }),
  }),
});
const slashes = chainList<SlashRow>(SlashRef, 'slashes', 'A slash', 'slash');

const ClaimRef = builder.objectRef<ClaimRow>('RewardClaim');
ClaimRef.implement({
  description: 'One RewardClaimed event: what the vault paid an account for an epoch.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6), zero padded.' }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'The claimed epoch.' }),
    account: t.exposeString('account', { description: 'The claiming account (lowercase).' }),
    amount: t.expose('amount', { type: 'BigInt', description: 'Amount paid (wei).' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the event.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of the event.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of the event.' }),
  }),
});
const claims = chainList<ClaimRow>(ClaimRef, 'reward claims', 'A claim', 'reward_claim');

const ValidatorRef = builder.objectRef<ValidatorRow>('DatanetValidator');
ValidatorRef.implement({
  description: "A validator's enablement on a Datanet (ValidatorSet).",
  fields: (t) => ({
    validator: t.exposeString('validator', { description: 'Validator address (lowercase).' }),
    datanetId: t.exposeID('datanetId', { description: 'The Datanet.' }),
    enabled: t.exposeBoolean('enabled', { description: 'Whether it may review now.' }),
    updatedAtBlock: t.exposeInt('updatedAtBlock', { description: 'Block of its latest ValidatorSet.' }),
  }),
});
const ValidatorConnection = builder.connectionObject(
  { type: ValidatorRef, name: 'DatanetValidatorConnection', description: 'A page of validators.' },
  { name: 'DatanetValidatorEdge', description: 'A validator and its cursor.' },
);
const VALIDATOR_KEYSET = {
  name: 'validator:address',
  direction: 'ASC' as const,
  keys: [{ expr: 'v.validator COLLATE "C"', type: 'text' as const, of: (v: ValidatorRow) => v.validator }],
};

const ReviewWhere = builder.inputType('ContributionReviewWhere', {
  description: 'Filters of the `reviews` list (all given ones must hold).',
  fields: (t) => ({
    validator: t.string({ required: false, description: 'Only this validator (any case).' }),
    contributionId: t.id({ required: false, description: 'Only this contribution (decimal id).' }),
  }),
});
const SlashWhere = builder.inputType('SlashWhere', {
  description: 'Filters of the `slashes` list (all given ones must hold).',
  fields: (t) => ({
    datanetId: t.id({ required: false, description: 'Only this Datanet (decimal id).' }),
    contributor: t.string({ required: false, description: 'Only this contributor (any case).' }),
  }),
});
const ClaimWhere = builder.inputType('RewardClaimWhere', {
  description: 'Filters of the `claims` list (all given ones must hold).',
  fields: (t) => ({
    account: t.string({ required: false, description: 'Only this account (any case).' }),
    epoch: t.field({ type: 'BigInt', required: false, description: 'Only this epoch.' }),
  }),
});
builder.queryFields((t) => ({
  reviews: t.field({
    type: reviews.connection,
    description: 'Contribution reviews in chain order, filtered.',
    args: {
      ...pageArgs,
      where: t.arg({ type: ReviewWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: reviews.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.validator != null)
        where.and(`t.validator = ${where.param(parseAddress('where.validator', args.where.validator))}`);
      if (args.where?.contributionId != null)
        where.and(
          `t.contribution_id = ${where.param(parseDecimal('where.contributionId', String(args.where.contributionId)))}`,
        );
      return reviews.find(ctx, where, args);
    },
  }),
  slashes: t.field({
    type: slashes.connection,
    description: 'ContributorSlashed events in chain order, filtered.',
    args: {
      ...pageArgs,
      where: t.arg({ type: SlashWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: slashes.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.datanetId != null)
        where.and(`t.datanet_id = ${where.param(parseDecimal('where.datanetId', String(args.where.datanetId)))}`);
      if (args.where?.contributor != null)
        where.and(`t.contributor_id = ${where.param(parseAddress('where.contributor', args.where.contributor))}`);
      return slashes.find(ctx, where, args);
    },
  }),
  claims: t.field({
    type: claims.connection,
    description: 'RewardClaimed events in chain order, filtered.',
    args: {
      ...pageArgs,
      where: t.arg({ type: ClaimWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: claims.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.account != null)
        where.and(`t.account = ${where.param(parseAddress('where.account', args.where.account))}`);
      if (args.where?.epoch != null)
        where.and(`t.epoch = ${where.param(parseDecimal('where.epoch', String(args.where.epoch)))}`);
      return claims.find(ctx, where, args);
    },
  }),
}));

builder.objectFields(ContributionRef, (t) => ({
  reviews: t.field({
    type: reviews.connection,
    description: 'Its reviews in chain order (a re-review is a later row).',
    args: pageArgs,
    resolve: (c, args, ctx) => reviews.findChild(ctx, (k) => `t.contribution_id = ${k}`, c.id, args),
  }),
}));

builder.objectFields(DatanetRef, (t) => ({
  validators: t.field({
    type: ValidatorConnection,
    description: 'Its validators (enabled or not), by address.',
    args: pageArgs,
    resolve: (d, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery('v.*', 'datanet_validator v', VALIDATOR_KEYSET, (k) => `v.datanet_id = ${k}`),
        d.id,
        args,
      ),
  }),
  slashes: t.field({
    type: slashes.connection,
    description: 'Slashes on this Datanet in chain order.',
    args: pageArgs,
    resolve: (d, args, ctx) => slashes.findChild(ctx, (k) => `t.datanet_id = ${k}`, d.id, args),
  }),
}));

builder.objectFields(ContributorRef, (t) => ({
  claims: t.field({
    type: claims.connection,
    description: 'Its RewardClaimed events in chain order.',
    args: pageArgs,
    resolve: (a, args, ctx) => claims.findChild(ctx, (k) => `t.account = ${k}`, a.id, args),
  }),
  slashes: t.field({
    type: slashes.connection,
    description: 'Slashes against it in chain order.',
    args: pageArgs,
    resolve: (a, args, ctx) => slashes.findChild(ctx, (k) => `t.contributor_id = ${k}`, a.id, args),
  }),
}));
