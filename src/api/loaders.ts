import { alignByKey, groupByKey, type ApiDb } from './db';
import type {
  AccountRow,
  ContributionRow,
  ContributionStatsRow,
  DatanetRow,
  FeeSplitRow,
  ModelRow,
  PayoutTotalsRow,
  ReputationChangeRow,
} from './rows';

// Batch loads behind the per-request DataLoaders: one query per kind per tick, rows aligned
// with the requested keys (null where missing).

/** Loads datanets by id. */
export async function loadDatanets(db: ApiDb, ids: readonly string[]): Promise<(DatanetRow | null)[]> {
  const rows = await db.query<DatanetRow>('SELECT * FROM datanet WHERE id = ANY($1::text[])', [ids]);
  return alignByKey(ids, rows, (r) => r.id);
}

/** Loads accounts (contributors) by lowercase address. */
export async function loadAccounts(db: ApiDb, ids: readonly string[]): Promise<(AccountRow | null)[]> {
  const rows = await db.query<AccountRow>('SELECT * FROM account WHERE id = ANY($1::text[])', [ids]);
  return alignByKey(ids, rows, (r) => r.id);
}

/** Loads contributions by id. */
export async function loadContributions(db: ApiDb, ids: readonly string[]): Promise<(ContributionRow | null)[]> {
  const rows = await db.query<ContributionRow>('SELECT * FROM contribution WHERE id = ANY($1::text[])', [ids]);
  return alignByKey(ids, rows, (r) => r.id);
}

/** Loads fee splits by id. */
export async function loadFeeSplits(db: ApiDb, ids: readonly string[]): Promise<(FeeSplitRow | null)[]> {
  const rows = await db.query<FeeSplitRow>('SELECT * FROM fee_split WHERE id = ANY($1::text[])', [ids]);
  return alignByKey(ids, rows, (r) => r.id);
}

/** Loads models by id. */
export async function loadModels(db: ApiDb, ids: readonly string[]): Promise<(ModelRow | null)[]> {
  const rows = await db.query<ModelRow>('SELECT * FROM model WHERE id = ANY($1::text[])', [ids]);
  return alignByKey(ids, rows, (r) => r.id);
}

/** Loads, per model id, the known Datanets it was trained on (via `model_datanet`), by Datanet id. */
export async function loadModelDatanets(db: ApiDb, modelIds: readonly string[]): Promise<DatanetRow[][]> {
  const rows = await db.query<DatanetRow & { forModel: string }>(
    `SELECT md.model_id AS for_model, d.*
       FROM model_datanet md JOIN datanet d ON d.id = md.datanet_id
      WHERE md.model_id = ANY($1::text[])
      ORDER BY d.datanet_id`,
    [modelIds],
  );
  return groupByKey(modelIds, rows, (r) => r.forModel).map((list) => list.map(({ forModel: _, ...d }) => d));
}

/**
 * Aggregates, per contribution id, its attributions (all, eligible) and its CONTRIBUTOR-role earnings
 * from the attribution table (index on contribution_id); a contribution never attributed gets zeros.
 */
export async function loadContributionStats(db: ApiDb, ids: readonly string[]): Promise<ContributionStatsRow[]> {
  const rows = await db.query<ContributionStatsRow>(
    `SELECT contribution_id, count(*)::int AS attribution_count,
            (count(*) FILTER (WHERE eligible))::int AS eligible_attribution_count,
            coalesce(sum(amount), 0)::text AS earned
       FROM attribution WHERE contribution_id = ANY($1::text[])
      GROUP BY contribution_id`,
    [ids],
  );
  return alignByKey(ids, rows, (r) => r.contributionId).map(
    (r, i) => r ?? { contributionId: ids[i], attributionCount: 0, eligibleAttributionCount: 0, earned: '0' },
  );
}

/** The sums of {@link loadPayoutTotals} over `account_epoch ae LEFT JOIN epoch e` (null without rows). */
export const PAYOUT_TOTALS_COLUMNS = `sum(ae.claimed)::text AS claimed,
  sum(CASE WHEN e.closed THEN greatest(ae.total - ae.claimed, 0) ELSE 0 END)::text AS claimable,
  sum(CASE WHEN e.closed THEN 0 ELSE ae.total END)::text AS pending`;

/**
 * Sums, per account, its `account_epoch` rows with their epoch's state, in numeric: claimed (what
 * the vault paid), claimable (closed epochs: total - claimed, never below 0) and pending (open epochs:
 * total). A row whose epoch row is missing counts as open. An account without rows gets zeros.
 */
export async function loadPayoutTotals(db: ApiDb, accounts: readonly string[]): Promise<PayoutTotalsRow[]> {
  const rows = await db.query<PayoutTotalsRow>(
    `SELECT ae.account, ${PAYOUT_TOTALS_COLUMNS}
       FROM account_epoch ae LEFT JOIN epoch e ON e.epoch = ae.epoch
      WHERE ae.account = ANY($1::text[])
      GROUP BY ae.account`,
    [accounts],
  );
  return alignByKey(accounts, rows, (r) => r.account).map(
    (r, i) => r ?? { account: accounts[i], claimed: '0', claimable: '0', pending: '0' },
  );
}

/** Key of {@link loadReputationAt}: an account (lowercase) and a block. */
export const reputationAtKey = (account: string, block: number) => `${account}@${block}`;

/**
 * Loads, per (account, block) key, the account's latest reputation_change row at or before the block
 * (null when none): one statement for all keys, each a backward scan of the (account, block_number) index.
 */
export async function loadReputationAt(db: ApiDb, keys: readonly string[]): Promise<(ReputationChangeRow | null)[]> {
  const parsed = keys.map((key) => {
    const at = key.lastIndexOf('@');
    return { account: key.slice(0, at), block: Number(key.slice(at + 1)) };
  });
  const rows = await db.query<ReputationChangeRow & { forKey: string }>(
    `SELECT k.for_key, r.*
       FROM unnest($1::text[], $2::int[], $3::text[]) AS k(account, block, for_key)
      CROSS JOIN LATERAL (
        SELECT * FROM reputation_change rc
         WHERE rc.account = k.account AND rc.block_number <= k.block
         ORDER BY rc.block_number DESC LIMIT 1) r`,
    [parsed.map((p) => p.account), parsed.map((p) => p.block), keys],
  );
  return alignByKey(keys, rows, (r) => r.forKey).map((r) => {
    if (!r) return null;
    const { forKey: _, ...row } = r;
    return row;
  });
}
