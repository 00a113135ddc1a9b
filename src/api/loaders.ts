import { alignByKey, groupByKey, type ApiDb } from './db';
import type { AccountRow, ContributionRow, ContributionStatsRow, DatanetRow, ModelRow } from './rows';

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
