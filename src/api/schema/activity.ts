// Event-level lists an explorer pages through: reviews, slashes, validators, reward claims, credit
// purchases, Datanet creation fees and the indexer's anomalies. Each is ordered by chain position.
import type { ObjectRef } from '@pothos/core';
import { builder, type ApiSchemaTypes } from '../builder';
import type { ApiContext } from '../context';
import { childPageQuery, findChildPage } from '../childPages';
import { badUserInput } from '../errors';
import { findPage, Where, type KeyColumn, type PageArgs } from '../pagination';
import { parseAddress, parseBlock, parseDecimal } from '../validate';
import { pageArgs } from './common';
import { defineOrder } from './order';
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

/** Table `credit_purchase`. */
interface CreditPurchaseRow {
  id: string;
  user: string;
  amountPaid: string;
  creditAmount: string;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

/** Table `datanet_creation_fee`. */
interface CreationFeeRow {
  id: string;
  transactionId: string;
  user: string;
  amount: string;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

/** Table `anomaly`. */
interface AnomalyRow {
  id: string;
  kind: string;
  reason: string;
  contract: string | null;
  blockNumber: number;
  txHash: string | null;
  logIndex: number | null;
  timestamp: Date;
}

/**
 * Chain position ids (block(10)-logIndex(6), zero padded) sort in chain order. They are compared in
 * the database's collation, not COLLATE "C", so the primary key and (column, id) indexes serve the
 * order: fixed-width digit strings with the dash at a fixed place sort the same in every collation.
 */
function positionKey<Row extends { id: string }>(alias: string): KeyColumn<Row> {
  return { expr: `${alias}.id`, type: 'text', of: (r) => r.id };
}

/** A chain-ordered list type: connection, `{field: CHAIN, direction}` order, and its page query. */
function chainList<Row extends { id: string }>(
  ref: ObjectRef<PothosSchemaTypes.ExtendDefaultTypes<ApiSchemaTypes>, Row>,
  list: string,
  description: string,
  table: string,
) {
  const alias = 't';
  const name = ref.name;
  const connection = builder.connectionObject(
    { type: ref, name: `${name}Connection`, description: `A page of ${list}.` },
    { name: `${name}Edge`, description: `${description} and its cursor.` },
  );
  const order = defineOrder<Row, 'CHAIN'>(
    name,
    list,
    { CHAIN: { description: 'Chain position (block, log index).', keys: [positionKey<Row>(alias)] } },
    { field: 'CHAIN', direction: 'ASC' },
  );
  const find = (
    ctx: ApiContext,
    where: Where,
    args: PageArgs & { orderBy?: { field: 'CHAIN'; direction?: 'ASC' | 'DESC' | null } | null },
  ) =>
    findPage<Row>(
      ctx.db,
      { select: `${alias}.*`, from: `${table} ${alias}`, where, keyset: order.keysetOf(args.orderBy) },
      args,
    );
  /** One page below a parent row (batched across parents, see findChildPage). */
  const findChild = (
    ctx: ApiContext,
    parent: (key: string) => string,
    parentKey: string,
    args: PageArgs & { orderBy?: { field: 'CHAIN'; direction?: 'ASC' | 'DESC' | null } | null },
  ) =>
    findChildPage<Row>(
      ctx,
      {
        select: `${alias}.*`,
        from: `${table} ${alias}`,
        where: new Where(),
        keyset: order.keysetOf(args.orderBy),
        parent,
      },
      parentKey,
      args,
    );
  return { connection, order, find, findChild };
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

const CreditPurchaseRef = builder.objectRef<CreditPurchaseRow>('CreditPurchase');
CreditPurchaseRef.implement({
  description: 'CreditManager.CreditPurchased: inference credits bought.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6), zero padded.' }),
    user: t.exposeString('user', { description: 'Buyer (lowercase).' }),
    amountPaid: t.expose('amountPaid', { type: 'BigInt', description: 'OPEN paid (wei).' }),
    creditAmount: t.expose('creditAmount', { type: 'BigInt', description: 'Credits received.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the event.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of the event.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of the event.' }),
  }),
});
const creditPurchases = chainList<CreditPurchaseRow>(
  CreditPurchaseRef,
  'credit purchases',
  'A purchase',
  'credit_purchase',
);

const CreationFeeRef = builder.objectRef<CreationFeeRow>('DatanetCreationFee');
CreationFeeRef.implement({
  description: 'DatanetFactory.TransactionInitiated: a Datanet creation fee paid.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6), zero padded.' }),
    transactionId: t.exposeString('transactionId', { description: 'The factory transaction id.' }),
    user: t.exposeString('user', { description: 'Payer (lowercase).' }),
    amount: t.expose('amount', { type: 'BigInt', description: 'Fee paid (wei).' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the event.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of the event.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of the event.' }),
  }),
});
const creationFees = chainList<CreationFeeRow>(
  CreationFeeRef,
  'Datanet creation fees',
  'A fee',
  'datanet_creation_fee',
);

const AnomalyRef = builder.objectRef<AnomalyRow>('Anomaly');
AnomalyRef.implement({
  description: 'Chain data that broke an expectation, recorded instead of crashing (kind, reason, location).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Position-based id (block, log index, sequence).' }),
    kind: t.exposeString('kind', {
      description: 'Machine-readable kind, e.g. UNKNOWN_CONTRIBUTION, CLAIM_AMOUNT_MISMATCH.',
    }),
    reason: t.exposeString('reason', { description: 'What was wrong, in words.' }),
    contract: t.exposeString('contract', { nullable: true, description: 'Emitting contract, when a log.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block.' }),
    txHash: t.exposeString('txHash', { nullable: true, description: 'Transaction, when known.' }),
    logIndex: t.exposeInt('logIndex', { nullable: true, description: 'Log index, when a log.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of the block.' }),
  }),
});
const anomalies = chainList<AnomalyRow>(AnomalyRef, 'anomalies', 'An anomaly', 'anomaly');

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
const UserWhere = builder.inputType('UserWhere', {
  description: 'Filter by the paying user.',
  fields: (t) => ({ user: t.string({ required: false, description: 'Only this user (any case).' }) }),
});
const AnomalyWhere = builder.inputType('AnomalyWhere', {
  description: 'Filters of the `anomalies` list (all given ones must hold).',
  fields: (t) => ({
    kind: t.string({ required: false, description: 'Only this kind (e.g. UNKNOWN_CONTRIBUTION).' }),
    fromBlock: t.int({ required: false, description: 'Only at or after this block.' }),
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
  creditPurchases: t.field({
    type: creditPurchases.connection,
    description: 'CreditManager.CreditPurchased events in chain order.',
    args: {
      ...pageArgs,
      where: t.arg({ type: UserWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: creditPurchases.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.user != null) where.and(`t."user" = ${where.param(parseAddress('where.user', args.where.user))}`);
      return creditPurchases.find(ctx, where, args);
    },
  }),
  datanetCreationFees: t.field({
    type: creationFees.connection,
    description: 'DatanetFactory.TransactionInitiated events in chain order.',
    args: {
      ...pageArgs,
      where: t.arg({ type: UserWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: creationFees.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.user != null) where.and(`t."user" = ${where.param(parseAddress('where.user', args.where.user))}`);
      return creationFees.find(ctx, where, args);
    },
  }),
  anomalies: t.field({
    type: anomalies.connection,
    description: 'What the indexer recorded instead of crashing, in chain order.',
    args: {
      ...pageArgs,
      where: t.arg({ type: AnomalyWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: anomalies.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.kind != null) {
        if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(args.where.kind)) {
          throw badUserInput(
            'where.kind',
            `must be an anomaly kind such as UNKNOWN_CONTRIBUTION, got "${args.where.kind.slice(0, 80)}".`,
          );
        }
        where.and(`t.kind = ${where.param(args.where.kind)}`);
      }
      const from = parseBlock('where.fromBlock', args.where?.fromBlock);
      if (from != null) where.and(`t.block_number >= ${where.param(from)}`);
      return anomalies.find(ctx, where, args);
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
