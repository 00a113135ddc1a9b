// Live updates: GraphQL subscriptions (over SSE, graphql-yoga's default transport) fed by the
// processor's NOTIFY after each committed transaction (see src/api/live/hub.ts).
import { GraphQLError } from 'graphql';
import { builder } from '../builder';
import type { ApiContext } from '../context';
import type { ContributorEvent, HeadEvent, InferenceEvent, LiveHub } from '../live/hub';
import { parseAddress, parseDecimal } from '../validate';
import { ContributorRef, InferenceRef } from './refs';

function liveHub(ctx: ApiContext): LiveHub {
  if (!ctx.live) throw new GraphQLError('Subscriptions are not available on this server.');
  return ctx.live;
}

const rangeFields = {
  fromBlock: 'First block of the committed range that caused this event.',
  toBlock: 'Last block of that range: the indexed head once it committed.',
  reorg:
    'True when blocks at or below the previously announced head were replaced (a reorg, or hot blocks replayed after a processor restart).',
} as const;

const IndexerHeadRef = builder.objectRef<HeadEvent>('IndexerHead').implement({
  description: 'A head the processor committed: one event per committed transaction.',
  fields: (t) => ({
    height: t.exposeInt('height', { description: 'The indexed head after the commit.' }),
    hash: t.exposeString('hash', { description: 'Hash of that block.' }),
    fromBlock: t.exposeInt('fromBlock', { description: rangeFields.fromBlock }),
    previousHeight: t.exposeInt('previousHeight', {
      nullable: true,
      description: 'The head announced before (null for the first event this API process saw).',
    }),
    reorg: t.exposeBoolean('reorg', {
      description: `${rangeFields.reorg} The height may then be lower than previousHeight.`,
    }),
    committedAt: t.expose('committedAt', {
      type: 'DateTime',
      description:
        "When the processor committed it (the processor's clock, just before COMMIT); for blocks committed while this API process was not listening, when it noticed them.",
    }),
  }),
});

const ContributorUpdateRef = builder.objectRef<ContributorEvent>('ContributorUpdate').implement({
  description:
    "A contributor's payouts and reputation after a committed range changed its account (earnings in any role, claims, contributions, reviews, slashes) or closed an epoch it has accruals in.",
  fields: (t) => ({
    address: t.string({ description: 'The address (lowercase).', resolve: (e) => e.account.id }),
    fromBlock: t.exposeInt('fromBlock', { description: rangeFields.fromBlock }),
    toBlock: t.exposeInt('toBlock', { description: rangeFields.toBlock }),
    reorg: t.exposeBoolean('reorg', {
      description: `${rangeFields.reorg} Then every subscribed address that still exists is sent.`,
    }),
    earnedAsContributor: t.field({
      type: 'BigInt',
      description: 'Accrued in the CONTRIBUTOR role (wei).',
      resolve: (e) => e.account.earnedAsContributor,
    }),
    earnedAsDatanetOwner: t.field({
      type: 'BigInt',
      description: 'Accrued in the DATANET_OWNER role (wei).',
      resolve: (e) => e.account.earnedAsDatanetOwner,
    }),
    earnedAsModelOwner: t.field({
      type: 'BigInt',
      description: 'Accrued in the MODEL_OWNER role (wei).',
      resolve: (e) => e.account.earnedAsModelOwner,
    }),
    earnedTotal: t.field({
      type: 'BigInt',
      description: 'Accrued in all roles (wei).',
      resolve: (e) => e.account.earnedTotal,
    }),
    claimedTotal: t.field({
      type: 'BigInt',
      description: 'Claimed from the reward vault (wei).',
      resolve: (e) => e.account.claimedTotal,
    }),
    claimable: t.field({
      type: 'BigInt',
      description: 'Accrued in closed epochs and not claimed yet (wei).',
      resolve: (e) => e.account.claimable,
    }),
    pending: t.field({
      type: 'BigInt',
      description: 'Accrued in epochs still open (wei).',
      resolve: (e) => e.account.pending,
    }),
    reputationScore: t.int({
      nullable: true,
      description: 'Reputation v1 score 0..1000 (null until its first submission or slash).',
      resolve: (e) => e.account.reputationScore,
    }),
    acceptanceBps: t.int({
      nullable: true,
      description: 'Reputation component: acceptance (bps).',
      resolve: (e) => e.account.acceptanceBps,
    }),
    qualityBps: t.int({
      nullable: true,
      description: 'Reputation component: mean quality of accepted contributions (bps).',
      resolve: (e) => e.account.qualityBps,
    }),
    impactBps: t.int({
      nullable: true,
      description: 'Reputation component: impact of its earnings (bps).',
      resolve: (e) => e.account.impactBps,
    }),
    reputationUpdatedAtBlock: t.int({
      nullable: true,
      description: 'Block of its latest reputation input.',
      resolve: (e) => e.account.reputationUpdatedAtBlock,
    }),
    contributor: t.field({
      type: ContributorRef,
      description:
        'The whole contributor as of this event. Its own fields come with the event; nested lists and totals are read per subscriber and event.',
      resolve: (e) => e.account,
    }),
  }),
});

const ModelInferenceRef = builder.objectRef<InferenceEvent>('ModelInference').implement({
  description: 'A new inference of a subscribed model, settled in a committed range.',
  fields: (t) => ({
    modelId: t.field({
      type: 'BigInt',
      description: 'The modelId subscribed to.',
      resolve: (e) => e.inference.rawModelId,
    }),
    fromBlock: t.exposeInt('fromBlock', { description: rangeFields.fromBlock }),
    toBlock: t.exposeInt('toBlock', { description: rangeFields.toBlock }),
    reorg: t.exposeBoolean('reorg', {
      description: `${rangeFields.reorg} An inference sent before may then have been orphaned.`,
    }),
    inference: t.field({
      type: InferenceRef,
      description: 'The inference (its own fields come with the event; attributions and payouts are read on demand).',
      resolve: (e) => e.inference,
    }),
  }),
});

builder.subscriptionType({
  description:
    'Live updates over Server-Sent Events (graphql-yoga: send the subscription to /graphql with `Accept: text/event-stream`). Events follow each committed processor transaction.',
});

builder.subscriptionFields((t) => ({
  indexerHead: t.field({
    type: IndexerHeadRef,
    description: 'Every head the processor commits, including one that goes backwards after a reorg.',
    subscribe: (_, __, ctx) => liveHub(ctx).head(),
    resolve: (event) => event,
  }),
  contributorUpdates: t.field({
    type: ContributorUpdateRef,
    description: "One address's payouts and reputation, each time a committed range changes them.",
    args: { address: t.arg.string({ required: true, description: 'The address (any case).' }) },
    subscribe: (_, args, ctx) => liveHub(ctx).contributor(parseAddress('address', args.address)),
    resolve: (event) => event,
  }),
  modelInferences: t.field({
    type: ModelInferenceRef,
    description: 'Each new inference settled for one model (modelId as settled), in chain order.',
    args: { modelId: t.arg.id({ required: true, description: 'The modelId, decimal.' }) },
    subscribe: (_, args, ctx) => liveHub(ctx).modelInferences(parseDecimal('modelId', String(args.modelId))),
    resolve: (event) => event,
  }),
}));
