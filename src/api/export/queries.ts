// The SELECTs behind the CSV exports: one row per (epoch, account) of account_epoch, with the role
// breakdown as columns and the epoch's status beside it.
import { escapeLiteral } from 'pg';
import type { ExportRequest } from './request';

/**
 * The CSV columns, in order (the header row). Amounts are numeric wei printed as integers; booleans are
 * `true`/`false`; an empty field is SQL NULL.
 */
export const PAYOUT_CSV_COLUMNS = [
  'epoch',
  'epoch_status',
  'reconciled',
  'account',
  'as_contributor',
  'as_datanet_owner',
  'as_model_owner',
  'accrued',
  'claimed',
  'claimable',
  'pending',
] as const;

/**
 * account_epoch rows with their epoch's state. `epoch_status` is OPEN or CLOSED; `reconciled` (posted
 * root and total equal the recomputed ones) is empty while the epoch is open. claimable and pending
 * follow the API's rules (README "Rules"): a closed epoch's claimable is max(0, accrued - claimed).
 */
const PAYOUT_COLUMNS = `ae.epoch,
  CASE WHEN e.closed THEN 'CLOSED' ELSE 'OPEN' END AS epoch_status,
  CASE WHEN NOT e.closed THEN NULL WHEN e.reconciled THEN 'true' ELSE 'false' END AS reconciled,
  ae.account,
  ae.as_contributor,
  ae.as_datanet_owner,
  ae.as_model_owner,
  ae.total AS accrued,
  ae.claimed,
  CASE WHEN e.closed THEN greatest(ae.total - ae.claimed, 0) ELSE 0 END AS claimable,
  CASE WHEN e.closed THEN 0 ELSE ae.total END AS pending`;

/** What one export runs: an optional existence check (0 rows: 404) and the SELECT COPY streams. */
export interface ExportPlan {
  /** `attachment; filename=` of the download. */
  filename: string;
  /** A statement that must return a row, run in the export's snapshot before the COPY (none: no check). */
  check: { text: string; values: unknown[]; notFound: string; extensions: Record<string, unknown> } | null;
  /** The SELECT whose rows are the CSV (COPY takes no bind parameters: values are validated, then escaped literals). */
  select: string;
}

/** Plans an export: the epoch's payout table (largest accrual first) or an account's history (by epoch). */
export function planExport(request: ExportRequest): ExportPlan {
  if (request.kind === 'epoch') {
    const epoch = `${escapeLiteral(request.epoch)}::numeric`;
    return {
      filename: `payouts-epoch-${request.epoch}.csv`,
      check: {
        text: 'SELECT 1 FROM epoch WHERE epoch = $1::numeric',
        values: [request.epoch],
        notFound:
          `Epoch ${request.epoch} does not exist: no inference was settled into it, no EpochClosed or ` +
          'RewardClaimed named it (or the index has not reached it yet).',
        extensions: { parameter: 'epoch', epoch: request.epoch },
      },
      // Served by the index account_epoch (epoch, total, account), read backwards.
      select: `SELECT ${PAYOUT_COLUMNS}
  FROM account_epoch ae JOIN epoch e ON e.epoch = ae.epoch
  WHERE ae.epoch = ${epoch}
  ORDER BY ae.total DESC, ae.account DESC`,
    };
  }
  const where = [`ae.account = ${escapeLiteral(request.account)}`];
  if (request.fromEpoch !== null) where.push(`ae.epoch >= ${escapeLiteral(request.fromEpoch)}::numeric`);
  if (request.toEpoch !== null) where.push(`ae.epoch <= ${escapeLiteral(request.toEpoch)}::numeric`);
  const range =
    request.fromEpoch === null && request.toEpoch === null
      ? ''
      : `-epochs-${request.fromEpoch ?? '0'}-${request.toEpoch ?? 'last'}`;
  return {
    filename: `payouts-${request.account}${range}.csv`,
    check: null,
    // Served by the index account_epoch (account); an account has a row per epoch at most.
    select: `SELECT ${PAYOUT_COLUMNS}
  FROM account_epoch ae JOIN epoch e ON e.epoch = ae.epoch
  WHERE ${where.join(' AND ')}
  ORDER BY ae.epoch`,
  };
}
