// Time travel on payouts: an account's payout totals now or as of the end of a block (README "Time travel").
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { asOfKey, loadPayoutTotalsAsOf, parseAsOfBlock } from '../asOf';
import { builder } from '../builder';
import type { ApiContext } from '../context';
import type { PayoutTotalsAsOfRow } from '../rows';
import { payoutTotals } from './payoutTotals';
import { ContributorRef } from './refs';

/** Payout totals as served: as of a block, or now (asOfBlock null). */
type PayoutTotalsRow = Omit<PayoutTotalsAsOfRow, 'asOfBlock'> & { asOfBlock: number | null };

/** Per request: one statement for the as-of totals of every (account, block) the query asks for. */
const totalsAsOf = createContextCache(
  (ctx: ApiContext) => new DataLoader<string, PayoutTotalsAsOfRow>((keys) => loadPayoutTotalsAsOf(ctx.db, keys)),
);

const PayoutTotalsRef = builder.objectRef<PayoutTotalsRow>('PayoutTotals').implement({
  description:
    "An account's earnings per role and its claims, now or as of the end of a block: what a payout dashboard shows at the top of an account.",
  fields: (t) => ({
    asOfBlock: t.exposeInt('asOfBlock', {
      nullable: true,
      description: 'The block these totals are as of (its end); null for the current totals.',
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
    claimed: t.expose('claimed', { type: 'BigInt', description: 'Claimed from the reward vault (wei).' }),
    claimable: t.expose('claimable', {
      type: 'BigInt',
      description: 'Per epoch closed by then: max(0, accrued - claimed), summed (wei).',
    }),
    pending: t.expose('pending', {
      type: 'BigInt',
      description: 'Accrued in epochs still open then (wei).',
    }),
  }),
});

builder.objectFields(ContributorRef, (t) => ({
  payoutTotals: t.field({
    type: PayoutTotalsRef,
    description:
      'Its earnings per role, claimed, claimable and pending: now, or as of the end of `asOfBlock` (answered from its per-epoch rows and, for the epoch open at that block, its payment rows).',
    args: {
      asOfBlock: t.arg.int({
        required: false,
        description: 'A block at or below the indexed head (_meta.indexedHeight); omit for now.',
      }),
    },
    resolve: async (a, args, ctx): Promise<PayoutTotalsRow> => {
      const block = await parseAsOfBlock(ctx, 'asOfBlock', args.asOfBlock);
      if (block !== undefined) return totalsAsOf(ctx).load(asOfKey(a.id, block));
      const claims = await payoutTotals(ctx).load(a.id);
      return {
        account: a.id,
        asOfBlock: null,
        earnedAsContributor: a.earnedAsContributor,
        earnedAsDatanetOwner: a.earnedAsDatanetOwner,
        earnedAsModelOwner: a.earnedAsModelOwner,
        earnedTotal: a.earnedTotal,
        claimed: claims.claimed,
        claimable: claims.claimable,
        pending: claims.pending,
      };
    },
  }),
}));
