import type { ApiDb } from './db';
import { badUserInput } from './errors';

/** Page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest `first` accepted. */
export const MAX_PAGE_SIZE = 1000;

/** The forward pagination arguments every list takes. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * One column of an ordering key: its SQL expression, its type (for the cursor's cast) and its
 * value in a row. Text keys use `COLLATE "C"` (byte order) so the order does not depend on the locale.
 */
export interface KeyColumn<Row> {
  expr: string;
  type: 'numeric' | 'int' | 'text';
  of(row: Row): string | number;
  /** This column's direction when it differs from the keyset's (e.g. amount DESC, then address ASC). */
  direction?: 'ASC' | 'DESC';
}

/** A total order over a list's rows (the last column must make it unique); cursors carry its values. */
export interface Keyset<Row> {
  /** Written into cursors, so a cursor of another list or order is refused. */
  name: string;
  /** Direction of every column that does not set its own. */
  direction: 'ASC' | 'DESC';
  keys: KeyColumn<Row>[];
}

/** A relay connection whose `totalCount` runs its COUNT only when called. */
export interface Connection<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/** Accumulates SQL conditions and their parameters (`$1`, `$2`, ...) for a WHERE clause. */
export class Where {
  readonly conditions: string[] = [];
  readonly values: unknown[] = [];

  /** Adds a parameter and returns its placeholder. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Adds a condition (joined with AND). */
  and(condition: string): this {
    this.conditions.push(condition);
    return this;
  }
}

/** One page query: what to select, from where, filtered how, in which order. */
export interface PageQuery<Row> {
  select: string;
  from: string;
  where: Where;
  keyset: Keyset<Row>;
}

/** Validates `first` (default 50, 0..1000) and returns the page size. */
export function parseFirst(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE} (got ${first}).`);
  }
  return first;
}

/** Encodes an opaque cursor: base64url of the keyset name and the ordering key values. */
export function encodeCursor(name: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([name, ...values]), 'utf8').toString('base64url');
}

/** Decodes and checks a cursor against a keyset; a malformed or foreign cursor is BAD_USER_INPUT on `after`. */
export function decodeCursor<Row>(keyset: Keyset<Row>, cursor: string): (string | number)[] {
  const refuse = (why: string) =>
    badUserInput('after', `is not a valid cursor for this list (${why}): pass an endCursor returned by the same list.`);
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('not an encoded cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== keyset.keys.length + 1) throw refuse('wrong shape');
  if (parsed[0] !== keyset.name) throw refuse('cursor of another list or order');
  const values = parsed.slice(1) as unknown[];
  keyset.keys.forEach((key, i) => {
    const v = values[i];
    const ok =
      key.type === 'int'
        ? Number.isSafeInteger(v)
        : key.type === 'numeric'
          ? typeof v === 'string' && /^-?[0-9]{1,80}$/.test(v)
          : typeof v === 'string' && v.length <= 1000;
    if (!ok) throw refuse('bad key value');
  });
  return values as (string | number)[];
}

/** The SQL pieces of one page: conditions (filters and cursor), ORDER BY and LIMIT, with their parameters. */
export interface PageStatement {
  /** Page size asked for (rows fetched: one more, to learn `hasNextPage`). */
  first: number;
  /** Decoded `after` cursor values, or null on the first page. */
  after: (string | number)[] | null;
  conditions: string[];
  values: unknown[];
  orderSql: string;
  /** Placeholder of the LIMIT (`first + 1`). */
  limit: string;
}

/**
 * Validates `first` / `after` and builds the conditions, order and limit of a keyset page
 * (parameters numbered after the filters'); throws BAD_USER_INPUT naming the argument.
 */
export function buildPageStatement<Row>(query: PageQuery<Row>, args: PageArgs): PageStatement {
  const first = parseFirst(args.first);
  const { keyset, where } = query;
  const after = args.after != null ? decodeCursor(keyset, args.after) : null;
  const values = [...where.values];
  const conditions = [...where.conditions];
  const directionOf = (k: KeyColumn<Row>) => k.direction ?? keyset.direction;
  if (after) {
    const placeholders = keyset.keys.map((key, i) => {
      values.push(after[i]);
      return `$${values.length}::${key.type}`;
    });
    const opOf = (k: KeyColumn<Row>) => (directionOf(k) === 'ASC' ? '>' : '<');
    if (keyset.keys.every((k) => directionOf(k) === keyset.direction)) {
      // One direction: a row-value comparison, which an index on the key columns serves.
      const op = opOf(keyset.keys[0]);
      const lhs = keyset.keys.map((k) => k.expr).join(', ');
      conditions.push(
        keyset.keys.length === 1 ? `${lhs} ${op} ${placeholders[0]}` : `(${lhs}) ${op} (${placeholders.join(', ')})`,
      );
    } else {
      // Mixed directions: (k1 op1 v1) OR (k1 = v1 AND k2 op2 v2) OR ..., with the redundant bound
      // k1 op1= v1 in front so an index on k1 starts at the cursor instead of filtering up to it.
      const branches = keyset.keys.map((key, i) =>
        [
          ...keyset.keys.slice(0, i).map((k, j) => `${k.expr} = ${placeholders[j]}`),
          `${key.expr} ${opOf(key)} ${placeholders[i]}`,
        ].join(' AND '),
      );
      const first = keyset.keys[0];
      conditions.push(`${first.expr} ${opOf(first)}= ${placeholders[0]}`, `((${branches.join(') OR (')}))`);
    }
  }
  const orderSql = keyset.keys.map((k) => `${k.expr} ${directionOf(k)}`).join(', ');
  values.push(first + 1);
  return { first, after, conditions, values, orderSql, limit: `$${values.length}` };
}

/** Turns the rows of a page statement (`first + 1` at most) into a connection with a lazy count. */
export function toConnection<Row>(
  keyset: Keyset<Row>,
  statement: Pick<PageStatement, 'first' | 'after'>,
  rows: Row[],
  totalCount: () => Promise<number>,
): Connection<Row> {
  const hasNextPage = rows.length > statement.first;
  const page = hasNextPage ? rows.slice(0, statement.first) : rows;
  const edges = page.map((node) => ({
    node,
    cursor: encodeCursor(
      keyset.name,
      keyset.keys.map((k) => k.of(node)),
    ),
  }));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: statement.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (total ??= totalCount()),
  };
}

/** SQL of a WHERE clause over `conditions` (empty when there are none). */
export const whereSql = (conditions: readonly string[]) =>
  conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';

/**
 * Runs a keyset page query: rows after the cursor in keyset order, `first + 1` fetched to learn
 * `hasNextPage`; the COUNT for `totalCount` (same filters, no cursor) runs only if asked for.
 */
export async function findPage<Row>(db: ApiDb, query: PageQuery<Row>, args: PageArgs): Promise<Connection<Row>> {
  const statement = buildPageStatement(query, args);
  const rows = await db.query<Row>(
    `SELECT ${query.select} FROM ${query.from} ${whereSql(statement.conditions)} ORDER BY ${statement.orderSql} LIMIT ${statement.limit}`,
    statement.values,
  );
  return toConnection(query.keyset, statement, rows, () => countRows(db, query));
}

async function countRows<Row>(db: ApiDb, query: PageQuery<Row>): Promise<number> {
  const { conditions, values } = query.where;
  const row = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${query.from} ${whereSql(conditions)}`,
    values,
  );
  return row?.n ?? 0;
}
