// Lists of inferences (all, per model) and of a contribution's attributions.
import { builder } from '../builder';
import type { ApiContext } from '../context';
import { childPageQuery, findChildPage } from '../childPages';
import { badUserInput } from '../errors';
import { findPage, Where, type KeyColumn, type Keyset, type PageArgs } from '../pagination';
import type { AttributionRow, InferenceRow } from '../rows';
import { parseAddress, parseBlock, parseDecimal } from '../validate';
import { pageArgs } from './common';
import { AttributionConnection } from './inference';
import { defineOrder } from './order';
import { ContributionRef, InferenceRef, ModelRef } from './refs';

/** GraphQL connection of inferences. */
export const InferenceConnection = builder.connectionObject(
  { type: InferenceRef, name: 'InferenceConnection', description: 'A page of inferences.' },
  { name: 'InferenceEdge', description: 'An inference and its cursor.' },
);

/** Chain order (block, log index): unique, and served by (filter column, block_number, log_index) indexes. */
const chainKeys: KeyColumn<InferenceRow>[] = [
  { expr: 'i.block_number', type: 'int', of: (i) => i.blockNumber },
  { expr: 'i.log_index', type: 'int', of: (i) => i.logIndex },
];
const InferenceOrder = defineOrder<InferenceRow, 'CHAIN'>(
  'Inference',
  'inferences',
  { CHAIN: { description: 'Chain position of InferenceSettled (block, log index).', keys: chainKeys } },
  { field: 'CHAIN', direction: 'ASC' },
);

const InferenceWhere = builder.inputType('InferenceWhere', {
  description: 'Filters of the `inferences` list (all given ones must hold).',
  fields: (t) => ({
    modelId: t.id({ required: false, description: 'Only this model (decimal modelId).' }),
    payer: t.string({ required: false, description: 'Only inferences paid by this address (any case).' }),
    epoch: t.field({ type: 'BigInt', required: false, description: 'Only this epoch.' }),
    fromBlock: t.int({ required: false, description: 'Only at or after this block.' }),
    toBlock: t.int({ required: false, description: 'Only at or before this block.' }),
    hasAttribution: t.boolean({ required: false, description: 'Only with (true) or without (false) attribution.' }),
  }),
});

/** Inference filters, already validated. */
interface InferenceFilter {
  modelId?: string;
  payer?: string;
  epoch?: string;
  fromBlock?: number;
  toBlock?: number;
  hasAttribution?: boolean;
}

function findInferences(ctx: ApiContext, filter: InferenceFilter, keyset: Keyset<InferenceRow>, args: PageArgs) {
  const where = new Where();
  if (filter.modelId != null) where.and(`i.model_id = ${where.param(filter.modelId)}`);
  if (filter.payer != null) where.and(`i.payer = ${where.param(filter.payer)}`);
  if (filter.epoch != null) where.and(`i.epoch = ${where.param(filter.epoch)}`);
  if (filter.fromBlock != null) where.and(`i.block_number >= ${where.param(filter.fromBlock)}`);
  if (filter.toBlock != null) where.and(`i.block_number <= ${where.param(filter.toBlock)}`);
  if (filter.hasAttribution != null) where.and(`i.has_attribution = ${where.param(filter.hasAttribution)}`);
  return findPage(ctx.db, { select: 'i.*', from: 'inference i', where, keyset }, args);
}

const ContributionAttributionOrder = defineOrder<AttributionRow, 'CHAIN'>(
  'ContributionAttribution',
  'attributions of a contribution',
  {
    CHAIN: {
      description: 'Block of AttributionRecorded, then attribution id.',
      keys: [
        { expr: 'a.block_number', type: 'int', of: (a) => a.blockNumber },
        { expr: 'a.id COLLATE "C"', type: 'text', of: (a) => a.id },
      ],
    },
  },
  { field: 'CHAIN', direction: 'ASC' },
);

builder.queryFields((t) => ({
  inferences: t.field({
    type: InferenceConnection,
    description: 'Settled inferences, filtered, in chain order.',
    args: {
      ...pageArgs,
      where: t.arg({ type: InferenceWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: InferenceOrder.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const w = args.where;
      const filter: InferenceFilter = {
        modelId: w?.modelId != null ? parseDecimal('where.modelId', String(w.modelId)) : undefined,
        payer: w?.payer != null ? parseAddress('where.payer', w.payer) : undefined,
        epoch: w?.epoch != null ? parseDecimal('where.epoch', String(w.epoch)) : undefined,
        fromBlock: parseBlock('where.fromBlock', w?.fromBlock),
        toBlock: parseBlock('where.toBlock', w?.toBlock),
        hasAttribution: w?.hasAttribution ?? undefined,
      };
      if (filter.fromBlock != null && filter.toBlock != null && filter.fromBlock > filter.toBlock) {
        throw badUserInput('where.toBlock', `must be >= where.fromBlock (${filter.fromBlock}), got ${filter.toBlock}.`);
      }
      return findInferences(ctx, filter, InferenceOrder.keysetOf(args.orderBy), args);
    },
  }),
}));

builder.objectFields(ModelRef, (t) => ({
  inferences: t.field({
    type: InferenceConnection,
    description: 'Its inferences in chain order.',
    args: {
      ...pageArgs,
      orderBy: t.arg({ type: InferenceOrder.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (m, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery('i.*', 'inference i', InferenceOrder.keysetOf(args.orderBy), (k) => `i.model_id = ${k}`),
        m.id,
        args,
      ),
  }),
}));

builder.objectFields(ContributionRef, (t) => ({
  attributions: t.field({
    type: AttributionConnection,
    description: 'Attributions to it (each inference that credited it), with eligibility and amount.',
    args: {
      ...pageArgs,
      orderBy: t.arg({
        type: ContributionAttributionOrder.input,
        required: false,
        description: 'Order (default CHAIN ASC).',
      }),
    },
    resolve: (c, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery(
          'a.*',
          'attribution a',
          ContributionAttributionOrder.keysetOf(args.orderBy),
          (k) => `a.contribution_id = ${k}`,
        ),
        c.id,
        args,
      ),
  }),
}));
