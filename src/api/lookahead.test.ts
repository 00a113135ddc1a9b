import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { selectedFieldNames } from './lookahead';

const schema = buildSchema(`
  type Query { item: Item }
  type Item { a: Int b: Int c: Int child: Item }
`);

/** The names selectedFieldNames sees below `item` in `source`. */
async function namesIn(source: string): Promise<string[]> {
  let seen: Set<string> | undefined;
  const rootValue = {
    item: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
      seen = selectedFieldNames(info);
      return {};
    },
  };
  const result = await graphql({ schema, source, rootValue });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return [...seen!].sort();
}

test('selectedFieldNames: direct fields, not the fields of children', async () => {
  assert.deepEqual(await namesIn('{ item { a child { b } } }'), ['a', 'child']);
});

test('selectedFieldNames: through inline fragments and named fragments (nested, each once)', async () => {
  assert.deepEqual(
    await namesIn(`{ item { ... on Item { a } ...F } } fragment F on Item { b ...G ...G } fragment G on Item { c }`),
    ['a', 'b', 'c'],
  );
});

test('selectedFieldNames: a field under @skip still counts (over-selecting is harmless), aliases count by field name', async () => {
  assert.deepEqual(await namesIn('{ item { x: a b @skip(if: true) } }'), ['a', 'b']);
});

test('selectedFieldNames: the same field selected twice merges both selections', async () => {
  assert.deepEqual(await namesIn('{ item { a } item { c } }'), ['a', 'c']);
});
