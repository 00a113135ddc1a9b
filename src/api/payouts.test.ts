import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql } from 'graphql';
import type { AccountEpoch, ReputationChange } from '../model';
import { createChainHeadSource } from './chainHead';
import { createApiDb, type ApiDb } from './db';
import { silentLogger } from './log';
import { schema } from './schema';
import { setupApiFixture, type ApiFixture } from './test-fixtures';
import { CLOSED_EPOCH, epochTree, OPEN_EPOCH } from './test-seed-epochs';
import { ADDR } from './test-values';

let fx: ApiFixture;
let db: ApiDb;
before(async () => {
  fx = await setupApiFixture();
  db = createApiDb({ url: fx.dbUrl });
});
after(async () => {
  await db?.close();
  await fx?.close();
});

const E64 = 2n ** 64n;

/**
 * Walks a nested connection: `query` takes `$after: String` and `at` picks the connection out of the
 * data. Returns every node and the page sizes.
 */
async function walk(query: string, at: (d: any) => any, variables: Record<string, unknown> = {}) {
  const nodes: any[] = [];
  const pages: number[] = [];
  let afterCursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const conn = at(await fx.data(query, { ...variables, after: afterCursor }));
    nodes.push(...conn.edges.map((e: any) => e.node));
    pages.push(conn.edges.length);
    if (conn.edges.length) assert.equal(conn.pageInfo.endCursor, conn.edges.at(-1).cursor);
    if (!conn.pageInfo.hasNextPage) return { nodes, pages };
    afterCursor = conn.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

const PAGE = 'pageInfo { hasNextPage endCursor } edges { cursor node';
const PAYOUT_FIELDS = `id epoch account asContributor asDatanetOwner asModelOwner total claimed claimCount epochClosed
  claimable pending firstAccruedAtBlock lastClaimAtBlock`;

const rowsOf = (epoch: bigint) => fx.seed.accountEpochs.filter((r) => r.epoch === epoch);
const isClosed = (epoch: bigint) => fx.seed.epochs.find((e) => e.epoch === epoch)!.closed;
/** Byte order of ASCII strings (the API's COLLATE "C"). */
const byteCmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the API must serve for a row, computed from the seeded row and its epoch's state. */
function expectedPayout(r: AccountEpoch) {
  const closed = isClosed(r.epoch);
  const claimable = closed && r.total > r.claimed ? r.total - r.claimed : 0n;
  return {
    id: `${r.epoch}-${r.account}`,
    epoch: r.epoch.toString(),
    account: r.account,
    asContributor: r.asContributor.toString(),
    asDatanetOwner: r.asDatanetOwner.toString(),
    asModelOwner: r.asModelOwner.toString(),
    total: (r.asContributor + r.asDatanetOwner + r.asModelOwner).toString(),
    claimed: r.claimed.toString(),
    claimCount: r.claimCount,
    epochClosed: closed,
    claimable: claimable.toString(),
    pending: (closed ? 0n : r.total).toString(),
    firstAccruedAtBlock: r.firstAccruedAtBlock,
    lastClaimAtBlock: r.lastClaimAtBlock ?? null,
  };
}

/** The closed epoch's tree, built here from the seeded rows. */
const closedTree = () => epochTree(fx.seed.accountEpochs, CLOSED_EPOCH);

describe('epochs', () => {
  test('a closed epoch reports its recomputed root and total, reconciliation, difference and claims', async () => {
    const { leaves, tree } = closedTree();
    const recomputedTotal = leaves.reduce((s, [, a]) => s + BigInt(a), 0n);
    const posted = fx.seed.epochs.find((e) => e.epoch === CLOSED_EPOCH)!;
    const rows = rowsOf(CLOSED_EPOCH);
    const d = await fx.data(`{ epoch(number: "${CLOSED_EPOCH}") { closed postedRoot postedTotal recomputedRoot
      recomputedTotal reconciled totalDifference earningAccounts claimedTotal claimCount } }`);
    assert.deepEqual(d.epoch, {
      closed: true,
      postedRoot: posted.postedRoot,
      postedTotal: posted.postedTotal!.toString(),
      recomputedRoot: tree.root,
      recomputedTotal: recomputedTotal.toString(),
      reconciled: posted.postedRoot === tree.root && posted.postedTotal === recomputedTotal,
      totalDifference: (posted.postedTotal! - recomputedTotal).toString(),
      earningAccounts: leaves.length,
      claimedTotal: rows.reduce((s, r) => s + r.claimed, 0n).toString(),
      claimCount: rows.reduce((s, r) => s + r.claimCount, 0),
    });
    assert.ok(recomputedTotal > E64);
    assert.equal(d.epoch.reconciled, false); // the seed posts 1000 wei more than the leaves
    assert.equal(d.epoch.totalDifference, '1000');
  });

  test('an open epoch has no recomputed state (null) and counts its earning accounts', async () => {
    const d = await fx.data(`{ epoch(number: "${OPEN_EPOCH}") { closed recomputedRoot recomputedTotal reconciled
      totalDifference earningAccounts claimedTotal claimCount } }`);
    assert.deepEqual(d.epoch, {
      closed: false,
      recomputedRoot: null,
      recomputedTotal: null,
      reconciled: null,
      totalDifference: null,
      earningAccounts: rowsOf(OPEN_EPOCH).filter((r) => r.total > 0n).length,
      claimedTotal: '0',
      claimCount: 0,
    });
  });

  test('epoch.accounts is the payout table by total DESC then address, paged, with claimable and pending', async () => {
    for (const epoch of [CLOSED_EPOCH, OPEN_EPOCH]) {
      const expected = [...rowsOf(epoch)]
        .sort((a, b) => (a.total === b.total ? byteCmp(a.account, b.account) : a.total > b.total ? -1 : 1))
        .map(expectedPayout);
      const { nodes, pages } = await walk(
        `query($after: String) { epoch(number: "${epoch}") { accounts(first: 2, after: $after) { ${PAGE} { ${PAYOUT_FIELDS} } } } } }`,
        (d) => d.epoch.accounts,
      );
      assert.deepEqual(nodes, expected, `epoch ${epoch}`);
      assert.deepEqual(
        pages,
        expected
          .map((_, i) => i)
          .filter((i) => i % 2 === 0)
          .map((i) => Math.min(2, expected.length - i)),
      );
      const count = await fx.data(`{ epoch(number: "${epoch}") { accounts(first: 0) { totalCount } } }`);
      assert.equal(count.epoch.accounts.totalCount, expected.length);
    }
    // The tie on total (ownerA, modelOwner) is broken by address; the claim-only row is last, claimable 0.
    const closed = await fx.data(
      `{ epoch(number: "${CLOSED_EPOCH}") { accounts { edges { node { account total claimable } } } } }`,
    );
    const accounts = closed.epoch.accounts.edges.map((e: any) => e.node.account);
    assert.ok(accounts.indexOf(ADDR.modelOwner) + 1 === accounts.indexOf(ADDR.ownerA));
    assert.deepEqual(closed.epoch.accounts.edges.at(-1).node, { account: ADDR.ownerB, total: '0', claimable: '0' });
  });

  test('epoch.datanets and epoch.models list the per-epoch totals by numeric id, paged', async () => {
    const expected = fx.seed.datanetEpochs
      .filter((r) => r.epoch === CLOSED_EPOCH)
      .sort((a, b) => Number(a.datanet.datanetId - b.datanet.datanetId))
      .map((r) => ({
        id: r.id,
        datanetId: r.datanet.id,
        datanet: { name: r.datanet.name },
        epoch: r.epoch.toString(),
        eligibleAttributionCount: r.eligibleAttributionCount,
        contributorsEarned: r.contributorsEarned.toString(),
        ownerEarned: r.ownerEarned.toString(),
      }));
    const { nodes, pages } = await walk(
      `query($after: String) { epoch(number: "${CLOSED_EPOCH}") { datanets(first: 2, after: $after) { ${PAGE} {
        id datanetId datanet { name } epoch eligibleAttributionCount contributorsEarned ownerEarned } } } } }`,
      (d) => d.epoch.datanets,
    );
    assert.deepEqual(nodes, expected);
    assert.deepEqual(pages, [2, 1]);
    const m = fx.seed.modelEpochs.find((r) => r.epoch === OPEN_EPOCH)!;
    const models =
      await fx.data(`{ epoch(number: "${OPEN_EPOCH}") { models { totalCount edges { node { id modelId model { name }
      epoch inferenceCount fees ownerEarned contributorsEarned datanetOwnersEarned protocolEarned } } } } }`);
    assert.deepEqual(models.epoch.models, {
      totalCount: 1,
      edges: [
        {
          node: {
            id: m.id,
            modelId: m.model.id,
            model: { name: m.model.name },
            epoch: m.epoch.toString(),
            inferenceCount: m.inferenceCount,
            fees: m.fees.toString(),
            ownerEarned: m.ownerEarned.toString(),
            contributorsEarned: m.contributorsEarned.toString(),
            datanetOwnersEarned: m.datanetOwnersEarned.toString(),
            protocolEarned: m.protocolEarned.toString(),
          },
        },
      ],
    });
    const empty = await fx.data(
      '{ epoch(number: "10") { accounts { totalCount } datanets { totalCount } models { totalCount } } }',
    );
    assert.deepEqual(empty.epoch, {
      accounts: { totalCount: 0 },
      datanets: { totalCount: fx.seed.datanetEpochs.filter((r) => r.epoch === 10n).length },
      models: { totalCount: fx.seed.modelEpochs.filter((r) => r.epoch === 10n).length },
    });
  });

  test('datanet.epochs and model.epochs list epochs latest first (numerically: 10 before 2), paged', async () => {
    const dn = await walk(
      `query($after: String) { datanet(id: "1") { epochs(first: 2, after: $after) { ${PAGE} {
        id epoch eligibleAttributionCount contributorsEarned ownerEarned } } } } }`,
      (d) => d.datanet.epochs,
    );
    assert.deepEqual(
      dn.nodes,
      fx.seed.datanetEpochs
        .filter((r) => r.datanet.id === '1')
        .sort((a, b) => (a.epoch > b.epoch ? -1 : 1))
        .map((r) => ({
          id: r.id,
          epoch: r.epoch.toString(),
          eligibleAttributionCount: r.eligibleAttributionCount,
          contributorsEarned: r.contributorsEarned.toString(),
          ownerEarned: r.ownerEarned.toString(),
        })),
    );
    assert.deepEqual(
      dn.nodes.map((n) => n.epoch),
      ['10', '2', '1'],
    );
    assert.deepEqual(dn.pages, [2, 1]);
    const md = await walk(
      `query($after: String) { model(id: "7") { epochs(first: 1, after: $after) { ${PAGE} { epoch fees } } } } }`,
      (d) => d.model.epochs,
    );
    assert.deepEqual(
      md.nodes,
      [...fx.seed.modelEpochs]
        .sort((a, b) => (a.epoch > b.epoch ? -1 : 1))
        .map((r) => ({ epoch: r.epoch.toString(), fees: r.fees.toString() })),
    );
    assert.deepEqual(md.pages, [1, 1, 1]);
  });
});

describe('contributor payouts', () => {
  test('claimed, claimable and pending sum its per-epoch rows by epoch state, exactly above 2^64', async () => {
    const accounts = [ADDR.contributors[0], ADDR.contributors[1], ADDR.ownerA, ADDR.ownerB, ADDR.payer];
    assert.ok(
      accounts.some((who) => !fx.seed.accountEpochs.some((r) => r.account === who)),
      'one of them has no per-epoch rows (zeros)',
    );
    for (const who of accounts) {
      const mine = fx.seed.accountEpochs.filter((r) => r.account === who);
      const sum = (f: (r: AccountEpoch) => bigint) => mine.reduce((s, r) => s + f(r), 0n).toString();
      const expected = {
        claimed: sum((r) => r.claimed),
        claimable: sum((r) => (isClosed(r.epoch) && r.total > r.claimed ? r.total - r.claimed : 0n)),
        pending: sum((r) => (isClosed(r.epoch) ? 0n : r.total)),
      };
      // The root lookup reads the totals with the account row; a nested contributor goes through the loader.
      const d = await fx.data(`{ contributor(address: "${who}") { claimed claimable pending } }`);
      assert.deepEqual(d.contributor, expected, who);
      const nested = await fx.data(
        `{ contributions(first: 1, where: { contributor: "${who}" }) { edges { node { contributor { claimed claimable pending } } } } }`,
      );
      for (const e of nested.contributions.edges) assert.deepEqual(e.node.contributor, expected, `${who} nested`);
      const viaTotals = await fx.data(
        `{ contributor(address: "${who}") { payoutTotals { claimed claimable pending } } }`,
      );
      assert.deepEqual(viaTotals.contributor.payoutTotals, expected, `${who} payoutTotals`);
    }
    const c1 = await fx.data(`{ contributor(address: "${ADDR.contributors[1]}") { claimable pending } }`);
    assert.ok(BigInt(c1.contributor.claimable) > E64 && BigInt(c1.contributor.pending) > E64);
    const c0 = await fx.data(`{ contributor(address: "${ADDR.contributors[0]}") { claimed claimable } }`);
    assert.equal(c0.contributor.claimed, (2n ** 70n + 1n).toString());
    assert.equal(c0.contributor.claimable, '0');
  });

  test('payouts lists its epochs latest first, paged, filtered by epoch', async () => {
    const who = ADDR.contributors[0];
    const { nodes, pages } = await walk(
      `query($after: String) { contributor(address: "${who}") { payouts(first: 1, after: $after) { ${PAGE} { ${PAYOUT_FIELDS} } } } } }`,
      (d) => d.contributor.payouts,
    );
    assert.deepEqual(
      nodes,
      fx.seed.accountEpochs
        .filter((r) => r.account === who)
        .sort((a, b) => (a.epoch > b.epoch ? -1 : 1))
        .map(expectedPayout),
    );
    assert.deepEqual(pages, [1, 1]);
    const one = await fx.data(
      `{ contributor(address: "${who}") { payouts(epoch: "${CLOSED_EPOCH}") { totalCount edges { node { epoch claimable } } } } }`,
    );
    assert.deepEqual(one.contributor.payouts, {
      totalCount: 1,
      edges: [{ node: { epoch: String(CLOSED_EPOCH), claimable: '0' } }],
    });
    await fx.badInput(`{ contributor(address: "${who}") { payouts(epoch: "-3") { totalCount } } }`, 'epoch');
    await fx.badInput(`{ contributor(address: "${who}") { payouts(first: 1001) { totalCount } } }`, 'first');
  });

  test('a page of contributors with totals and reputationAt costs one statement per level', async () => {
    const start = db.queryCount();
    const ctx = { db, chainHead: createChainHeadSource({ log: silentLogger }), finalityConfirmations: 0 };
    const res = await graphql({
      schema,
      contextValue: ctx,
      source: `{ contributions(first: 50) { edges { node { contributor { address claimed claimable pending
        reputationAt(block: 200) { blockNumber } later: reputationAt(block: 1000) { blockNumber } } } } } }`,
    });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const nodes = JSON.parse(JSON.stringify(res.data)).contributions.edges.map((e: any) => e.node.contributor);
    assert.equal(nodes.length, 50);
    const c1 = nodes.find((c: any) => c.address === ADDR.contributors[1]);
    assert.deepEqual(c1.reputationAt, { blockNumber: 150 });
    assert.deepEqual(c1.later, { blockNumber: 305 });
    assert.equal(db.queryCount() - start, 4); // page, accounts, payout totals, reputation at blocks
  });
});

describe('reputation', () => {
  const changesOf = (who: string) =>
    fx.seed.reputationChanges.filter((r) => r.account === who).sort((a, b) => a.blockNumber - b.blockNumber);
  const change = (r: ReputationChange) => ({
    blockNumber: r.blockNumber,
    timestamp: r.timestamp.toISOString(),
    score: r.score,
    acceptanceBps: r.acceptanceBps,
    qualityBps: r.qualityBps,
    impactBps: r.impactBps,
    accepted: r.accepted,
    rejected: r.rejected,
    duplicates: r.duplicates,
    slashes: r.slashes,
    acceptedQualitySum: r.acceptedQualitySum.toString(),
    earned: r.earned.toString(),
  });
  const CHANGE_FIELDS =
    'blockNumber timestamp score acceptanceBps qualityBps impactBps accepted rejected duplicates slashes acceptedQualitySum earned';

  test('reputation serves the score, components and counters of the account, null without one', async () => {
    const who = ADDR.contributors[1];
    const a = fx.seed.accounts.find((x) => x.id === who)!;
    const d = await fx.data(`{ contributor(address: "${who}") { reputation { score acceptanceBps qualityBps impactBps
      accepted rejected duplicates slashes acceptedQualitySum earned updatedAtBlock } } }`);
    assert.deepEqual(d.contributor.reputation, {
      score: a.reputationScore,
      acceptanceBps: a.acceptanceBps,
      qualityBps: a.qualityBps,
      impactBps: a.impactBps,
      accepted: a.acceptedCount,
      rejected: a.rejectedCount,
      duplicates: a.duplicateCount,
      slashes: a.slashCount,
      acceptedQualitySum: a.acceptedQualitySum.toString(),
      earned: a.earnedAsContributor.toString(),
      updatedAtBlock: a.reputationUpdatedAtBlock,
    });
    assert.equal(typeof d.contributor.reputation.score, 'number');
    const owner = await fx.data(`{ contributor(address: "${ADDR.ownerA}") { reputation { score } } }`);
    assert.equal(owner.contributor.reputation, null);
  });

  test('history lists the changes by block, paged, within fromBlock..toBlock', async () => {
    const who = ADDR.contributors[1];
    const { nodes, pages } = await walk(
      `query($after: String) { contributor(address: "${who}") { reputation { history(first: 2, after: $after) { ${PAGE} { ${CHANGE_FIELDS} } } } } } }`,
      (d) => d.contributor.reputation.history,
    );
    assert.deepEqual(nodes, changesOf(who).map(change));
    assert.deepEqual(pages, [2, 1]);
    const ranged = await fx.data(`{ contributor(address: "${who}") { reputation {
      history(fromBlock: 120, toBlock: 305) { totalCount edges { node { blockNumber } } } } } }`);
    assert.deepEqual(ranged.contributor.reputation.history, {
      totalCount: 2,
      edges: changesOf(who)
        .filter((r) => r.blockNumber >= 120 && r.blockNumber <= 305)
        .map((r) => ({ node: { blockNumber: r.blockNumber } })),
    });
    await fx.badInput(
      `{ contributor(address: "${who}") { reputation { history(fromBlock: -5) { totalCount } } } }`,
      'fromBlock',
    );
  });

  test('reputationAt is the latest change at or before the block: null before the first', async () => {
    const who = ADDR.contributors[1];
    const [first, second, third] = changesOf(who);
    const d = await fx.data(`{ contributor(address: "${who}") {
      before: reputationAt(block: ${first.blockNumber - 1}) { blockNumber }
      atFirst: reputationAt(block: ${first.blockNumber}) { ${CHANGE_FIELDS} }
      between: reputationAt(block: ${second.blockNumber + 1}) { ${CHANGE_FIELDS} }
      atThird: reputationAt(block: ${third.blockNumber}) { blockNumber score }
      later: reputationAt(block: 1000000) { blockNumber } } }`);
    assert.deepEqual(d.contributor, {
      before: null,
      atFirst: change(first),
      between: change(second),
      atThird: { blockNumber: third.blockNumber, score: third.score },
      later: { blockNumber: third.blockNumber },
    });
    await fx.badInput(`{ contributor(address: "${who}") { reputationAt(block: -1) { score } } }`, 'block');
  });
});
