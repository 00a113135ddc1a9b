// Contributor reputation v1 and its history (PROTOCOL.md section 5).
import { builder } from '../builder';
import { findChildPage } from '../childPages';
import type { ApiContext } from '../context';
import { loadReputationAt, reputationAtKey } from '../loaders';
import { Where, type Keyset } from '../pagination';
import type { AccountRow, ReputationChangeRow, ReputationRow } from '../rows';
import { parseBlock } from '../validate';
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
      description: 'Block of its latest reputation input (submission, review, slash or contributor payment).',
    }),
    history: t.field({
      type: ReputationChangeConnection,
      description: 'Every block in which its score changed (and its first input block), oldest first.',
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
  };
}

builder.objectFields(ContributorRef, (t) => ({
  reputation: t.field({
    type: ReputationRef,
    nullable: true,
    description: 'Its reputation v1 now (null until it first submits a contribution or is slashed).',
    resolve: (a) => reputationOf(a),
  }),
  reputationAt: t.loadable({
    type: ReputationChangeRef,
    nullable: true,
    description: 'Its reputation as of a block: the latest change at or before it (null before its first one).',
    args: { block: t.arg.int({ required: true, description: 'The block number.' }) },
    load: (keys: string[], ctx: ApiContext) => loadReputationAt(ctx.db, keys),
    resolve: (a, args) => reputationAtKey(a.id, parseBlock('block', args.block)!),
  }),
}));
