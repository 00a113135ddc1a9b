import { builder } from '../builder';
import { childPageQuery, findChildPage } from '../childPages';
import type { ApiContext } from '../context';
import { loadContributions, loadModels } from '../loaders';
import type { Keyset } from '../pagination';
import type { AttributionRow, InferenceRow, PayoutRow } from '../rows';
import { parseHash32 } from '../validate';
import { pageArgs } from './common';
import { ContributionStatusEnum } from './contribution';
import { AttributionRef, ContributionRef, InferenceRef, ModelRef, PayoutRef } from './refs';

const PayoutRoleEnum = builder.enumType('PayoutRole', {
  description: 'The role a payment of an inference rewards.',
  values: {
    CONTRIBUTOR: { description: 'Contributor of an eligible attributed contribution (C*w/1e6).' },
    DATANET_OWNER: { description: 'Owner of a Datanet with eligible attributed contributions (D*Wn/1e6).' },
    MODEL_OWNER: { description: 'Owner of the inferred model (M).' },
  } as const,
});

AttributionRef.implement({
  description: "One (contributionId, weight) of an inference's AttributionRecorded, with its eligibility and amount.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'inferenceId-position.' }),
    position: t.exposeInt('position', { description: 'Index in the AttributionRecorded arrays.' }),
    contributionId: t.expose('rawContributionId', {
      type: 'BigInt',
      description: 'The attributed contributionId (kept when the contribution is unknown).',
    }),
    contribution: t.loadable({
      type: ContributionRef,
      nullable: true,
      description: 'The attributed contribution (null when unknown to the indexer).',
      load: (ids: string[], ctx: ApiContext) => loadContributions(ctx.db, ids),
      resolve: (a) => a.contributionId,
    }),
    weightPpm: t.exposeInt('weightPpm', { description: 'Weight in parts per million (an inference sums to 1e6).' }),
    statusAtAttribution: t.field({
      type: ContributionStatusEnum,
      nullable: true,
      description: "The contribution's status at the position of the log (null when the contribution is unknown).",
      resolve: (a) => a.statusAtAttribution,
    }),
    eligible: t.exposeBoolean('eligible', { description: 'True when the contribution existed and was ACCEPTED.' }),
    contributor: t.exposeString('contributor', {
      nullable: true,
      description: "The contribution's contributor (lowercase), who is paid `amount`.",
    }),
    datanetId: t.expose('datanetId', { type: 'BigInt', nullable: true, description: "The contribution's Datanet." }),
    amount: t.expose('amount', { type: 'BigInt', description: 'C*w/1e6 when eligible, else 0 (wei).' }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'Epoch the payment accrues to.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of AttributionRecorded.' }),
  }),
});

PayoutRef.implement({
  description: 'One payment of an inference: account, role and amount, accrued to the inference epoch.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'inferenceId-M (model owner), inferenceId-D-datanetId (Datanet owner), inferenceId-C-position (contributor).',
    }),
    account: t.exposeString('account', { description: 'Paid address (lowercase).' }),
    role: t.field({ type: PayoutRoleEnum, description: 'Role paid.', resolve: (p) => p.role }),
    datanetId: t.expose('datanetId', {
      type: 'BigInt',
      nullable: true,
      description: 'DATANET_OWNER: the Datanet whose owner is paid.',
    }),
    weightPpm: t.exposeInt('weightPpm', {
      nullable: true,
      description: 'DATANET_OWNER: the eligible weight Wn (ppm) of that Datanet.',
    }),
    amount: t.expose('amount', { type: 'BigInt', description: 'Amount (wei).' }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'Epoch it accrues to.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the settlement.' }),
  }),
});

export const AttributionConnection = builder.connectionObject(
  { type: AttributionRef, name: 'AttributionConnection', description: 'A page of attributions.' },
  { name: 'AttributionEdge', description: 'An attribution and its cursor.' },
);

const PayoutConnection = builder.connectionObject(
  { type: PayoutRef, name: 'PayoutConnection', description: 'A page of payouts.' },
  { name: 'PayoutEdge', description: 'A payout and its cursor.' },
);

const ATTRIBUTION_KEYSET: Keyset<AttributionRow> = {
  name: 'attribution:position',
  direction: 'ASC',
  keys: [{ expr: 'a.position', type: 'int', of: (a) => a.position }],
};

/**
 * Every payment of every inference: owner payments are Payout rows, contributor payments are the
 * eligible, non-zero Attribution rows (stored once, not repeated as payouts). Filters on
 * `inference_id` are pushed into both branches by the planner.
 */
const PAYOUTS_SQL = `
  SELECT id, inference_id, account, role, datanet_id, weight_ppm, amount, epoch, block_number FROM payout
  UNION ALL
  SELECT inference_id || '-C-' || position, inference_id, contributor, 'CONTRIBUTOR', datanet_id, weight_ppm,
         amount, epoch, block_number
    FROM attribution WHERE eligible AND amount > 0`;

const PAYOUT_KEYSET: Keyset<PayoutRow> = {
  name: 'payout:id',
  direction: 'ASC',
  keys: [{ expr: 'p.id COLLATE "C"', type: 'text', of: (p) => p.id }],
};

InferenceRef.implement({
  description: 'A settled inference (InferenceSettled) with its fee split, attributions and payouts.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The inferenceId (0x + 64 hex, lowercase).' }),
    modelId: t.expose('rawModelId', {
      type: 'BigInt',
      description: 'The inferred modelId as settled (kept when the model is unknown).',
    }),
    model: t.loadable({
      type: ModelRef,
      nullable: true,
      description: 'The inferred model (null when unknown to the indexer).',
      load: (ids: string[], ctx: ApiContext) => loadModels(ctx.db, ids),
      resolve: (i) => i.modelId,
    }),
    payer: t.exposeString('payer', { description: 'Who paid the fee (lowercase).' }),
    fee: t.expose('fee', { type: 'BigInt', description: 'The fee F (wei).' }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'Epoch its payments accrue to.' }),
    protocolBps: t.exposeInt('protocolBps', { description: 'Protocol share p of the split in force (bps).' }),
    modelOwnerBps: t.exposeInt('modelOwnerBps', { description: 'Model owner share m (bps).' }),
    datanetOwnerBps: t.exposeInt('datanetOwnerBps', { description: 'Datanet owners share d (bps).' }),
    contributorsBps: t.exposeInt('contributorsBps', { description: 'Contributors share c (bps).' }),
    modelOwner: t.exposeString('modelOwner', {
      nullable: true,
      description: 'Model owner at settlement (null when the model is unknown).',
    }),
    modelOwnerAmount: t.expose('modelOwnerAmount', { type: 'BigInt', description: 'M paid to the model owner (wei).' }),
    datanetOwnersAmount: t.expose('datanetOwnersAmount', {
      type: 'BigInt',
      description: 'Sum paid to Datanet owners (D share, eligible weights only, wei).',
    }),
    contributorsAmount: t.expose('contributorsAmount', {
      type: 'BigInt',
      description: 'Sum paid to contributors (C share, eligible weights only, wei).',
    }),
    protocolAmount: t.expose('protocolAmount', {
      type: 'BigInt',
      description: 'What the protocol keeps: F minus everything paid (wei).',
    }),
    hasAttribution: t.exposeBoolean('hasAttribution', { description: 'True once AttributionRecorded was seen.' }),
    attributionCount: t.exposeInt('attributionCount', { description: 'Attributions recorded.' }),
    eligibleCount: t.exposeInt('eligibleCount', { description: 'Attributions that were eligible (paid).' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of InferenceSettled.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of InferenceSettled.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of InferenceSettled.' }),
    attributions: t.field({
      type: AttributionConnection,
      description: 'Its attributions in log position order.',
      args: pageArgs,
      resolve: (i, args, ctx) =>
        findChildPage(
          ctx,
          childPageQuery('a.*', 'attribution a', ATTRIBUTION_KEYSET, (k) => `a.inference_id = ${k}`),
          i.id,
          args,
        ),
    }),
    payouts: t.field({
      type: PayoutConnection,
      description: 'Its payments (every role), by payout id.',
      args: pageArgs,
      resolve: (i, args, ctx) =>
        findChildPage(
          ctx,
          childPageQuery('p.*', `(${PAYOUTS_SQL}) p`, PAYOUT_KEYSET, (k) => `p.inference_id = ${k}`),
          i.id,
          args,
        ),
    }),
  }),
});

builder.queryFields((t) => ({
  inference: t.field({
    type: InferenceRef,
    nullable: true,
    description: 'One inference by inferenceId; null when unknown.',
    args: { id: t.arg.string({ required: true, description: 'The inferenceId (0x + 64 hex, any case).' }) },
    resolve: (_, args, ctx) =>
      ctx.db.one<InferenceRow>('SELECT * FROM inference WHERE id = $1', [parseHash32('id', args.id)]),
  }),
}));
