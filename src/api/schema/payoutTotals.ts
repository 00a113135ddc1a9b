// The payout totals loader, apart from the schema modules that use it (payouts, contributor, time
// travel): importing it registers no types, so it does not change the order Pothos builds fields in.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { ApiContext } from '../context';
import { loadPayoutTotals } from '../loaders';
import type { PayoutTotalsRow } from '../rows';

/** Per request: one statement for the claim totals of every contributor the query touches. */
export const payoutTotals = createContextCache(
  (ctx: ApiContext) => new DataLoader<string, PayoutTotalsRow>((accounts) => loadPayoutTotals(ctx.db, accounts)),
);
