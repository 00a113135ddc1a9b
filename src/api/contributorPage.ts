// The contributor page in one statement: the account row, its payout totals and the first page of
// its per-epoch payouts side by side (a LATERAL aggregate and a LATERAL page), when the query asks
// for them. The DataLoaders of the fields that answer them are primed, so those fields run nothing.
import { getArgumentValues, isObjectType, getNamedType, Kind, type GraphQLResolveInfo } from 'graphql';
import { childPageSubquery, primeChildPage } from './childPages';
import type { ApiContext } from './context';
import { camelRow } from './db';
import { PAYOUT_TOTALS_COLUMNS } from './loaders';
import type { PageArgs } from './pagination';
import { accountPayoutsQuery } from './payoutQueries';
import type { AccountEpochRow, AccountRow, PayoutTotalsRow } from './rows';

/**
 * The page arguments of the one `payouts` selection directly below this field, when it can be
 * folded into the lookup: no `epoch` or `asOfBlock` (those read other rows), valid `first`/`after`
 * (a bad one is left for the field to refuse). Null when there is none, several, or it cannot be.
 */
export function foldablePayouts(info: GraphQLResolveInfo): FoldedPayouts | null {
  const type = getNamedType(info.returnType);
  const field = isObjectType(type) ? type.getFields().payouts : undefined;
  if (!field) return null;
  const nodes = info.fieldNodes.flatMap((n) =>
    (n.selectionSet?.selections ?? []).filter((s) => s.kind === Kind.FIELD && s.name.value === 'payouts'),
  );
  if (nodes.length !== 1 || nodes[0].kind !== Kind.FIELD) return null;
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, nodes[0], info.variableValues);
  } catch {
    return null;
  }
  if (args.epoch != null || args.asOfBlock != null) return null;
  const page = { first: args.first as number | null | undefined, after: args.after as string | null | undefined };
  try {
    return { args: page, subquery: childPageSubquery(accountPayoutsQuery(), page, 'a.id', 'page_rank') };
  } catch {
    return null;
  }
}

/** The `payouts` page a lookup folds in: its arguments and its subquery (parent `a.id`, ranked as `page_rank`). */
export interface FoldedPayouts {
  args: PageArgs;
  subquery: ReturnType<typeof childPageSubquery>;
}

/**
 * Loads the account row, and in the same statement its payout totals (`totals`) and the page of its
 * payouts (`payouts`, from {@link foldablePayouts}), priming the loaders of `claimed`/`claimable`/`pending`
 * and of `payouts`. Null for an unknown address.
 */
export async function loadContributorPage(
  ctx: ApiContext,
  address: string,
  wanted: { totals: boolean; payouts: FoldedPayouts | null },
  primeTotals: (totals: PayoutTotalsRow) => void,
): Promise<AccountRow | null> {
  const query = accountPayoutsQuery();
  const page = wanted.payouts?.subquery ?? null;
  const values = page ? [...page.values] : [];
  values.push(address);
  const totals = wanted.totals
    ? `CROSS JOIN LATERAL (SELECT ${PAYOUT_TOTALS_COLUMNS} FROM account_epoch ae LEFT JOIN epoch e ON e.epoch = ae.epoch
         WHERE ae.account = a.id) t`
    : '';
  const pageJoin = page ? `LEFT JOIN LATERAL (${page.sql}) p ON true` : '';
  const { columns, rows } = await ctx.db.queryArrays(
    `SELECT a.*${wanted.totals ? ', t.claimed AS payout_claimed, t.claimable AS payout_claimable, t.pending AS payout_pending' : ''},
            NULL AS page_marker${page ? ', p.*' : ''}
       FROM account a ${totals} ${pageJoin}
      WHERE a.id = $${values.length}${page ? ' ORDER BY p.page_rank' : ''}`,
    values,
  );
  if (rows.length === 0) return null;
  const marker = columns.indexOf('page_marker');
  const objectOf = (row: unknown[], from: number, to: number) => {
    const out: Record<string, unknown> = {};
    for (let i = from; i < to; i++) out[columns[i]] = row[i];
    return out;
  };
  const head = objectOf(rows[0], 0, marker);
  const { payout_claimed, payout_claimable, payout_pending, ...accountColumns } = head;
  const account = camelRow<AccountRow>(accountColumns);
  if (wanted.totals) {
    primeTotals({
      account: account.id,
      claimed: (payout_claimed as string | null) ?? '0',
      claimable: (payout_claimable as string | null) ?? '0',
      pending: (payout_pending as string | null) ?? '0',
    });
  }
  if (page) {
    const pageRows = rows
      .map((row) => objectOf(row, marker + 1, columns.length))
      .filter((row) => row.page_rank != null)
      .map(({ page_rank: _, ...row }) => camelRow<AccountEpochRow>(row));
    primeChildPage(ctx, query, page.statement, wanted.payouts!.args, account.id, pageRows);
  }
  return account;
}
