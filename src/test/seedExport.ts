/**
 * Synthetic payout tables for the CSV export's tests and benchmark: one epoch of `rows` accounts,
 * generated in SQL (generate_series), and the same rows computed again in TypeScript with bigints so a
 * test can compare the CSV against a second computation.
 */

/** The account of synthetic row i (1-based): i in hex, as a 20-byte address. */
export function syntheticAccount(i: number): string {
  return `0x${i.toString(16).padStart(40, '0')}`;
}

/** What synthetic row i holds (wei): amounts far above 2^64, exact only as integers. */
export function syntheticRow(i: number): {
  account: string;
  asContributor: bigint;
  asDatanetOwner: bigint;
  asModelOwner: bigint;
  total: bigint;
  claimed: bigint;
} {
  const n = BigInt(i);
  const asContributor = n * 1_000_000_000_000_000_007n;
  const asDatanetOwner = (n % 7n) * 10n ** 20n;
  const asModelOwner = n % 13n === 0n ? 123_456_789_012_345_678_901_234_567n : 0n;
  const total = asContributor + asDatanetOwner + asModelOwner;
  // A third claimed their leaf; some others claimed 5 wei more than it (an anomaly the vault allowed).
  const claimed = n % 3n === 0n ? total : n % 11n === 0n ? total + 5n : 0n;
  return { account: syntheticAccount(i), asContributor, asDatanetOwner, asModelOwner, total, claimed };
}

/** Parameters of {@link seedSyntheticEpoch}. */
export interface SyntheticEpochParameters {
  /** Runs one statement as the database owner. */
  query: (sql: string, params?: unknown[]) => Promise<unknown>;
  epoch: string;
  rows: number;
  closed: boolean;
}

/**
 * Inserts an epoch row and `rows` account_epoch rows (synthetic row 1..rows) for it, then ANALYZEs.
 * A closed epoch is marked reconciled.
 */
export async function seedSyntheticEpoch({ query, epoch, rows, closed }: SyntheticEpochParameters): Promise<void> {
  await query(
    `INSERT INTO account_epoch (id, epoch, account, as_contributor, as_datanet_owner, as_model_owner, total, claimed,
                                claim_count, last_claim_at_block, first_accrued_at_block, last_accrued_at_block)
     SELECT $1::text || '-' || a.account, $1::numeric, a.account, a.c, a.d, a.m, a.c + a.d + a.m,
            CASE WHEN i % 3 = 0 THEN a.c + a.d + a.m WHEN i % 11 = 0 THEN a.c + a.d + a.m + 5 ELSE 0 END,
            CASE WHEN i % 3 = 0 OR i % 11 = 0 THEN 1 ELSE 0 END,
            CASE WHEN i % 3 = 0 OR i % 11 = 0 THEN 20 END, 10, 10
       FROM generate_series(1, $2::int) AS i,
            LATERAL (SELECT '0x' || lpad(to_hex(i), 40, '0') AS account,
                            i::numeric * 1000000000000000007 AS c,
                            (i % 7)::numeric * 100000000000000000000 AS d,
                            (CASE WHEN i % 13 = 0 THEN 123456789012345678901234567 ELSE 0 END)::numeric AS m) AS a`,
    [epoch, rows],
  );
  await query(
    `INSERT INTO epoch (id, epoch, inference_count, total_fees, accrued_to_accounts, protocol_amount, closed,
                        posted_root, posted_total, recomputed_root, recomputed_total, reconciled, closed_at_block,
                        earning_accounts, claimed_total, claim_count)
     SELECT $1::text, $1::numeric, 0, 0, sum(total), 0, $2::boolean,
            CASE WHEN $2 THEN '0x' || repeat('ab', 32) END, CASE WHEN $2 THEN sum(total) END,
            CASE WHEN $2 THEN '0x' || repeat('ab', 32) END, CASE WHEN $2 THEN sum(total) END,
            CASE WHEN $2 THEN true END, CASE WHEN $2 THEN 30 END, count(*), sum(claimed), sum(claim_count)
       FROM account_epoch WHERE epoch = $1::numeric`,
    [epoch, closed],
  );
  await query('ANALYZE account_epoch');
}
