import { builder } from '../builder';
import { findChildPage } from '../childPages';
import { foldablePayouts, loadContributorPage } from '../contributorPage';
import { selectedFieldNames } from '../lookahead';
import type { AccountRow } from '../rows';
import { parseAddress, parseDecimal } from '../validate';
import { pageArgs } from './common';
import {
  ContributionConnection,
  ContributionOrder,
  ContributionStatusEnum,
  contributionPageQuery,
} from './contribution';
import { payoutTotals } from './payoutTotals';
import { ContributorRef } from './refs';

/**
 * Contributor fields answered by the payout totals loader, which the root lookup fills when one is
 * selected. (`payoutTotals` is left out: with `asOfBlock` it reads other rows, and the loader still
 * serves it without.)
 */
const PAYOUT_TOTAL_FIELDS = ['claimed', 'claimable', 'pending'];

const ContributorContributionsWhere = builder.inputType('ContributorContributionsWhere', {
  description: "Filters of a contributor's contributions.",
  fields: (t) => ({
    datanetId: t.id({ required: false, description: 'Only this Datanet (decimal id).' }),
    status: t.field({ type: ContributionStatusEnum, required: false, description: 'Only this status.' }),
  }),
});

ContributorRef.implement({
  description: 'An address as a contributor: its contributions, reviews, slashes and earnings in every role.',
  fields: (t) => ({
    address: t.exposeString('id', { description: 'The address (lowercase).' }),
    contributionCount: t.exposeInt('contributionCount', { description: 'Contributions submitted.' }),
    pendingCount: t.exposeInt('pendingCount', { description: 'Contributions not reviewed yet.' }),
    acceptedCount: t.exposeInt('acceptedCount', { description: 'Contributions currently ACCEPTED.' }),
    rejectedCount: t.exposeInt('rejectedCount', { description: 'Contributions currently REJECTED.' }),
    duplicateCount: t.exposeInt('duplicateCount', { description: 'Contributions that duplicate an earlier one.' }),
    acceptedQualitySum: t.expose('acceptedQualitySum', {
      type: 'BigInt',
      description: 'Sum of qualityBps over currently ACCEPTED contributions.',
    }),
    slashCount: t.exposeInt('slashCount', { description: 'ContributorSlashed events against it.' }),
    slashedAmount: t.expose('slashedAmount', { type: 'BigInt', description: 'Total slashed (wei).' }),
    eligibleAttributionCount: t.exposeInt('eligibleAttributionCount', {
      description: 'Attributions to its contributions that were eligible (paid).',
    }),
    earnedAsContributor: t.expose('earnedAsContributor', {
      type: 'BigInt',
      description: 'Accrued in the CONTRIBUTOR role (wei).',
    }),
    earnedAsDatanetOwner: t.expose('earnedAsDatanetOwner', {
      type: 'BigInt',
      description: 'Accrued in the DATANET_OWNER role (wei).',
    }),
    earnedAsModelOwner: t.expose('earnedAsModelOwner', {
      type: 'BigInt',
      description: 'Accrued in the MODEL_OWNER role (wei).',
    }),
    earnedTotal: t.expose('earnedTotal', { type: 'BigInt', description: 'Accrued in all roles (wei).' }),
    claimedTotal: t.expose('claimedTotal', { type: 'BigInt', description: 'Claimed from the reward vault (wei).' }),
    inferencesPaid: t.exposeInt('inferencesPaid', { description: 'Inferences it paid for.' }),
    feesPaid: t.expose('feesPaid', { type: 'BigInt', description: 'Inference fees it paid (wei).' }),
    firstSeenBlock: t.exposeInt('firstSeenBlock', { description: 'First block it appeared in.' }),
    lastActivityBlock: t.exposeInt('lastActivityBlock', { description: 'Latest block it appeared in.' }),
    contributions: t.field({
      type: ContributionConnection,
      description: 'Its contributions, filtered, in contributionId order.',
      args: {
        ...pageArgs,
        where: t.arg({ type: ContributorContributionsWhere, required: false, description: 'Filters.' }),
        orderBy: t.arg({ type: ContributionOrder.input, required: false, description: 'Order (default ID ASC).' }),
      },
      resolve: (account, args, ctx) => {
        const query = contributionPageQuery(
          {
            datanetId:
              args.where?.datanetId != null ? parseDecimal('where.datanetId', String(args.where.datanetId)) : undefined,
            status: args.where?.status ?? undefined,
          },
          ContributionOrder.keysetOf(args.orderBy),
        );
        return findChildPage(ctx, { ...query, parent: (k) => `c.contributor_id = ${k}` }, account.id, args);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  contributor: t.field({
    type: ContributorRef,
    nullable: true,
    description: 'One address as a contributor; null when the indexer has never seen it.',
    args: { address: t.arg.string({ required: true, description: 'The address (any case).' }) },
    resolve: async (_, args, ctx, info) => {
      const address = parseAddress('address', args.address);
      const fields = selectedFieldNames(info);
      const totals = PAYOUT_TOTAL_FIELDS.some((name) => fields.has(name));
      const payouts = fields.has('payouts') ? foldablePayouts(info) : null;
      if (!totals && !payouts) return ctx.db.one<AccountRow>('SELECT * FROM account WHERE id = $1', [address]);
      // The contributor page: its totals and its payouts page come with the row, not statements later.
      return loadContributorPage(ctx, address, { totals, payouts }, (row) => payoutTotals(ctx).prime(address, row));
    },
  }),
}));
