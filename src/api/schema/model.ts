import { builder } from '../builder';
import { childPageQuery, findChildPage } from '../childPages';
import type { ApiContext } from '../context';
import { loadModelDatanets } from '../loaders';
import { findPage, Where, type KeyColumn, type Keyset } from '../pagination';
import type { AdapterRow, ModelRow } from '../rows';
import { parseAddress, parseDecimal } from '../validate';
import { pageArgs } from './common';
import { defineOrder } from './order';
import { AdapterRef, DatanetRef, ModelRef } from './refs';

AdapterRef.implement({
  description: 'A published adapter version of a model (AdapterPublished).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'modelId-version.' }),
    modelId: t.exposeID('modelId', { description: 'Id of its model.' }),
    version: t.exposeInt('version', { description: 'Adapter version.' }),
    weightsHash: t.exposeString('weightsHash', { description: 'bytes32 hash of the weights (0x hex).' }),
    uri: t.exposeString('uri', { description: 'Where the weights live.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of AdapterPublished.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of AdapterPublished.' }),
  }),
});

const AdapterConnection = builder.connectionObject(
  { type: AdapterRef, name: 'AdapterConnection', description: 'A page of adapters.' },
  { name: 'AdapterEdge', description: 'An adapter and its cursor.' },
);

const ADAPTER_KEYSET: Keyset<AdapterRow> = {
  name: 'adapter:version',
  direction: 'ASC',
  keys: [{ expr: 'a.version', type: 'int', of: (a) => a.version }],
};

ModelRef.implement({
  description: 'A registered model (ModelRegistered) with its adapters and inference totals.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The modelId as a decimal string.' }),
    modelId: t.expose('modelId', { type: 'BigInt', description: 'On-chain modelId.' }),
    owner: t.exposeString('owner', { description: 'Owner address (lowercase).' }),
    name: t.exposeString('name', { description: 'Name given at registration.' }),
    datanetIds: t.exposeStringList('datanetIds', {
      description: 'Datanet ids (decimal) it was trained on, as registered (known or not).',
    }),
    datanets: t.loadableList({
      type: DatanetRef,
      description: 'The known Datanets it was trained on, by datanetId (the list is bounded by the registration).',
      load: (ids: string[], ctx: ApiContext) => loadModelDatanets(ctx.db, ids),
      resolve: (m) => m.id,
    }),
    adapterCount: t.exposeInt('adapterCount', { description: 'Adapters published.' }),
    latestAdapterVersion: t.exposeInt('latestAdapterVersion', {
      nullable: true,
      description: 'Highest adapter version published (null before the first).',
    }),
    adapters: t.field({
      type: AdapterConnection,
      description: 'Its adapters by version.',
      args: pageArgs,
      resolve: (m, args, ctx) =>
        findChildPage(
          ctx,
          childPageQuery('a.*', 'adapter a', ADAPTER_KEYSET, (k) => `a.model_id = ${k}`),
          m.id,
          args,
        ),
    }),
    inferenceCount: t.exposeInt('inferenceCount', { description: 'Inferences settled for it.' }),
    totalFees: t.expose('totalFees', { type: 'BigInt', description: 'Fees of its inferences (wei).' }),
    ownerEarned: t.expose('ownerEarned', { type: 'BigInt', description: 'Paid to its owner (MODEL_OWNER role, wei).' }),
    contributorsEarned: t.expose('contributorsEarned', {
      type: 'BigInt',
      description: 'Paid to contributors from its inferences (wei).',
    }),
    datanetOwnersEarned: t.expose('datanetOwnersEarned', {
      type: 'BigInt',
      description: 'Paid to Datanet owners from its inferences (wei).',
    }),
    protocolEarned: t.expose('protocolEarned', {
      type: 'BigInt',
      description: 'Kept by the protocol from its inferences (wei).',
    }),
    createdAtBlock: t.exposeInt('createdAtBlock', { description: 'Block of ModelRegistered.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Timestamp of that block.' }),
    createdTxHash: t.exposeString('createdTxHash', { description: 'Transaction of ModelRegistered.' }),
  }),
});

/** GraphQL connection of models. */
export const ModelConnection = builder.connectionObject(
  { type: ModelRef, name: 'ModelConnection', description: 'A page of models.' },
  { name: 'ModelEdge', description: 'A model and its cursor.' },
);

const byModelId: KeyColumn<ModelRow> = { expr: 'm.model_id', type: 'numeric', of: (m) => m.modelId };
const ModelOrder = defineOrder<ModelRow, 'ID' | 'CREATED_AT'>(
  'Model',
  'models',
  {
    ID: { description: 'modelId.', keys: [byModelId] },
    CREATED_AT: {
      description: 'Registration block (ties by modelId).',
      keys: [{ expr: 'm.created_at_block', type: 'int', of: (m) => m.createdAtBlock }, byModelId],
    },
  },
  { field: 'ID', direction: 'ASC' },
);

const ModelWhere = builder.inputType('ModelWhere', {
  description: 'Filters of the `models` list (all given ones must hold).',
  fields: (t) => ({
    owner: t.string({ required: false, description: 'Owner address (any case).' }),
    datanetId: t.id({ required: false, description: 'Only models trained on this Datanet (decimal id).' }),
  }),
});

builder.queryFields((t) => ({
  models: t.field({
    type: ModelConnection,
    description: 'Registered models, filtered and ordered.',
    args: {
      ...pageArgs,
      where: t.arg({ type: ModelWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: ModelOrder.input, required: false, description: 'Order (default ID ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.owner != null)
        where.and(`m.owner = ${where.param(parseAddress('where.owner', args.where.owner))}`);
      if (args.where?.datanetId != null) {
        const datanet = where.param(parseDecimal('where.datanetId', String(args.where.datanetId)));
        where.and(`EXISTS (SELECT 1 FROM model_datanet md WHERE md.model_id = m.id AND md.datanet_id = ${datanet})`);
      }
      return findPage(
        ctx.db,
        { select: 'm.*', from: 'model m', where, keyset: ModelOrder.keysetOf(args.orderBy) },
        args,
      );
    },
  }),
  model: t.field({
    type: ModelRef,
    nullable: true,
    description: 'One model by modelId (decimal); null when unknown.',
    args: { id: t.arg.id({ required: true, description: 'The modelId, decimal.' }) },
    resolve: (_, args, ctx) =>
      ctx.db.one<ModelRow>('SELECT * FROM model WHERE id = $1', [parseDecimal('id', String(args.id))]),
  }),
}));
