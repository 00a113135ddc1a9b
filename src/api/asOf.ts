// Time travel: the `asOfBlock` argument and the payout figures of an account as of a block.
import { createContextCache } from '@pothos/core';
import type { ApiContext } from './context';
import { alignByKey, type ApiDb } from './db';
import { badUserInput } from './errors';
import type { PayoutTotalsAsOfRow } from './rows';

/** Per request: the indexed head, read once however many `asOfBlock` arguments the query has. */
const indexedHead = createContextCache((ctx: ApiContext) => ({
  height: undefined as Promise<number | null> | undefined,
  load() {
    return (this.height ??= ctx.db
      .one<{ height: number }>("SELECT height FROM indexer_status WHERE id = 'head'")
      .then((r) => r?.height ?? null));
  },
}));

/**
 * Checks an `asOfBlock` argument of time travel: an integer from 0 to the indexed head. Above the head the answer is not known yet, so that is
 * BAD_USER_INPUT naming the argument (with the head, so the caller can retry). Null stays undefined.
 */
export async function parseAsOfBlock(
  ctx: ApiContext,
  argument: string,
  value: number | null | undefined,
): Promise<number | undefined> {
  if (value == null) return undefined;
  if (!Number.isInteger(value) || value < 0)
    throw badUserInput(argument, `must be a block number >= 0 (got ${value}).`);
  const head = await indexedHead(ctx).load();
  if (head === null)
    throw badUserInput(argument, `cannot be answered yet: nothing is indexed (asked for block ${value}).`);
  if (value > head) {
    throw badUserInput(
      argument,
      `is above the indexed head: block ${value} > ${head}. Ask for a block at or below _meta.indexedHeight.`,
    );
  }
  return value;
}

/**
 * The per-epoch rows of the accounts in `k(account, block)` (a FROM item the caller provides, whose
 * `keyColumns` are selected first) as of each key's block, with the columns of `EpochPayoutRow` (account_epoch's, plus epoch_closed,
 * claimable, pending, computed at that block).
 *
 * How it stays fast on an account with many payments: an account_epoch row whose last accrual is at or
 * before the block is taken whole (its role columns are the sums of its payment rows); only a row
 * accrued across the block, in practice the epoch that was open then, is recomputed from its
 * attribution and payout rows (through the (contributor, block_number) and (account, block_number)
 * indexes), from the nearer end of its accrual range: the rows from its first accrual to the block, or
 * the whole row minus the rows after the block. Claims are at most one per epoch and are summed from reward_claim.
 * An epoch counts as closed when its EpochClosed is at or before the block.
 */
export function epochPayoutsAsOfSql(keys: string, keyColumns = ''): string {
  return `SELECT ${keyColumns} ae.id, ae.epoch, ae.account, k.block AS as_of_block,
         x.c::text AS as_contributor, x.d::text AS as_datanet_owner, x.m::text AS as_model_owner,
         (x.c + x.d + x.m)::text AS total,
         coalesce(cl.claimed, 0)::text AS claimed, coalesce(cl.n, 0)::int AS claim_count,
         cl.last AS last_claim_at_block, ae.first_accrued_at_block,
         coalesce(e.closed_at_block <= k.block, false) AS epoch_closed,
         (CASE WHEN e.closed_at_block <= k.block THEN greatest(x.c + x.d + x.m - coalesce(cl.claimed, 0), 0) ELSE 0 END)::text AS claimable,
         (CASE WHEN e.closed_at_block <= k.block THEN 0 ELSE x.c + x.d + x.m END)::text AS pending
    FROM ${keys}
    JOIN account_epoch ae ON ae.account = k.account AND ae.first_accrued_at_block <= k.block
    LEFT JOIN epoch e ON e.epoch = ae.epoch
    -- A row accrued across the block is recomputed from its payment rows, from whichever end of its
    -- accrual range is nearer the block: (first accrual .. block] summed, or the row minus (block .. last].
    CROSS JOIN LATERAL (
      SELECT coalesce(ae.last_accrued_at_block > k.block, false) AS straddles,
             coalesce(ae.last_accrued_at_block - k.block < k.block - ae.first_accrued_at_block, false) AS from_end
    ) w
    CROSS JOIN LATERAL (
      SELECT CASE WHEN w.from_end THEN k.block + 1 ELSE ae.first_accrued_at_block END AS lo,
             CASE WHEN w.from_end THEN ae.last_accrued_at_block ELSE k.block END AS hi
    ) r
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(a.amount), 0) AS c
        FROM attribution a
       WHERE w.straddles AND a.contributor = ae.account AND a.block_number BETWEEN r.lo AND r.hi
         AND a.epoch = ae.epoch
    ) pa
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(p.amount) FILTER (WHERE p.role = 'DATANET_OWNER'), 0) AS d,
             coalesce(sum(p.amount) FILTER (WHERE p.role = 'MODEL_OWNER'), 0) AS m
        FROM payout p
       WHERE w.straddles AND p.account = ae.account AND p.block_number BETWEEN r.lo AND r.hi
         AND p.epoch = ae.epoch
    ) pp
    CROSS JOIN LATERAL (
      SELECT CASE WHEN NOT w.straddles THEN ae.as_contributor
                  WHEN w.from_end THEN ae.as_contributor - pa.c ELSE pa.c END AS c,
             CASE WHEN NOT w.straddles THEN ae.as_datanet_owner
                  WHEN w.from_end THEN ae.as_datanet_owner - pp.d ELSE pp.d END AS d,
             CASE WHEN NOT w.straddles THEN ae.as_model_owner
                  WHEN w.from_end THEN ae.as_model_owner - pp.m ELSE pp.m END AS m
    ) x
    LEFT JOIN LATERAL (
      SELECT sum(rc.amount) AS claimed, count(*) AS n, max(rc.block_number) AS last
        FROM reward_claim rc
       WHERE rc.account = ae.account AND rc.epoch = ae.epoch AND rc.block_number <= k.block
    ) cl ON true`;
}

/** Key of {@link loadPayoutTotalsAsOf}: an account (lowercase) and a block. */
export const asOfKey = (account: string, block: number) => `${account}@${block}`;

/**
 * Loads, per (account, block) key, the account's payout totals as of the end of the block: earned per
 * role, claimed, claimable and pending (see epochPayoutsAsOfSql); one statement for all keys. An
 * account with nothing by then gets zeros.
 */
export async function loadPayoutTotalsAsOf(db: ApiDb, keys: readonly string[]): Promise<PayoutTotalsAsOfRow[]> {
  const parsed = keys.map((key) => {
    const at = key.lastIndexOf('@');
    return { account: key.slice(0, at), block: Number(key.slice(at + 1)) };
  });
  const rows = await db.query<PayoutTotalsAsOfRow & { forKey: string }>(
    `SELECT r.for_key,
            sum(r.as_contributor::numeric)::text AS earned_as_contributor,
            sum(r.as_datanet_owner::numeric)::text AS earned_as_datanet_owner,
            sum(r.as_model_owner::numeric)::text AS earned_as_model_owner,
            sum(r.total::numeric)::text AS earned_total,
            sum(r.claimed::numeric)::text AS claimed,
            sum(r.claimable::numeric)::text AS claimable,
            sum(r.pending::numeric)::text AS pending
       FROM (${epochPayoutsAsOfSql('unnest($1::text[], $2::int[], $3::text[]) AS k(account, block, for_key)', 'k.for_key,')}) r
      GROUP BY r.for_key`,
    [parsed.map((p) => p.account), parsed.map((p) => p.block), keys],
  );
  return alignByKey(keys, rows, (r) => r.forKey).map((r, i) => {
    const { account, block } = parsed[i];
    if (!r) {
      return {
        account,
        asOfBlock: block,
        earnedAsContributor: '0',
        earnedAsDatanetOwner: '0',
        earnedAsModelOwner: '0',
        earnedTotal: '0',
        claimed: '0',
        claimable: '0',
        pending: '0',
      };
    }
    const { forKey: _, ...totals } = r;
    return { ...totals, account, asOfBlock: block };
  });
}
