import { Client } from 'pg';

/** Page size of every list in the benchmark (the API's default). */
export const BENCH_PAGE_SIZE = 50;
/** The deep page the issue names; a list too short for it is benched at its deepest full page. */
export const DEEP_PAGE_TARGET = 10_000;
/** Up to this many entities of each kind are sampled. */
const SAMPLE = 2000;
/** Deep requests spread over this many consecutive pages ending at the deep page. */
const DEEP_SPREAD = 100;

/** One deep page of the largest list: where it starts, for a cursor (ours) or an offset (Subsquid's). */
export interface DeepPage {
  page: number;
  offset: number;
  /** contributionId of the row before the page (the cursor's key). */
  afterId: string;
  /** contributionId of the page's first row (what both servers must answer with). */
  firstId: string;
}

/**
 * Entities sampled from the indexed database, so requests vary over many keys instead of one hot
 * key, and the deep pages of the largest list.
 */
export interface BenchFixtures {
  /** Addresses with at least one contribution. */
  contributors: string[];
  /** Datanet ids with at least one contribution. */
  datanets: string[];
  /** Addresses that bridged. */
  bridgeAccounts: string[];
  /** Epoch numbers with accruals. */
  epochs: string[];
  /** Positive leaves of closed epochs. */
  claims: { epoch: string; account: string }[];
  /** Rows of the largest list the API serves (contributions in contributionId order). */
  listRows: number;
  /** The page the deep requests end at: DEEP_PAGE_TARGET, or the deepest full page. */
  deepPage: number;
  deep: DeepPage[];
  /** First contributionId (page 1 must start with it). */
  firstContributionId: string;
}

/** Samples the fixtures in a deterministic order (by md5 of the key). */
export async function loadFixtures(dbUrl: string): Promise<BenchFixtures> {
  const client = new Client({ connectionString: dbUrl });
  await client.connect();
  const col = async (sql: string, params: unknown[] = []) =>
    (await client.query(sql, params)).rows.map((r) => String(Object.values(r)[0]));
  try {
    const contributors = await col(
      `SELECT id FROM account WHERE contribution_count > 0 ORDER BY md5(id) LIMIT ${SAMPLE}`,
    );
    const datanets = await col(`SELECT id FROM datanet WHERE contribution_count > 0 ORDER BY md5(id) LIMIT ${SAMPLE}`);
    const bridgeAccounts = await col(
      `SELECT account FROM (SELECT DISTINCT account FROM bridge_account_token) a ORDER BY md5(account) LIMIT ${SAMPLE}`,
    );
    const epochs = await col(`SELECT epoch::text FROM epoch WHERE earning_accounts > 0 ORDER BY epoch`);
    const claims = (
      await client.query(
        `SELECT ae.epoch::text AS epoch, ae.account FROM account_epoch ae JOIN epoch e ON e.epoch = ae.epoch
         WHERE e.closed AND ae.total > 0 ORDER BY md5(ae.id) LIMIT ${SAMPLE}`,
      )
    ).rows as { epoch: string; account: string }[];
    const listRows = Number((await client.query('SELECT count(*)::int AS n FROM contribution')).rows[0].n);
    const deepPage = Math.max(1, Math.min(DEEP_PAGE_TARGET, Math.floor(listRows / BENCH_PAGE_SIZE)));
    const pages: number[] = [];
    for (let page = Math.max(2, deepPage - DEEP_SPREAD + 1); page <= deepPage; page++) pages.push(page);
    // Row numbers (1-based) of the row before each page and of its first row, in one scan.
    const wantedRows = pages.flatMap((page) => [(page - 1) * BENCH_PAGE_SIZE, (page - 1) * BENCH_PAGE_SIZE + 1]);
    const byRow = new Map<number, string>();
    const numbered = await client.query(
      `SELECT rn::int AS rn, contribution_id::text AS id FROM (
         SELECT contribution_id, row_number() OVER (ORDER BY contribution_id) AS rn FROM contribution) t
       WHERE rn = ANY($1::bigint[])`,
      [wantedRows],
    );
    for (const r of numbered.rows as { rn: number; id: string }[]) byRow.set(r.rn, r.id);
    const deep = pages.map((page) => {
      const offset = (page - 1) * BENCH_PAGE_SIZE;
      return { page, offset, afterId: byRow.get(offset)!, firstId: byRow.get(offset + 1)! };
    });
    const [firstContributionId] = await col(
      'SELECT contribution_id::text FROM contribution ORDER BY contribution_id LIMIT 1',
    );
    return {
      contributors,
      datanets,
      bridgeAccounts,
      epochs,
      claims,
      listRows,
      deepPage,
      deep,
      firstContributionId: firstContributionId ?? '',
    };
  } finally {
    await client.end();
  }
}
