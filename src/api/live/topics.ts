// The per-topic queries behind live subscriptions: one statement per topic per committed range,
// for every subscribed key at once (the hub fans the rows out in memory).
import type { ApiDb } from '../db';
import type { AccountRow, InferenceRow } from '../rows';

/** A committed block range as the hub dispatches it (several notifications may be merged into one). */
export interface CommittedRange {
  /** First block written (or rewritten). */
  from: number;
  /** The new head. */
  to: number;
  /** True when blocks at or below the previously announced head were replaced (reorg, replay). */
  reorg: boolean;
}

/** An account row with the claim totals a payout dashboard shows, as one contributor event carries them. */
export interface ContributorSnapshot extends AccountRow {
  /** Σ over closed epochs of max(0, leaf − claimed) (decimal wei). */
  claimable: string;
  /** Σ of leaves of open epochs (decimal wei). */
  pending: string;
}

/** The epochs closed at or after block $2 (a CTE named `closed`). */
const CLOSED_SINCE = 'closed AS (SELECT epoch FROM epoch WHERE closed_at_block >= $2)';
/** True for an account row `a` changed at or after block $2, or with accruals in an epoch `closed` then. */
const CHANGED_SINCE = `(a.last_activity_block >= $2
  OR EXISTS (SELECT 1 FROM account_epoch ae JOIN closed c ON c.epoch = ae.epoch WHERE ae.account = a.id))`;

/**
 * The accounts among `addresses` whose contributor page (row, totals, reputation, payouts) a commit
 * of blocks from `from` on changed, by the rule of {@link loadChangedContributors}: one statement.
 * An address without an account row is not among them (a row created in the range is).
 */
export async function loadChangedAccountIds(db: ApiDb, addresses: readonly string[], from: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `WITH ${CLOSED_SINCE} SELECT a.id FROM account a WHERE a.id = ANY($1::text[]) AND ${CHANGED_SINCE}`,
    [addresses, from],
  );
  return rows.map((r) => r.id);
}

/**
 * The accounts among `addresses` that the range changed, with their current totals, reputation and
 * claimable/pending amounts: one statement. Every change of an account row goes through the store's
 * `account()`, which moves `last_activity_block` to the block of the change, so a row changed in the
 * range has `last_activity_block >= from`; an epoch closed in the range changes what its accounts can
 * claim without touching their rows, so those accounts are included too. After a reorg every
 * subscribed account that still exists is reported (an orphaned change may have lowered its totals).
 */
export async function loadChangedContributors(
  db: ApiDb,
  addresses: readonly string[],
  range: CommittedRange,
): Promise<ContributorSnapshot[]> {
  return db.query<ContributorSnapshot>(
    `WITH ${CLOSED_SINCE},
     changed AS (SELECT a.* FROM account a WHERE a.id = ANY($1::text[]) AND ($3 OR ${CHANGED_SINCE}))
     SELECT ch.*, coalesce(t.claimable, '0') AS claimable, coalesce(t.pending, '0') AS pending
       FROM changed ch
       LEFT JOIN LATERAL (
         SELECT sum(CASE WHEN e.closed THEN greatest(ae.total - ae.claimed, 0) ELSE 0 END)::text AS claimable,
                sum(CASE WHEN e.closed THEN 0 ELSE ae.total END)::text AS pending
           FROM account_epoch ae LEFT JOIN epoch e ON e.epoch = ae.epoch
          WHERE ae.account = ch.id) t ON true`,
    [addresses, range.from, range.reorg],
  );
}

/**
 * The inferences settled in the range for any of `modelIds` (decimal modelIds, as settled: an
 * inference of a model unknown to the indexer counts too), in chain order: one statement over the
 * `inference.block_number` index.
 */
export async function loadNewInferences(
  db: ApiDb,
  modelIds: readonly string[],
  range: CommittedRange,
): Promise<InferenceRow[]> {
  return db.query<InferenceRow>(
    `SELECT * FROM inference
      WHERE block_number BETWEEN $2 AND $3 AND raw_model_id = ANY($1::numeric[])
      ORDER BY block_number, log_index`,
    [modelIds, range.from, range.to],
  );
}
