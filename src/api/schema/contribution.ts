import DataLoader from 'dataloader';
import { builder } from '../builder';
import type { ApiContext } from '../context';
import { loadAccounts, loadContributionStats, loadContributions, loadDatanets } from '../loaders';
import { findPage, Where, type Connection, type Keyset, type PageArgs } from '../pagination';
import type { ContributionRow, ContributionStatsRow, ContributionStatus } from '../rows';
import { parseAddress, parseDecimal } from '../validate';
import { pageArgs } from './common';
import { ContributionRef, ContributorRef, DatanetRef } from './refs';

/** GraphQL enum of a contribution's review status. */
export const ContributionStatusEnum = builder.enumType('ContributionStatus', {
  description: "A contribution's status by its latest review.",
  values: {
    PENDING: { description: 'Not reviewed yet.' },
    ACCEPTED: { description: 'The latest review accepted it.' },
    REJECTED: { description: 'The latest review rejected it.' },
  } as const,
});

/** One loader per request for the three aggregated fields, so they cost one query per page. */
const statsLoaders = new WeakMap<ApiContext, DataLoader<string, ContributionStatsRow>>();
function contributionStats(ctx: ApiContext, id: string): Promise<ContributionStatsRow> {
  let loader = statsLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids: readonly string[]) => loadContributionStats(ctx.db, ids));
    statsLoaders.set(ctx, loader);
  }
  return loader.load(id);
}

ContributionRef.implement({
  description: 'A submission of data to a Datanet (ContributionSubmitted), with its review state and earnings.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The contributionId as a decimal string (unique across Datanets).' }),
    contributionId: t.expose('contributionId', { type: 'BigInt', description: 'On-chain contributionId.' }),
    datanetId: t.exposeID('datanetId', { description: 'Id of the Datanet it was submitted to.' }),
    datanet: t.loadable({
      type: DatanetRef,
      nullable: true,
      description: 'The Datanet it was submitted to.',
      load: (ids: string[], ctx: ApiContext) => loadDatanets(ctx.db, ids),
      resolve: (c) => c.datanetId,
    }),
    contributorAddress: t.exposeString('contributorId', { description: 'Address of the contributor (lowercase).' }),
    contributor: t.loadable({
      type: ContributorRef,
      nullable: true,
      description: "The contributor's totals.",
      load: (ids: string[], ctx: ApiContext) => loadAccounts(ctx.db, ids),
      resolve: (c) => c.contributorId,
    }),
    dataHash: t.exposeString('dataHash', { description: 'bytes32 hash of the data (0x hex).' }),
    sizeBytes: t.expose('sizeBytes', { type: 'BigInt', description: 'Declared size of the data in bytes.' }),
    uri: t.exposeString('uri', { description: 'Where the data lives.' }),
    status: t.field({
      type: ContributionStatusEnum,
      description: 'Status by the latest review.',
      resolve: (c) => c.status,
    }),
    qualityBps: t.exposeInt('qualityBps', {
      nullable: true,
      description: "Latest review's quality (0..10000); null while pending.",
    }),
    reviewCount: t.exposeInt('reviewCount', { description: 'ContributionReviewed events for it.' }),
    lastReviewer: t.exposeString('lastReviewer', { nullable: true, description: 'Validator of the latest review.' }),
    lastReviewedAtBlock: t.exposeInt('lastReviewedAtBlock', {
      nullable: true,
      description: 'Block of the latest review.',
    }),
    isDuplicate: t.exposeBoolean('isDuplicate', {
      description: 'True when its dataHash was already submitted to the same Datanet.',
    }),
    duplicateOfId: t.exposeID('duplicateOfId', {
      nullable: true,
      description: 'Id of the earlier contribution it duplicates.',
    }),
    duplicateOf: t.loadable({
      type: ContributionRef,
      nullable: true,
      description: 'The earlier contribution it duplicates.',
      load: (ids: string[], ctx: ApiContext) => loadContributions(ctx.db, ids),
      resolve: (c) => c.duplicateOfId,
    }),
    attributionCount: t.int({
      description: 'Attributions naming it (eligible or not).',
      resolve: async (c, _args, ctx) => (await contributionStats(ctx, c.id)).attributionCount,
    }),
    eligibleAttributionCount: t.int({
      description: 'Attributions naming it while it was ACCEPTED (paid).',
      resolve: async (c, _args, ctx) => (await contributionStats(ctx, c.id)).eligibleAttributionCount,
    }),
    earned: t.field({
      type: 'BigInt',
      description: 'CONTRIBUTOR-role amount paid for it over all inferences (wei).',
      resolve: async (c, _args, ctx) => (await contributionStats(ctx, c.id)).earned,
    }),
    submittedAtBlock: t.exposeInt('submittedAtBlock', { description: 'Block of ContributionSubmitted.' }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of ContributionSubmitted.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of ContributionSubmitted.' }),
  }),
});

/** GraphQL connection of contributions. */
export const ContributionConnection = builder.connectionObject(
  { type: ContributionRef, name: 'ContributionConnection', description: 'A page of contributions.' },
  { name: 'ContributionEdge', description: 'A contribution and its cursor.' },
);

/** The order of the `contributions` list (contributionId); its cursors carry that key. */
export const CONTRIBUTION_KEYSET: Keyset<ContributionRow> = {
  name: 'contribution:id',
  direction: 'ASC',
  keys: [{ expr: 'c.contribution_id', type: 'numeric', of: (c) => c.contributionId }],
};

/** Contribution filters, already validated (lowercase address, decimal ids). */
export interface ContributionFilter {
  datanetId?: string;
  contributor?: string;
  status?: ContributionStatus;
  isDuplicate?: boolean;
  submittedAfterBlock?: number;
}

/** Runs one page of contributions in contributionId order under the given filters. */
export function findContributions(
  ctx: ApiContext,
  filter: ContributionFilter,
  args: PageArgs,
): Promise<Connection<ContributionRow>> {
  const where = new Where();
  if (filter.datanetId != null) where.and(`c.datanet_id = ${where.param(filter.datanetId)}`);
  if (filter.contributor != null) where.and(`c.contributor_id = ${where.param(filter.contributor)}`);
  if (filter.status != null) where.and(`c.status = ${where.param(filter.status)}`);
  if (filter.isDuplicate != null) where.and(`c.is_duplicate = ${where.param(filter.isDuplicate)}`);
  if (filter.submittedAfterBlock != null) {
    where.and(`c.submitted_at_block > ${where.param(filter.submittedAfterBlock)}`);
  }
  return findPage(ctx.db, { select: 'c.*', from: 'contribution c', where, keyset: CONTRIBUTION_KEYSET }, args);
}

const ContributionWhere = builder.inputType('ContributionWhere', {
  description: 'Filters of the `contributions` list (all given ones must hold).',
  fields: (t) => ({
    datanetId: t.id({ required: false, description: 'Only this Datanet (decimal id).' }),
    contributor: t.string({ required: false, description: 'Only this contributor address (any case).' }),
    status: t.field({ type: ContributionStatusEnum, required: false, description: 'Only this status.' }),
    isDuplicate: t.boolean({ required: false, description: 'Only duplicates (true) or originals (false).' }),
    submittedAfterBlock: t.int({ required: false, description: 'Only contributions submitted after this block.' }),
  }),
});

builder.queryFields((t) => ({
  contribution: t.field({
    type: ContributionRef,
    nullable: true,
    description: 'One contribution by contributionId (decimal); null when unknown.',
    args: { id: t.arg.id({ required: true, description: 'The contributionId, decimal.' }) },
    resolve: (_, args, ctx) =>
      ctx.db.one<ContributionRow>('SELECT * FROM contribution WHERE id = $1', [parseDecimal('id', String(args.id))]),
  }),
  contributions: t.field({
    type: ContributionConnection,
    description: 'Contributions in contributionId order, filtered.',
    args: { ...pageArgs, where: t.arg({ type: ContributionWhere, required: false, description: 'Filters.' }) },
    resolve: (_, args, ctx) => {
      const w = args.where;
      return findContributions(
        ctx,
        {
          datanetId: w?.datanetId != null ? parseDecimal('where.datanetId', String(w.datanetId)) : undefined,
          contributor: w?.contributor != null ? parseAddress('where.contributor', w.contributor) : undefined,
          status: w?.status ?? undefined,
          isDuplicate: w?.isDuplicate ?? undefined,
          submittedAfterBlock: w?.submittedAfterBlock ?? undefined,
        },
        args,
      );
    },
  }),
}));
