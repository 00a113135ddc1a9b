// SQL seeding for the leaderboard and time-travel tests: rows with every NOT NULL column defaulted,
// one at a time (parameters) or by the hundred thousand (generate_series). Not a test file.

type Db = { query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> };

const at = "timestamptz '2025-01-01T00:00:00Z'";

/** Per table, an SQL expression for every column a test may leave out (in the Init migration's names). */
const DEFAULTS: Record<string, Record<string, string>> = {
  account: {
    ...Object.fromEntries(
      [
        'contribution_count',
        'pending_count',
        'accepted_count',
        'rejected_count',
        'duplicate_count',
        'accepted_quality_sum',
        'slash_count',
        'slashed_amount',
        'eligible_attribution_count',
        'earned_as_contributor',
        'earned_as_datanet_owner',
        'earned_as_model_owner',
        'earned_total',
        'claimed_total',
        'inferences_paid',
        'fees_paid',
        'first_seen_block',
        'last_activity_block',
      ].map((c) => [c, '0']),
    ),
  },
  account_epoch: {
    as_contributor: '0',
    as_datanet_owner: '0',
    as_model_owner: '0',
    total: '0',
    claimed: '0',
    claim_count: '0',
    first_accrued_at_block: '0',
  },
  datanet_account: { earned: '0', paid_attribution_count: '1' },
  datanet: {
    owner: "'0x00000000000000000000000000000000000000d0'",
    name: "'d'",
    metadata_uri: "'ipfs://d'",
    status: "'ACTIVE'",
    ...Object.fromEntries(
      [
        'validator_count',
        'contribution_count',
        'pending_count',
        'accepted_count',
        'rejected_count',
        'duplicate_count',
        'total_size_bytes',
        'accepted_size_bytes',
        'slash_count',
        'slashed_amount',
        'attribution_count',
        'owner_earned',
        'contributors_earned',
        'earned_total',
        'created_at_block',
      ].map((c) => [c, '0']),
    ),
    created_at: at,
    created_tx_hash: "'0x'",
  },
  model: {
    owner: "'0x00000000000000000000000000000000000000e0'",
    name: "'m'",
    datanet_ids: "'{}'",
    ...Object.fromEntries(
      [
        'adapter_count',
        'inference_count',
        'total_fees',
        'owner_earned',
        'contributors_earned',
        'datanet_owners_earned',
        'protocol_earned',
        'created_at_block',
      ].map((c) => [c, '0']),
    ),
    created_at: at,
    created_tx_hash: "'0x'",
  },
  attribution: { position: '0', raw_contribution_id: '1', weight_ppm: '1000000', eligible: 'true', datanet_id: '1' },
  payout: {},
  reward_claim: { timestamp: at, tx_hash: "'0x'", log_index: '0' },
  epoch: {
    inference_count: '0',
    total_fees: '0',
    accrued_to_accounts: '0',
    protocol_amount: '0',
    closed: 'false',
    earning_accounts: '0',
    claimed_total: '0',
    claim_count: '0',
  },
  reputation_change: {
    timestamp: at,
    ...Object.fromEntries(
      [
        'acceptance_bps',
        'quality_bps',
        'impact_bps',
        'accepted',
        'rejected',
        'duplicates',
        'slashes',
        'accepted_quality_sum',
        'earned',
      ].map((c) => [c, '0']),
    ),
  },
  indexer_status: { id: "'head'", hash: "'0x'", timestamp: at, event_count: '0' },
};

/** Inserts rows given as column -> value (parameters); columns a row leaves out take the table's defaults (else NULL). */
export async function insertRows(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const given = [...new Set(chunk.flatMap((r) => Object.keys(r)))];
    const defaults = Object.entries(DEFAULTS[table]).filter(([c]) => !given.includes(c));
    const params: unknown[] = [];
    const tuples = chunk.map(
      (r) =>
        `(${[
          ...given.map((c) => {
            if (r[c] === undefined && c in DEFAULTS[table]) return DEFAULTS[table][c];
            params.push(r[c] === undefined ? null : r[c]);
            return `$${params.length}`;
          }),
          ...defaults.map(([, expr]) => expr),
        ].join(', ')})`,
    );
    const columns = [...given, ...defaults.map(([c]) => c)].map((c) => `"${c}"`).join(', ');
    await db.query(`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')}`, params);
  }
}

/**
 * Inserts `count` rows in one statement: `columns` maps a column to an SQL expression of `g` (1..count);
 * columns left out take the table's defaults.
 */
export async function insertSeries(
  db: Db,
  table: string,
  count: number,
  columns: Record<string, string>,
): Promise<void> {
  const all = { ...DEFAULTS[table], ...columns };
  const names = Object.keys(all)
    .map((c) => `"${c}"`)
    .join(', ');
  await db.query(
    `INSERT INTO ${table} (${names}) SELECT ${Object.values(all).join(', ')} FROM generate_series(1, ${count}) g`,
  );
}

/** A lowercase address whose last digits are `n` (hex), so addresses sort like their numbers. */
export function seriesAddress(n: number): string {
  return `0x${n.toString(16).padStart(40, '0')}`;
}

/** The SQL of {@link seriesAddress} for `g`. */
export const SERIES_ADDRESS = "'0x' || lpad(to_hex(g), 40, '0')";
