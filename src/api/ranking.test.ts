import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GraphQLError } from 'graphql';
import { encodeCursor } from './pagination';
import { assignRanks, decodeRankCursor, encodeRankCursor, type RankState } from './ranking';

const value = (r: { v: string }) => r.v;

/** Ranks `values` (already in board order) in pages of `size`, carrying the state like the cursors do. */
function rankInPages(values: string[], size: number): { rank: number; position: number }[] {
  const out: { rank: number; position: number }[] = [];
  let state: RankState | null = null;
  for (let i = 0; i < values.length; i += size) {
    const page = assignRanks(
      values.slice(i, i + size).map((v) => ({ v })),
      state,
      value,
    );
    out.push(...page.map(({ rank, position }) => ({ rank, position })));
    const last = page[page.length - 1];
    // Round-trip through an encoded cursor, as a client would.
    const cursor = encodeRankCursor('board:test', [last.value, '0xabc'], last);
    state = decodeRankCursor('board:test', 2, cursor).state;
  }
  return out;
}

describe('competition ranks carried across pages', () => {
  const cases: { name: string; values: string[]; ranks: number[] }[] = [
    { name: 'distinct values', values: ['9', '7', '5', '1'], ranks: [1, 2, 3, 4] },
    { name: 'a tie shares the rank and the next rank skips', values: ['9', '7', '7', '5'], ranks: [1, 2, 2, 4] },
    { name: 'a tie at the top', values: ['9', '9', '9', '1'], ranks: [1, 1, 1, 4] },
    { name: 'everything tied', values: ['3', '3', '3', '3', '3'], ranks: [1, 1, 1, 1, 1] },
    { name: 'ties at the end', values: ['8', '2', '2'], ranks: [1, 2, 2] },
    {
      name: 'several tie groups, wei-sized values',
      values: ['10000000000000000000000', '10000000000000000000000', '5', '5', '5', '4', '0'],
      ranks: [1, 1, 3, 3, 3, 6, 7],
    },
  ];
  for (const c of cases) {
    for (const size of [1, 2, 3, 100]) {
      test(`${c.name}, pages of ${size}`, () => {
        const got = rankInPages(c.values, size);
        assert.deepEqual(
          got.map((r) => r.rank),
          c.ranks,
        );
        assert.deepEqual(
          got.map((r) => r.position),
          c.values.map((_, i) => i + 1),
        );
      });
    }
  }

  test('a page continuing a tie that started on the previous page keeps its rank', () => {
    const page = assignRanks([{ v: '7' }, { v: '7' }, { v: '6' }], { position: 41, rank: 40, value: '7' }, value);
    assert.deepEqual(
      page.map(({ rank, position }) => [rank, position]),
      [
        [40, 42],
        [40, 43],
        [44, 44],
      ],
    );
  });
});

describe('leaderboard cursors', () => {
  const expectBadAfter = (fn: () => unknown) =>
    assert.throws(fn, (err: unknown) => {
      assert.ok(err instanceof GraphQLError);
      assert.equal(err.extensions.code, 'BAD_USER_INPUT');
      assert.match(err.message, /^Argument "after"/);
      return true;
    });

  test('round-trips the key values (to a plain keyset cursor) and the rank state', () => {
    const cursor = encodeRankCursor('board:earnings', ['1234', '0xab'], {
      position: 10_001,
      rank: 9_998,
      value: '1234',
    });
    const { keyCursor, state } = decodeRankCursor('board:earnings', 2, cursor);
    assert.equal(keyCursor, encodeCursor('board:earnings', ['1234', '0xab']));
    assert.deepEqual(state, { position: 10_001, rank: 9_998, value: '1234' });
  });

  test('an Int value (a reputation score) round-trips as its decimal string', () => {
    const cursor = encodeRankCursor('board:reputation', [812, '0xab'], { position: 3, rank: 2, value: '812' });
    assert.equal(decodeRankCursor('board:reputation', 2, cursor).state.value, '812');
  });

  test("refuses another board's cursor, a plain list cursor, garbage, and impossible ranks", () => {
    const ok = { position: 5, rank: 5, value: '1' };
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, encodeRankCursor('board:reputation', ['1', '0xa'], ok)));
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, encodeCursor('board:earnings', ['1', '0xa'])));
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, 'not a cursor!'));
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, Buffer.from('{"a":1}').toString('base64url')));
    const raw = (position: unknown, rank: unknown) =>
      Buffer.from(JSON.stringify(['board:earnings', '1', '0xa', position, rank])).toString('base64url');
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, raw(5, 6)));
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, raw(5, 0)));
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, raw('5', 1)));
    expectBadAfter(() => decodeRankCursor('board:earnings', 2, raw(2 ** 60, 1)));
  });
});
