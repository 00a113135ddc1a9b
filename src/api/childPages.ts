// Lists below a parent row (a contributor's contributions, an epoch's payout table, an inference's
// attributions, ...) are loaded through per-request DataLoaders: every parent that asks for the same
// list with the same arguments in one tick shares one statement, each parent's page a LATERAL
// subquery that walks the same index a single page would. `totalCount` is batched the same way.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { ApiContext } from './context';
import {
  buildPageStatement,
  toConnection,
  Where,
  whereSql,
  type Connection,
  type Keyset,
  type PageArgs,
  type PageQuery,
  type PageStatement,
} from './pagination';

/** A page query below a parent: the filters of {@link PageQuery} plus the condition tying a row to its parent. */
export interface ChildPageQuery<Row> extends PageQuery<Row> {
  /**
   * SQL condition tying a row to its parent, given the SQL text of the parent key (a text
   * expression: cast it when the column is not text), e.g. ``(k) => `c.contributor_id = ${k}` ``.
   */
  parent: (key: string) => string;
}

/** A {@link ChildPageQuery} with no filters beyond the parent's. */
export function childPageQuery<Row>(
  select: string,
  from: string,
  keyset: Keyset<Row>,
  parent: (key: string) => string,
): ChildPageQuery<Row> {
  return { select, from, where: new Where(), keyset, parent };
}

type AnyConnection = Connection<unknown>;

/** Per request: one DataLoader per list shape (query, filters and page arguments), keyed by parent. */
const pageLoaders = createContextCache(() => new Map<string, DataLoader<string, AnyConnection>>());
const countLoaders = createContextCache(() => new Map<string, DataLoader<string, number>>());

/**
 * Returns one page of the list below `parentKey`. Parents asking for the same list (same query,
 * filters, `first` and `after`) in the same tick are loaded by one statement; `first` and `after`
 * are validated here, so a bad argument fails its field only (BAD_USER_INPUT naming it).
 */
export function findChildPage<Row>(
  ctx: ApiContext,
  query: ChildPageQuery<Row>,
  parentKey: string,
  args: PageArgs,
): Promise<Connection<Row>> {
  const statement = buildPageStatement(query, args);
  return childPageLoader(ctx, query, statement, args).load(parentKey) as Promise<Connection<Row>>;
}

/** The request's DataLoader of one list shape (query, filters, `first` and `after`). */
function childPageLoader<Row>(
  ctx: ApiContext,
  query: ChildPageQuery<Row>,
  statement: PageStatement,
  args: PageArgs,
): DataLoader<string, AnyConnection> {
  const shape = JSON.stringify([
    query.keyset.name,
    query.select,
    query.from,
    query.parent('?'),
    query.where.conditions,
    query.where.values,
    statement.first,
    args.after ?? null,
  ]);
  const loaders = pageLoaders(ctx);
  let loader = loaders.get(shape);
  if (!loader) {
    loader = new DataLoader((keys: readonly string[]) =>
      loadChildPages(ctx, query as ChildPageQuery<unknown>, statement, keys),
    );
    loaders.set(shape, loader);
  }
  return loader;
}

/**
 * The page of one parent as a subquery another statement can embed (e.g. a LATERAL join beside
 * the parent's row): its SQL with the parent key given as an SQL expression, and its parameters,
 * numbered from `$1`. {@link primeChildPage} then hands the rows to the field that asks for them.
 */
export function childPageSubquery<Row>(
  query: ChildPageQuery<Row>,
  args: PageArgs,
  parentSql: string,
  /** Also select each row's position in the page (1, 2, ...) under this name, to order the outer statement by. */
  rankAs?: string,
): { sql: string; values: unknown[]; statement: PageStatement } {
  const statement = buildPageStatement(query, args);
  return { sql: singlePageSql(query, statement, parentSql, rankAs), values: statement.values, statement };
}

/** One parent's page: the query's rows below `parentSql` (an SQL expression), filtered, ordered, limited. */
function singlePageSql<Row>(
  query: ChildPageQuery<Row>,
  { conditions, orderSql, limit }: PageStatement,
  parentSql: string,
  rankAs?: string,
): string {
  const rank = rankAs ? `, row_number() OVER (ORDER BY ${orderSql}) AS ${rankAs}` : '';
  return `SELECT ${query.select}${rank} FROM ${query.from} ${whereSql([query.parent(parentSql), ...conditions])}
        ORDER BY ${orderSql} LIMIT ${limit}`;
}

/**
 * Gives the request's loader of this list shape the page of `parentKey`, loaded elsewhere (rows in
 * list order, up to `first + 1`): the field resolving it later runs no statement.
 */
export function primeChildPage<Row>(
  ctx: ApiContext,
  query: ChildPageQuery<Row>,
  statement: PageStatement,
  args: PageArgs,
  parentKey: string,
  rows: Row[],
): void {
  const count = () => countChildRows(ctx, query as ChildPageQuery<unknown>, parentKey);
  childPageLoader(ctx, query, statement, args).prime(
    parentKey,
    toConnection(query.keyset, statement, rows, count) as AnyConnection,
  );
}

async function loadChildPages(
  ctx: ApiContext,
  query: ChildPageQuery<unknown>,
  statement: PageStatement,
  keys: readonly string[],
): Promise<AnyConnection[]> {
  const { values, conditions, orderSql, limit } = statement;
  const count = (key: string) => countChildRows(ctx, query, key);
  if (keys.length === 1) {
    // One parent (the usual top-level case): the plain statement, the same plan as any page.
    const rows = await ctx.db.query(singlePageSql(query, statement, `$${values.length + 1}`), [...values, keys[0]]);
    return [toConnection(query.keyset, statement, rows, () => count(keys[0]))];
  }
  const parents = `$${values.length + 1}`;
  const rows = await ctx.db.query<Record<string, unknown>>(
    `SELECT k.batch_parent, batch_page.*
       FROM unnest(${parents}::text[]) WITH ORDINALITY AS k(batch_parent, batch_ord)
      CROSS JOIN LATERAL (
        SELECT ${query.select}, row_number() OVER (ORDER BY ${orderSql}) AS batch_rank
          FROM ${query.from} ${whereSql([query.parent('k.batch_parent'), ...conditions])}
         ORDER BY ${orderSql} LIMIT ${limit}) batch_page
      ORDER BY k.batch_ord, batch_page.batch_rank`,
    [...values, keys],
  );
  const byParent = new Map<string, unknown[]>(keys.map((key) => [key, []]));
  for (const { batchParent, batchRank: _, ...row } of rows) byParent.get(batchParent as string)!.push(row);
  return keys.map((key) => toConnection(query.keyset, statement, byParent.get(key)!, () => count(key)));
}

/** Counts the rows of the list below `parentKey` (filters, no cursor), batched like the pages. */
function countChildRows(ctx: ApiContext, query: ChildPageQuery<unknown>, parentKey: string): Promise<number> {
  const { conditions, values } = query.where;
  const shape = JSON.stringify([query.from, query.parent('?'), conditions, values]);
  const loaders = countLoaders(ctx);
  let loader = loaders.get(shape);
  if (!loader) {
    loader = new DataLoader(async (keys: readonly string[]) => {
      const parents = `$${values.length + 1}`;
      const rows = await ctx.db.query<{ batchParent: string; n: number }>(
        `SELECT k.batch_parent,
                (SELECT count(*)::int FROM ${query.from} ${whereSql([query.parent('k.batch_parent'), ...conditions])}) AS n
           FROM unnest(${parents}::text[]) AS k(batch_parent)`,
        [...values, keys],
      );
      const byParent = new Map(rows.map((r) => [r.batchParent, r.n]));
      return keys.map((key) => byParent.get(key) ?? 0);
    });
    loaders.set(shape, loader);
  }
  return loader.load(parentKey);
}
