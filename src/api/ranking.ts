// Ranked keyset pages for the leaderboards: the rank of each row comes from the cursor, never from
// a COUNT over the rows ahead, so page 10,000 costs what page 1 costs.
import type { ApiDb } from './db';
import { badUserInput } from './errors';
import { encodeCursor, findPage, type Connection, type PageArgs, type PageQuery } from './pagination';

/**
 * Where the last row of a page stands: its 1-based position in the order and its competition rank.
 * With the row's ordering key (which holds its value) this is all the next page needs.
 */
export interface RankState {
  position: number;
  rank: number;
  /** The ranked value of that row (decimal string), to tell whether the next row ties with it. */
  value: string;
}

/** A row of a leaderboard page. */
export interface Ranked<Row> {
  /** Competition rank ("1224"): 1 + the number of rows with a strictly larger value. */
  rank: number;
  /** 1-based place in the order (equal values ordered by id, larger id first). */
  position: number;
  /** The ranked value (decimal string). */
  value: string;
  row: Row;
}

/**
 * Assigns positions and competition ranks to the rows of a page that follows `after` (null on the
 * first page): a row equal in value to the previous one shares its rank, any other row's rank is its
 * position. `valueOf` gives a row's ranked value as a canonical decimal string.
 */
export function assignRanks<Row>(
  rows: readonly Row[],
  after: RankState | null,
  valueOf: (row: Row) => string,
): Ranked<Row>[] {
  let prev = after;
  return rows.map((row) => {
    const value = valueOf(row);
    const position = (prev?.position ?? 0) + 1;
    const rank = prev !== null && prev.value === value ? prev.rank : position;
    prev = { position, rank, value };
    return { rank, position, value, row };
  });
}

/**
 * Encodes a leaderboard cursor: the keyset name, the ordering key values (the first is the ranked
 * value), then the row's position and rank. Opaque base64url like every other cursor.
 */
export function encodeRankCursor(name: string, keyValues: readonly (string | number)[], state: RankState): string {
  return Buffer.from(JSON.stringify([name, ...keyValues, state.position, state.rank]), 'utf8').toString('base64url');
}

/**
 * Splits a leaderboard cursor into the plain keyset cursor `findPage` takes and the rank state of
 * its row. A cursor of another list, a plain cursor, or one whose position and rank cannot be
 * (1 <= rank <= position, safe integers) is BAD_USER_INPUT on `after`.
 */
export function decodeRankCursor(
  name: string,
  keyCount: number,
  cursor: string,
): { keyCursor: string; state: RankState } {
  const refuse = (why: string) =>
    badUserInput(
      'after',
      `is not a valid cursor for this leaderboard (${why}): pass an endCursor of the same leaderboard.`,
    );
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('not an encoded cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== keyCount + 3) throw refuse('wrong shape');
  if (parsed[0] !== name) throw refuse('cursor of another list or order');
  const keys = parsed.slice(1, 1 + keyCount) as (string | number)[];
  const [position, rank] = parsed.slice(1 + keyCount) as unknown[];
  if (!Number.isSafeInteger(position) || !Number.isSafeInteger(rank)) throw refuse('bad rank');
  if ((rank as number) < 1 || (rank as number) > (position as number)) throw refuse('bad rank');
  if (typeof keys[0] !== 'string' && typeof keys[0] !== 'number') throw refuse('bad key value');
  return {
    keyCursor: encodeCursor(name, keys),
    state: { position: position as number, rank: rank as number, value: String(keys[0]) },
  };
}

/**
 * Runs a leaderboard page: the keyset page of `query` (whose first key column is the ranked value,
 * the others break ties), each row with its position and competition rank carried on from the
 * cursor. Cursors are leaderboard cursors (see encodeRankCursor); `totalCount` counts the board.
 */
export async function findRankedPage<Row>(
  db: ApiDb,
  query: PageQuery<Row>,
  args: PageArgs,
): Promise<Connection<Ranked<Row>>> {
  const { keyset } = query;
  const decoded = args.after != null ? decodeRankCursor(keyset.name, keyset.keys.length, args.after) : null;
  const page = await findPage(db, query, { first: args.first, after: decoded?.keyCursor ?? null });
  const valueOf = (row: Row) => String(keyset.keys[0].of(row));
  const ranked = assignRanks(
    page.edges.map((e) => e.node),
    decoded?.state ?? null,
    valueOf,
  );
  const edges = ranked.map((node) => ({
    node,
    cursor: encodeRankCursor(
      keyset.name,
      keyset.keys.map((k) => k.of(node.row)),
      node,
    ),
  }));
  return {
    edges,
    pageInfo: {
      ...page.pageInfo,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: page.totalCount,
  };
}
