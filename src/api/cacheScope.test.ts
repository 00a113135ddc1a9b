// Which answers the response cache may keep across a commit: only contributor pages that read the
// account's own rows; anything else (or anything it cannot read) is global.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getOperationAST, parse } from 'graphql';
import { accountScope, documentFragments } from './cacheScope';
import { documentedQueries } from '../test/documentedQueries';

const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const a = A.toLowerCase();
const B = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';

const scope = (query: string, variables?: Record<string, unknown>, operationName?: string) => {
  const document = parse(query);
  return accountScope(getOperationAST(document, operationName)!, documentFragments(document), variables);
};

describe('accountScope', () => {
  test('the documented contributor page depends on its address alone, lowercased', () => {
    const page = documentedQueries().get('Contributor page');
    assert.ok(page);
    assert.deepEqual(scope(page, { address: A }), [a]);
  });

  test('literal addresses, aliases, fragments, inline fragments, __typename and several accounts', () => {
    assert.deepEqual(scope(`{ contributor(address: "${A}") { address } }`), [a]);
    assert.deepEqual(
      scope(`query { __typename x: contributor(address: "${A}") { ...F } y: contributor(address: "${B}") { ... on Contributor { earnedTotal __typename } } }
             fragment F on Contributor { claimable payouts(first: 2, after: "c", epoch: "3") { totalCount pageInfo { endCursor hasNextPage }
               edges { cursor node { epoch total epochClosed __typename } } } reputation { score updatedAtBlock } payoutTotals { claimed } }`),
      [a, B],
    );
    // The same address twice is one account.
    assert.deepEqual(
      scope(`{ p: contributor(address: "${A}") { address } q: contributor(address: "${a}") { pending } }`),
      [a],
    );
    // The operation asked for, among several.
    const two = `query One { contributor(address: "${A}") { address } } query Two { datanets { totalCount } }`;
    assert.deepEqual(scope(two, {}, 'One'), [a]);
    assert.equal(scope(two, {}, 'Two'), null);
  });

  test('anything that reads other rows, history or another root is global (null)', () => {
    const global = [
      // Rows of other tables below the contributor.
      `{ contributor(address: "${A}") { contributions { totalCount } } }`,
      `{ contributor(address: "${A}") { claims { totalCount } } }`,
      `{ contributor(address: "${A}") { slashes { totalCount } } }`,
      // History rows (time travel).
      `{ contributor(address: "${A}") { reputation(asOfBlock: 5) { score } } }`,
      `{ contributor(address: "${A}") { reputation { history { totalCount } } } }`,
      `{ contributor(address: "${A}") { reputationAt(block: 5) { score } } }`,
      `{ contributor(address: "${A}") { payouts(asOfBlock: 5) { totalCount } } }`,
      `{ contributor(address: "${A}") { payoutTotals(asOfBlock: 5) { claimed } } }`,
      // Another root beside it, or instead of it.
      `{ contributor(address: "${A}") { address } _meta { indexedHeight } }`,
      `{ contributor(address: "${A}") { address } epochs { totalCount } }`,
      `{ contributorLeaderboard(by: EARNINGS) { totalCount } }`,
      // A field it does not know, or a subselection where a leaf is expected.
      `{ contributor(address: "${A}") { address nonsense } }`,
      `{ contributor(address: "${A}") { payouts { edges { node { epoch nonsense } } } } }`,
      // An address that is not a string: the resolver's error, never cached.
      `{ contributor(address: 5) { address } }`,
      `query ($a: String!) { contributor(address: $a) { address } }`,
      '{ __typename }',
    ];
    for (const q of global) assert.equal(scope(q), null, q);
    assert.equal(scope(`query ($a: String!) { contributor(address: $a) { address } }`, { a: 7 }), null);
  });
});
