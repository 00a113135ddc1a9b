import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'graphql';
import { computeQueryCost, LIST_SIZE_ESTIMATE } from './cost';
import { schema } from './schema';

const cost = (source: string, variables?: Record<string, unknown>, operationName?: string) =>
  computeQueryCost({ schema, document: parse(source), variables, operationName });

describe('computeQueryCost', () => {
  const cases: [string, string, number, Record<string, unknown>?][] = [
    ['a page counts its page size (default 50)', '{ datanets { edges { node { id } } } }', 50],
    [
      'totalCount, cursors and pageInfo are free',
      '{ datanets(first: 10) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }',
      10,
    ],
    [
      'each relation of a row counts once per row',
      '{ contributions(first: 100) { edges { node { id datanet { id } contributor { address } } } } }',
      300,
    ],
    [
      'nested page sizes multiply',
      '{ epochs(first: 5) { edges { node { accounts(first: 20) { edges { node { id } } } } } } }',
      5 + 5 * 20,
    ],
    [
      'the largest pages nested twice',
      '{ datanets(first: 1000) { edges { node { epochs(first: 1000) { edges { node { id } } } } } } }',
      1000 + 1000 * 1000,
    ],
    [
      'a first above the maximum counts as 1000 (its resolver refuses it)',
      '{ datanets(first: 5000) { totalCount } }',
      1000,
    ],
    ['first from a variable', 'query($n: Int) { datanets(first: $n) { edges { node { id } } } }', 7, { n: 7 }],
    ['first from a variable default', 'query($n: Int = 3) { datanets(first: $n) { edges { node { id } } } }', 3],
    ['an unset variable is the default page', 'query($n: Int) { datanets(first: $n) { edges { node { id } } } }', 50],
    [
      'fragments count where they are spread',
      'fragment E on Datanet { epochs(first: 4) { edges { node { id } } } } { datanets(first: 2) { edges { node { ...E } } } }',
      2 + 2 * 4,
    ],
    [
      'inline fragments count too',
      '{ datanets(first: 2) { edges { node { ... on Datanet { epochs(first: 4) { edges { node { id } } } } } } } }',
      2 + 2 * 4,
    ],
    ['every alias counts', '{ a: datanets(first: 2) { totalCount } b: datanets(first: 3) { totalCount } }', 5],
    [
      `a plain list of objects counts ${LIST_SIZE_ESTIMATE} rows`,
      '{ model(id: "1") { datanets { id epochs(first: 2) { totalCount } } } }',
      1 + LIST_SIZE_ESTIMATE + LIST_SIZE_ESTIMATE * 2,
    ],
    ['a single object counts 1', '{ contributor(address: "0x0") { address reputation { score } } }', 2],
    ['scalars and introspection are free', '{ __typename __schema { types { name fields { name } } } }', 0],
  ];
  for (const [name, source, expected, variables] of cases) {
    test(`${name}: ${expected}`, () => assert.equal(cost(source, variables), expected));
  }

  test('only the operation that runs is counted', () => {
    const source = 'query A { datanets(first: 3) { totalCount } } query B { epochs(first: 9) { totalCount } }';
    assert.equal(cost(source, undefined, 'A'), 3);
    assert.equal(cost(source, undefined, 'B'), 9);
    assert.equal(cost(source, undefined, 'C'), 0);
  });
});
