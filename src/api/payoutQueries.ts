// The statements behind an account's per-epoch payouts, shared by the schema (Contributor.payouts)
// and the contributor lookup that folds the first page into its own statement. No schema types
// here: importing it does not change the order Pothos builds fields in.
import type { ChildPageQuery } from './childPages';
import { Where, type Keyset } from './pagination';
import type { AccountEpochRow } from './rows';

/** account_epoch rows with their epoch's state: claimable and pending are computed in numeric. */
export const PAYOUT_SELECT = `ae.*, coalesce(e.closed, false) AS epoch_closed,
  (CASE WHEN e.closed THEN greatest(ae.total - ae.claimed, 0) ELSE 0 END)::text AS claimable,
  (CASE WHEN e.closed THEN 0 ELSE ae.total END)::text AS pending`;
export const PAYOUT_FROM = 'account_epoch ae LEFT JOIN epoch e ON e.epoch = ae.epoch';

/** An account's payouts, latest epoch first. */
export const PAYOUTS_BY_EPOCH: Keyset<AccountEpochRow> = {
  name: 'epoch-payout:epoch-desc',
  direction: 'DESC',
  keys: [{ expr: 'ae.epoch', type: 'numeric', of: (r) => r.epoch }],
};

/** The page query of `Contributor.payouts` without `asOfBlock` (optionally one epoch). */
export function accountPayoutsQuery(where = new Where()): ChildPageQuery<AccountEpochRow> {
  return {
    select: PAYOUT_SELECT,
    from: PAYOUT_FROM,
    where,
    keyset: PAYOUTS_BY_EPOCH,
    parent: (k) => `ae.account = ${k}`,
  };
}
