// Contributor reputation v1 and its history (PROTOCOL.md section 5), now or as of a block.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { parseAsOfBlock } from '../asOf';
import { builder } from '../builder';
import { findChildPage } from '../childPages';
import type { ApiContext } from '../context';
import { loadReputationAt, reputationAtKey } from '../loaders';
import { Where, type Keyset } from '../pagination';
import type { AccountRow, ReputationChangeRow, ReputationRow } from '../rows';
import { parseBlock } from '../validate';

/** Per request: one statement for every (account, block) reputation lookup of the query. */
const reputationAt = createContextCache(
  (ctx: ApiContext) => new DataLoader<string, ReputationChangeRow | null>((keys) => loadReputationAt(ctx.db, keys)),
);
import { pageArgs } from './common';
import { ContributorRef, ReputationChangeRef, ReputationRef } from './refs';

ReputationChangeRef.implement({
  description:
    "A contributor's reputation at the end of a block in which its score changed (or of its first input block), with every component.",
  fields: (t) => ({
    blockNumber: t.exposeInt('blockNumber', { description: 'The block.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    score: t.exposeInt('score', { description: 'Score 0..1000.' }),
    acceptanceBps: t.exposeInt('acceptanceBps', {
      description: '10000*(accepted+1)/(accepted+rejected+duplicates+2).',
    }),
    qualityBps: t.exposeInt('qualityBps', { description: 'Mean qualityBps of accepted contributions (0 without).' }),
    impactBps: t.exposeInt('impactBps', { description: 'min(10000, floor(2500*log10(1 + earned/1e18))).' }),
    accepted: t.exposeInt('accepted', { description: 'Contributions ACCEPTED at that block.' }),
    rejected: t.exposeInt('rejected', { description: 'Contributions REJECTED at that block.' }),
    duplicates: t.exposeInt('duplicates', { description: 'Contributions duplicating an earlier one.' }),
    slashes: t.exposeInt('slashes', { description: 'ContributorSlashed events so far.' }),
    acceptedQualitySum: t.expose('acceptedQualitySum', {
      type: 'BigInt',
      description: 'Sum of qualityBps of the ACCEPTED contributions.',
    }),
    earned: t.expose('earned', { type: 'BigInt', description: 'CONTRIBUTOR-role earnings so far (wei).' }),
  }),
});

const ReputationChangeConnection = builder.connectionObject(
  { type: ReputationChangeRef, name: 'ReputationChangeConnection', description: 'A page of reputation changes.' },
  { name: 'ReputationChangeEdge', description: 'A reputation change and its cursor.' },
);

const HISTORY_KEYSET: Keyset<ReputationChangeRow> = {
  name: 'reputation-change:block',
  direction: 'ASC',
  keys: [{ expr: 'r.block_number', type: 'int', of: (r) => r.blockNumber }],
};

ReputationRef.implement({
  description:
    "A contributor's current reputation v1 (score and components) with the counters it is computed from, and its history.",
  fields: (t) => ({
    score: t.exposeInt('score', { description: 'Score 0..1000: base / (10 * 2^slashes).' }),
    acceptanceBps: t.exposeInt('acceptanceBps', {
      description: '10000*(accepted+1)/(accepted+rejected+duplicates+2).',
    }),
    qualityBps: t.exposeInt('qualityBps', { description: 'Mean qualityBps of accepted contributions (0 without).' }),
    impactBps: t.exposeInt('impactBps', { description: 'min(10000, floor(2500*log10(1 + earned/1e18))).' }),
    accepted: t.exposeInt('accepted', { description: 'Its contributions currently ACCEPTED.' }),
    rejected: t.exposeInt('rejected', { description: 'Its contributions currently REJECTED.' }),
    duplicates: t.exposeInt('duplicates', { description: 'Its contributions that duplicate an earlier one.' }),
    slashes: t.exposeInt('slashes', { description: 'ContributorSlashed events against it.' }),
    acceptedQualitySum: t.expose('acceptedQualitySum', {
      type: 'BigInt',
      description: 'Sum of qualityBps of its ACCEPTED contributions.',
    }),
    earned: t.expose('earned', { type: 'BigInt', description: 'Its CONTRIBUTOR-role earnings (wei).' }),
    updatedAtBlock: t.exposeInt('updatedAtBlock', {
      description:
        'Block of its latest reputation input (submission, review, slash or contributor payment); as of a block: the block of the score change it comes from.',
    }),
    asOfBlock: t.exposeInt('asOfBlock', {
      nullable: true,
      description: 'The block this reputation is as of (its end); null for the current reputation.',
    }),
    history: t.field({
      type: ReputationChangeConnection,
      description:
        'Every block in which its score changed (and its first input block), oldest first; as of a block, only up to it.',
      args: {
        ...pageArgs,
        fromBlock: t.arg.int({ required: false, description: 'Only changes at or after this block.' }),
        toBlock: t.arg.int({ required: false, description: 'Only changes at or before this block.' }),
      },
      resolve: (rep, args, ctx) => {
        const from = parseBlock('fromBlock', args.fromBlock);
        const to = parseBlock('toBlock', args.toBlock);
        const where = new Where();
        if (from !== undefined) where.and(`r.block_number >= ${where.param(from)}`);
        if (to !== undefined) where.and(`r.block_number <= ${where.param(to)}`);
        if (rep.asOfBlock != null) where.and(`r.block_number <= ${where.param(rep.asOfBlock)}`);
        return findChildPage(
          ctx,
          {
            select: 'r.*',
            from: 'reputation_change r',
            where,
            keyset: HISTORY_KEYSET,
            parent: (k) => `r.account = ${k}`,
          },
          rep.account,
          args,
        );
      },
    }),
  }),
});

/** The reputation columns of an account row, or null when it has none yet. */
function reputationOf(a: AccountRow): ReputationRow | null {
  const { reputationScore, acceptanceBps, qualityBps, impactBps, reputationUpdatedAtBlock } = a;
  if (
    reputationScore == null ||
    acceptanceBps == null ||
    qualityBps == null ||
    impactBps == null ||
    reputationUpdatedAtBlock == null
  ) {
    return null;
  }
  return {
    account: a.id,
    score: reputationScore,
    acceptanceBps,
    qualityBps,
    impactBps,
    accepted: a.acceptedCount,
    rejected: a.rejectedCount,
    duplicates: a.duplicateCount,
    slashes: a.slashCount,
    acceptedQualitySum: a.acceptedQualitySum,
    earned: a.earnedAsContributor,
    updatedAtBlock: reputationUpdatedAtBlock,
    asOfBlock: null,
  };
}

/** A reputation as of a block, from the history row in force then. */
function reputationAsOf(r: ReputationChangeRow, asOfBlock: number): ReputationRow {
  const { account, score, acceptanceBps, qualityBps, impactBps, accepted, rejected, duplicates, slashes } = r;
  return {
    account,
    score,
    acceptanceBps,
    qualityBps,
    impactBps,
    accepted,
    rejected,
    duplicates,
    slashes,
    acceptedQualitySum: r.acceptedQualitySum,
    earned: r.earned,
    updatedAtBlock: r.blockNumber,
    asOfBlock,
  };
}

builder.objectFields(ContributorRef, (t) => ({
  reputation: t.field({
    type: ReputationRef,
    nullable: true,
    description:
      'Its reputation v1 now, or as of the end of `asOfBlock` (from its history: the score is exact; the components and counters are those stored with that score, i.e. of the block it last changed). Null before it first submits a contribution or is slashed.',
    args: {
      asOfBlock: t.arg.int({
        required: false,
        description: 'A block at or below the indexed head (_meta.indexedHeight); omit for now.',
      }),
    },
    resolve: async (a, args, ctx) => {
      const block = await parseAsOfBlock(ctx, 'asOfBlock', args.asOfBlock);
      if (block === undefined) return reputationOf(a);
      const row = await reputationAt(ctx).load(reputationAtKey(a.id, block));
      return row && reputationAsOf(row, block);
    },
  }),
  reputationAt: t.field({
    type: ReputationChangeRef,
    nullable: true,
    deprecationReason: 'Use reputation(asOfBlock:), which serves the same row as a Reputation.',
    description:
      'Its reputation as of a block: the latest change at or before it (null before its first one). Unlike asOfBlock, a block above the indexed head is accepted (it answers with the latest change).',
    args: { block: t.arg.int({ required: true, description: 'The block number.' }) },
    resolve: (a, args, ctx) => reputationAt(ctx).load(reputationAtKey(a.id, parseBlock('block', args.block)!)),
  }),
}));
