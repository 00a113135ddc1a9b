import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BridgeDirection, type BridgeTransfer } from '../model';
import { setupApiFixture, type ApiFixture } from './test-fixtures';
import { ADDR } from './test-values';

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
});
after(async () => {
  await fx?.close();
});

/** Walks `bridgeTransfers` with the given arguments; returns the ids in the order served. */
async function walkTransfers(args: string, first: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const d: any = await fx.data(
      `query($after: String) { bridgeTransfers(first: ${first}, after: $after${args ? `, ${args}` : ''}) {
         edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
      { after: cursor },
    );
    ids.push(...d.bridgeTransfers.edges.map((e: any) => e.node.id));
    if (!d.bridgeTransfers.pageInfo.hasNextPage) return ids;
    cursor = d.bridgeTransfers.pageInfo.endCursor;
  }
}

/** Chain order of transfers: block, log index (null first), id in byte order. */
function chainOrder(a: BridgeTransfer, b: BridgeTransfer): number {
  return (
    a.blockNumber - b.blockNumber || (a.logIndex ?? -1) - (b.logIndex ?? -1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

describe('bridgeTransfers', () => {
  test('pages through all 30 transfers in chain order, forwards and backwards, without gap or duplicate', async () => {
    const sorted = [...fx.seed.transfers].sort(chainOrder).map((t) => t.id);
    assert.deepEqual(await walkTransfers('', 4), sorted);
    assert.deepEqual(await walkTransfers('orderBy: { field: CHAIN, direction: DESC }', 7), [...sorted].reverse());
  });

  test('returns every field, with the amount above 2^64 exact', async () => {
    const t = fx.seed.transfers[4];
    const d =
      await fx.data(`{ bridgeTransfers(first: 1, where: { withdrawalHash: "${t.withdrawalHash!.toUpperCase().replace('0X', '0x')}" }) {
        totalCount edges { node { id direction asset from to l2Token l1Token amount withdrawalHash messageNonce sourceHash blockNumber timestamp txHash logIndex } } } }`);
    assert.equal(d.bridgeTransfers.totalCount, 1);
    assert.deepEqual(d.bridgeTransfers.edges[0].node, {
      id: t.id,
      direction: 'OUT',
      asset: 'NATIVE',
      from: t.from,
      to: t.to,
      l2Token: ADDR.zero,
      l1Token: ADDR.zero,
      amount: '18446744073709551617',
      withdrawalHash: t.withdrawalHash,
      messageNonce: t.messageNonce!.toString(),
      sourceHash: null,
      blockNumber: t.blockNumber,
      timestamp: t.timestamp.toISOString(),
      txHash: t.txHash,
      logIndex: t.logIndex,
    });
  });

  test('filters by account (sender or recipient), direction and asset, with totalCount', async () => {
    const who = ADDR.bridgers[2];
    const cases: [string, (t: BridgeTransfer) => boolean][] = [
      [`account: "${who.toUpperCase().replace('0X', '0x')}"`, (t) => t.from === who || t.to === who],
      ['direction: IN', (t) => t.direction === BridgeDirection.IN],
      ['direction: OUT, asset: ERC20', (t) => t.direction === 'OUT' && t.asset === 'ERC20'],
      [`account: "${who}", asset: NATIVE`, (t) => (t.from === who || t.to === who) && t.asset === 'NATIVE'],
    ];
    for (const [where, keep] of cases) {
      const expected = fx.seed.transfers
        .filter(keep)
        .sort(chainOrder)
        .map((t) => t.id);
      assert.ok(expected.length > 0, where);
      assert.deepEqual(await walkTransfers(`where: { ${where} }`, 3), expected, where);
      const d = await fx.data(`{ bridgeTransfers(first: 1, where: { ${where} }) { totalCount } }`);
      assert.equal(d.bridgeTransfers.totalCount, expected.length, where);
    }
  });

  test('bridgeAccount(address) returns per-token totals and its transfers; null for an address that never bridged', async () => {
    const who = ADDR.bridgers[0];
    const d = await fx.data(`{ bridgeAccount(address: "${who}") { address
        tokens { totalCount edges { node { token depositedAmount depositCount withdrawnAmount withdrawalCount } } }
        transfers(first: 100) { totalCount } } }`);
    const expected = fx.seed.bridgeTotals
      .filter((r) => r.account === who)
      .sort((a, b) => (a.token < b.token ? -1 : 1))
      .map((r) => ({
        token: r.token,
        depositedAmount: r.depositedAmount.toString(),
        depositCount: r.depositCount,
        withdrawnAmount: r.withdrawnAmount.toString(),
        withdrawalCount: r.withdrawalCount,
      }));
    assert.equal(d.bridgeAccount.address, who);
    assert.deepEqual(
      d.bridgeAccount.tokens.edges.map((e: any) => e.node),
      expected,
    );
    assert.equal(d.bridgeAccount.tokens.totalCount, expected.length);
    assert.equal(
      d.bridgeAccount.transfers.totalCount,
      fx.seed.transfers.filter((t) => t.from === who || t.to === who).length,
    );
    assert.equal((await fx.data(`{ bridgeAccount(address: "0x${'2'.repeat(40)}") { address } }`)).bridgeAccount, null);
  });
});

describe('protocol and epochs', () => {
  test('protocol returns the totals and the fee split in force', async () => {
    const p = fx.seed.protocol;
    const d =
      await fx.data(`{ protocol { datanetCount contributionCount modelCount inferenceCount attributedInferenceCount totalFees
        totalToContributors totalToDatanetOwners totalToModelOwners totalToProtocol totalClaimed anomalyCount
        currentFeeSplit { id protocolBps modelOwnerBps datanetOwnerBps contributorsBps blockNumber } } }`);
    assert.deepEqual(d.protocol, {
      datanetCount: 3,
      contributionCount: 120,
      modelCount: 1,
      inferenceCount: 1,
      attributedInferenceCount: 1,
      totalFees: p.totalFees.toString(),
      totalToContributors: p.totalToContributors.toString(),
      totalToDatanetOwners: p.totalToDatanetOwners.toString(),
      totalToModelOwners: p.totalToModelOwners.toString(),
      totalToProtocol: p.totalToProtocol.toString(),
      totalClaimed: '0',
      anomalyCount: 2,
      currentFeeSplit: {
        id: '0000000050-000001',
        protocolBps: 1000,
        modelOwnerBps: 2000,
        datanetOwnerBps: 2000,
        contributorsBps: 5000,
        blockNumber: 50,
      },
    });
  });

  test('epochs are listed in numeric order (2 before 10), filter on closed, and epoch(number) returns one', async () => {
    const all = await fx.data(
      '{ epochs(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
    );
    assert.deepEqual(
      all.epochs.edges.map((e: any) => e.node.id),
      ['1', '2'],
    );
    assert.equal(all.epochs.totalCount, 3);
    const rest = await fx.data(
      'query($a: String) { epochs(first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }',
      { a: all.epochs.pageInfo.endCursor },
    );
    assert.deepEqual(rest.epochs, { edges: [{ node: { id: '10' } }], pageInfo: { hasNextPage: false } });
    const closed = await fx.data(
      '{ epochs(where: { closed: true }) { edges { node { id postedRoot closedAtBlock } } } }',
    );
    assert.deepEqual(
      closed.epochs.edges.map((e: any) => e.node),
      [{ id: '1', postedRoot: fx.seed.epochs[0].postedRoot, closedAtBlock: 381 }],
    );
    const e2 = fx.seed.epochs[1];
    const one = await fx.data(
      '{ epoch(number: "2") { epoch inferenceCount totalFees accruedToAccounts protocolAmount closed postedRoot postedTotal claimedTotal claimCount } }',
    );
    assert.deepEqual(one.epoch, {
      epoch: '2',
      inferenceCount: 1,
      totalFees: e2.totalFees.toString(),
      accruedToAccounts: e2.accruedToAccounts.toString(),
      protocolAmount: e2.protocolAmount.toString(),
      closed: false,
      postedRoot: null,
      postedTotal: null,
      claimedTotal: '0',
      claimCount: 0,
    });
    assert.equal((await fx.data('{ epoch(number: "3") { id } }')).epoch, null);
  });
});
