import { builder } from '../builder';
import { findPage, Where, type KeyColumn } from '../pagination';
import type { DatanetRow } from '../rows';
import { parseAddress, parseDecimal } from '../validate';
import { pageArgs } from './common';
import { defineOrder } from './order';
import { DatanetRef } from './refs';

/** GraphQL enum of a Datanet's status. */
export const DatanetStatusEnum = builder.enumType('DatanetStatus', {
  description: 'Whether a Datanet accepts submissions (DatanetStatusChanged).',
  values: {
    ACTIVE: { description: 'Accepts contributions.' },
    PAUSED: { description: 'Temporarily refuses contributions.' },
    CLOSED: { description: 'Closed for good.' },
  } as const,
});

DatanetRef.implement({
  description: 'A data network that contributors submit data to (DatanetRegistry).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The datanetId as a decimal string.' }),
    datanetId: t.expose('datanetId', { type: 'BigInt', description: 'On-chain datanetId.' }),
    owner: t.exposeString('owner', { description: 'Current owner address (lowercase).' }),
    name: t.exposeString('name', { description: 'Name given at creation.' }),
    metadataUri: t.exposeString('metadataUri', { description: 'Metadata URI given at creation.' }),
    status: t.field({ type: DatanetStatusEnum, description: 'Current status.', resolve: (d) => d.status }),
    validatorCount: t.exposeInt('validatorCount', { description: 'Validators currently enabled.' }),
    contributionCount: t.exposeInt('contributionCount', { description: 'Contributions submitted.' }),
    pendingCount: t.exposeInt('pendingCount', { description: 'Contributions not reviewed yet.' }),
    acceptedCount: t.exposeInt('acceptedCount', { description: 'Contributions whose latest review accepted them.' }),
    rejectedCount: t.exposeInt('rejectedCount', { description: 'Contributions whose latest review rejected them.' }),
    duplicateCount: t.exposeInt('duplicateCount', {
      description: 'Contributions whose dataHash was already submitted to this Datanet.',
    }),
    totalSizeBytes: t.expose('totalSizeBytes', {
      type: 'BigInt',
      description: 'Sum of sizeBytes of all contributions.',
    }),
    acceptedSizeBytes: t.expose('acceptedSizeBytes', {
      type: 'BigInt',
      description: 'Sum of sizeBytes of currently accepted contributions.',
    }),
    slashCount: t.exposeInt('slashCount', { description: 'ContributorSlashed events on this Datanet.' }),
    slashedAmount: t.expose('slashedAmount', { type: 'BigInt', description: 'Total slashed on this Datanet (wei).' }),
    attributionCount: t.exposeInt('attributionCount', {
      description: "Eligible attributions to this Datanet's contributions.",
    }),
    ownerEarned: t.expose('ownerEarned', {
      type: 'BigInt',
      description: 'Paid to the Datanet owner (DATANET_OWNER role) over all inferences (wei).',
    }),
    contributorsEarned: t.expose('contributorsEarned', {
      type: 'BigInt',
      description: 'Paid to contributors of this Datanet (CONTRIBUTOR role) over all inferences (wei).',
    }),
    earnedTotal: t.expose('earnedTotal', {
      type: 'BigInt',
      description: "Fees paid for this Datanet's data: ownerEarned + contributorsEarned (wei).",
    }),
    createdAtBlock: t.exposeInt('createdAtBlock', { description: 'Block of DatanetCreated.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Timestamp of that block.' }),
    createdTxHash: t.exposeString('createdTxHash', { description: 'Transaction of DatanetCreated.' }),
  }),
});

/** GraphQL connection of Datanets. */
export const DatanetConnection = builder.connectionObject(
  { type: DatanetRef, name: 'DatanetConnection', description: 'A page of Datanets.' },
  { name: 'DatanetEdge', description: 'A Datanet and its cursor.' },
);

const byId: KeyColumn<DatanetRow> = { expr: 'd.datanet_id', type: 'numeric', of: (d) => d.datanetId };
const DatanetOrder = defineOrder<DatanetRow, 'ID' | 'CONTRIBUTION_COUNT' | 'OWNER_EARNED' | 'CREATED_AT'>(
  'Datanet',
  'datanets',
  {
    ID: { description: 'datanetId.', keys: [byId] },
    CONTRIBUTION_COUNT: {
      description: 'Contributions submitted (ties by datanetId).',
      keys: [{ expr: 'd.contribution_count', type: 'int', of: (d) => d.contributionCount }, byId],
    },
    OWNER_EARNED: {
      description: 'Owner earnings (ties by datanetId).',
      keys: [{ expr: 'd.owner_earned', type: 'numeric', of: (d) => d.ownerEarned }, byId],
    },
    CREATED_AT: {
      description: 'Creation block (ties by datanetId).',
      keys: [{ expr: 'd.created_at_block', type: 'int', of: (d) => d.createdAtBlock }, byId],
    },
  },
  { field: 'ID', direction: 'ASC' },
);

const DatanetWhere = builder.inputType('DatanetWhere', {
  description: 'Filters of the `datanets` list (all given ones must hold).',
  fields: (t) => ({
    owner: t.string({ required: false, description: 'Owner address (any case).' }),
    status: t.field({ type: DatanetStatusEnum, required: false, description: 'Current status.' }),
  }),
});

builder.queryFields((t) => ({
  datanet: t.field({
    type: DatanetRef,
    nullable: true,
    description: 'One Datanet by datanetId (decimal); null when unknown.',
    args: { id: t.arg.id({ required: true, description: 'The datanetId, decimal.' }) },
    resolve: (_, args, ctx) =>
      ctx.db.one<DatanetRow>('SELECT * FROM datanet WHERE id = $1', [parseDecimal('id', String(args.id))]),
  }),
  datanets: t.field({
    type: DatanetConnection,
    description: 'Datanets, filtered and ordered.',
    args: {
      ...pageArgs,
      where: t.arg({ type: DatanetWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: DatanetOrder.input, required: false, description: 'Order (default ID ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.owner != null)
        where.and(`d.owner = ${where.param(parseAddress('where.owner', args.where.owner))}`);
      if (args.where?.status != null) where.and(`d.status = ${where.param(args.where.status)}`);
      const keyset = DatanetOrder.keysetOf(args.orderBy);
      return findPage(ctx.db, { select: 'd.*', from: 'datanet d', where, keyset }, args);
    },
  }),
}));
