import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ContributionStatus, type Contribution } from '../model';
import { setupApiFixture, type ApiFixture } from './test-fixtures';
import { ADDR } from './test-values';

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
});
after(async () => {
  await fx?.close();
});

/** Walks a connection page by page; returns every node and the pages' sizes. */
async function walk(field: string, args: string, selection: string, first: number) {
  const nodes: any[] = [];
  const pages: number[] = [];
  let afterCursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const d = await fx.data(
      `query($after: String) { ${field}(first: ${first}, after: $after${args ? `, ${args}` : ''}) {
         edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } }`,
      { after: afterCursor },
    );
    const conn = d[field];
    nodes.push(...conn.edges.map((e: any) => e.node));
    pages.push(conn.edges.length);
    if (conn.edges.length) assert.equal(conn.pageInfo.endCursor, conn.edges.at(-1).cursor);
    if (!conn.pageInfo.hasNextPage) return { nodes, pages };
    afterCursor = conn.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

const byStatus = (s: ContributionStatus) => (c: Contribution) => c.status === s;

describe('_meta', () => {
  test('reports the indexer_status row, the RPC chain head, the finalized height and the lag', async () => {
    const d = await fx.data(
      '{ _meta { indexedHeight indexedHash indexedTimestamp chainHead finalizedHeight lagBlocks lagSeconds eventCount } }',
    );
    const s = fx.seed.indexerStatus;
    assert.deepEqual(d._meta, {
      indexedHeight: s.height,
      indexedHash: s.hash,
      indexedTimestamp: s.timestamp.toISOString(),
      chainHead: fx.rpcHead.number,
      finalizedHeight: fx.rpcHead.number - fx.finalityConfirmations,
      lagBlocks: 12,
      lagSeconds: 24,
      eventCount: '98765432109876543210',
    });
  });
});

describe('datanets', () => {
  test('datanet(id) returns the stored row with amounts as exact decimal strings', async () => {
    const d =
      await fx.data(`{ datanet(id: "1") { id datanetId owner name metadataUri status validatorCount contributionCount
      pendingCount acceptedCount rejectedCount duplicateCount totalSizeBytes slashCount slashedAmount ownerEarned createdAtBlock createdAt createdTxHash } }`);
    const dn = fx.seed.datanets[0];
    assert.deepEqual(d.datanet, {
      id: '1',
      datanetId: '1',
      owner: ADDR.ownerA,
      name: 'Medical imaging',
      metadataUri: 'ipfs://datanet1',
      status: 'ACTIVE',
      validatorCount: 1,
      contributionCount: 40,
      pendingCount: dn.pendingCount,
      acceptedCount: dn.acceptedCount,
      rejectedCount: dn.rejectedCount,
      duplicateCount: dn.duplicateCount,
      totalSizeBytes: dn.totalSizeBytes.toString(),
      slashCount: 0,
      slashedAmount: '0',
      ownerEarned: (2n ** 65n + 7n).toString(),
      createdAtBlock: 10,
      createdAt: dn.createdAt.toISOString(),
      createdTxHash: dn.createdTxHash,
    });
    assert.equal((await fx.data('{ datanet(id: "0042") { id } }')).datanet, null);
  });

  test('datanets filters by owner in any case and by status, and orders by contributions or owner earnings', async () => {
    const owned = await fx.data(
      `{ datanets(where: { owner: "${ADDR.ownerA.toUpperCase().replace('0X', '0x')}" }) { totalCount edges { node { id } } } }`,
    );
    assert.deepEqual(
      owned.datanets.edges.map((e: any) => e.node.id),
      ['1', '3'],
    );
    assert.equal(owned.datanets.totalCount, 2);
    const paused = await fx.data('{ datanets(where: { status: PAUSED }) { edges { node { id status } } } }');
    assert.deepEqual(
      paused.datanets.edges.map((e: any) => e.node),
      [{ id: '3', status: 'PAUSED' }],
    );
    const rich = await walk('datanets', 'orderBy: { field: OWNER_EARNED, direction: DESC }', 'id ownerEarned', 1);
    assert.deepEqual(
      rich.nodes.map((n) => n.id),
      ['1', '2', '3'],
    );
    const desc = await walk('datanets', 'orderBy: { field: ID, direction: DESC }', 'id', 2);
    assert.deepEqual(
      desc.nodes.map((n) => n.id),
      ['3', '2', '1'],
    );
  });
});

describe('contributions', () => {
  test('walking all pages returns the 120 contributions once each, in id order, with hasNextPage false on the last', async () => {
    const { nodes, pages } = await walk('contributions', '', 'id', 7);
    assert.deepEqual(
      nodes.map((n) => n.id),
      fx.seed.contributions.map((c) => c.id),
    );
    assert.deepEqual(pages, [...Array(17).fill(7), 1]);
  });

  test('the default page is 50 rows and totalCount counts the whole list', async () => {
    const d = await fx.data('{ contributions { totalCount edges { node { id } } pageInfo { hasNextPage } } }');
    assert.equal(d.contributions.edges.length, 50);
    assert.equal(d.contributions.totalCount, 120);
    assert.equal(d.contributions.pageInfo.hasNextPage, true);
  });

  test('filters by datanet, contributor, status, duplicate flag and block, and totalCount follows the filters', async () => {
    const cases: [string, (c: Contribution) => boolean][] = [
      ['datanetId: "2"', (c) => c.datanet.id === '2'],
      [`contributor: "${ADDR.contributors[3]}"`, (c) => c.contributor.id === ADDR.contributors[3]],
      ['status: ACCEPTED', byStatus(ContributionStatus.ACCEPTED)],
      ['isDuplicate: true', (c) => c.isDuplicate],
      ['submittedAfterBlock: 200', (c) => c.submittedAtBlock > 200],
      [
        'datanetId: "3", status: PENDING, isDuplicate: false',
        (c) => c.datanet.id === '3' && c.status === 'PENDING' && !c.isDuplicate,
      ],
    ];
    for (const [where, keep] of cases) {
      const expected = fx.seed.contributions.filter(keep).map((c) => c.id);
      const { nodes } = await walk('contributions', `where: { ${where} }`, 'id', 9);
      assert.deepEqual(
        nodes.map((n) => n.id),
        expected,
        where,
      );
      const d = await fx.data(`{ contributions(first: 0, where: { ${where} }) { totalCount edges { cursor } } }`);
      assert.equal(d.contributions.totalCount, expected.length, where);
      assert.equal(d.contributions.edges.length, 0);
    }
  });

  test('contribution(id) returns its values and resolves datanet, contributor and duplicateOf', async () => {
    const d =
      await fx.data(`{ a: contribution(id: "7") { id contributionId attributionCount eligibleAttributionCount earned status qualityBps sizeBytes dataHash submittedAt
        datanet { id name } contributor { address } contributorAddress }
      b: contribution(id: "10") { isDuplicate duplicateOfId duplicateOf { id dataHash } dataHash }
      c: contribution(id: "4") { status qualityBps lastReviewer } none: contribution(id: "121") { id } }`);
    // Contribution 7 is attributed once, eligibly, by the seeded inference: its counts and earnings
    // are aggregated from the attribution rows.
    const c7 = fx.seed.contributions[6];
    const paid = fx.seed.attributions[0];
    assert.equal(paid.contribution?.id, '7');
    assert.deepEqual(d.a, {
      id: '7',
      contributionId: '7',
      attributionCount: 1,
      eligibleAttributionCount: 1,
      earned: paid.amount.toString(),
      status: c7.status,
      qualityBps: c7.qualityBps,
      sizeBytes: '7168',
      dataHash: c7.dataHash,
      submittedAt: c7.submittedAt.toISOString(),
      datanet: { id: '1', name: fx.seed.datanets[0].name },
      contributor: { address: ADDR.contributors[1] },
      contributorAddress: ADDR.contributors[1],
    });
    assert.ok(paid.amount > 2n ** 64n, 'an amount above 2^64 survives the round trip');
    assert.deepEqual(d.b, {
      isDuplicate: true,
      duplicateOfId: '7',
      duplicateOf: { id: '7', dataHash: d.b.dataHash },
      dataHash: d.b.dataHash,
    });
    assert.deepEqual(d.c, { status: 'PENDING', qualityBps: null, lastReviewer: null });
    assert.equal(d.none, null);
  });
});

describe('contributor', () => {
  test('returns counts, slashes, earnings per role and its contributions as a connection', async () => {
    const who = ADDR.contributors[1];
    const acc = fx.seed.accounts.find((a) => a.id === who)!;
    const d = await fx.data(
      `query($a: String!) { contributor(address: $a) { address contributionCount pendingCount acceptedCount rejectedCount
        duplicateCount slashCount slashedAmount earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimedTotal
        eligibleAttributionCount contributions(first: 5) { totalCount edges { node { id contributorAddress } } pageInfo { hasNextPage } } } }`,
      { a: who.toUpperCase().replace('0X', '0x') },
    );
    const mine = fx.seed.contributions.filter((c) => c.contributor.id === who);
    assert.deepEqual(
      { ...d.contributor, contributions: undefined },
      {
        address: who,
        contributionCount: 24,
        pendingCount: mine.filter(byStatus(ContributionStatus.PENDING)).length,
        acceptedCount: acc.acceptedCount,
        rejectedCount: acc.rejectedCount,
        duplicateCount: acc.duplicateCount,
        slashCount: 0,
        slashedAmount: '0',
        earnedAsContributor: acc.earnedAsContributor.toString(),
        earnedAsDatanetOwner: '0',
        earnedAsModelOwner: '0',
        earnedTotal: acc.earnedTotal.toString(),
        claimedTotal: '0',
        eligibleAttributionCount: 1,
        contributions: undefined,
      },
    );
    assert.equal(d.contributor.contributions.totalCount, 24);
    assert.deepEqual(
      d.contributor.contributions.edges.map((e: any) => e.node.id),
      mine.slice(0, 5).map((c) => c.id),
    );
    assert.ok(d.contributor.contributions.edges.every((e: any) => e.node.contributorAddress === who));
    const owner = await fx.data(
      `{ contributor(address: "${ADDR.ownerA}") { earnedAsDatanetOwner earnedTotal contributionCount } }`,
    );
    const a = fx.seed.accounts.find((x) => x.id === ADDR.ownerA)!;
    assert.deepEqual(owner.contributor, {
      earnedAsDatanetOwner: a.earnedAsDatanetOwner.toString(),
      earnedTotal: a.earnedTotal.toString(),
      contributionCount: 0,
    });
    assert.equal((await fx.data(`{ contributor(address: "0x${'1'.repeat(40)}") { address } }`)).contributor, null);
  });
});

describe('model and inference', () => {
  test('model(id) returns its adapters by version and the known Datanets it was trained on', async () => {
    const d = await fx.data(
      '{ model(id: "7") { id modelId owner name datanetIds adapterCount latestAdapterVersion datanets { id name } adapters(first: 2) { totalCount edges { node { version weightsHash } } pageInfo { hasNextPage } } } }',
    );
    assert.deepEqual(d.model, {
      id: '7',
      modelId: '7',
      owner: ADDR.modelOwner,
      name: 'med-llama-lora',
      datanetIds: ['1', '3', '99'],
      adapterCount: 3,
      latestAdapterVersion: 3,
      datanets: [
        { id: '1', name: 'Medical imaging' },
        { id: '3', name: 'Legal contracts' },
      ],
      adapters: {
        totalCount: 3,
        edges: fx.seed.adapters.slice(0, 2).map((a) => ({ node: { version: a.version, weightsHash: a.weightsHash } })),
        pageInfo: { hasNextPage: true },
      },
    });
  });

  test('inference(id) returns every amount, its attributions (one to an unknown contribution) and its payouts', async () => {
    const inf = fx.seed.inference;
    const d = await fx.data(
      `query($id: String!) { inference(id: $id) { id modelId model { name } payer fee epoch protocolBps modelOwnerBps
        datanetOwnerBps contributorsBps modelOwner modelOwnerAmount datanetOwnersAmount contributorsAmount protocolAmount hasAttribution
        attributionCount eligibleCount blockNumber timestamp txHash logIndex
        attributions { totalCount edges { node { position contributionId contribution { id status } weightPpm statusAtAttribution eligible contributor datanetId amount } } }
        payouts { totalCount edges { node { account role datanetId weightPpm amount epoch } } } } }`,
      { id: inf.id.toUpperCase().replace('0X', '0x') },
    );
    const i = d.inference;
    assert.deepEqual(
      {
        id: i.id,
        modelId: i.modelId,
        model: i.model,
        payer: i.payer,
        fee: i.fee,
        epoch: i.epoch,
        modelOwner: i.modelOwner,
        modelOwnerAmount: i.modelOwnerAmount,
        datanetOwnersAmount: i.datanetOwnersAmount,
        contributorsAmount: i.contributorsAmount,
        protocolAmount: i.protocolAmount,
        bps: [i.protocolBps, i.modelOwnerBps, i.datanetOwnerBps, i.contributorsBps],
        counts: [i.hasAttribution, i.attributionCount, i.eligibleCount],
        at: [i.blockNumber, i.timestamp, i.txHash, i.logIndex],
      },
      {
        id: inf.id,
        modelId: '7',
        model: { name: 'med-llama-lora' },
        payer: ADDR.payer,
        fee: '123456789012345678901234',
        epoch: '2',
        modelOwner: ADDR.modelOwner,
        modelOwnerAmount: inf.modelOwnerAmount.toString(),
        datanetOwnersAmount: inf.datanetOwnersAmount.toString(),
        contributorsAmount: inf.contributorsAmount.toString(),
        protocolAmount: inf.protocolAmount.toString(),
        bps: [1000, 2000, 2000, 5000],
        counts: [true, 4, 2],
        at: [400, inf.timestamp.toISOString(), inf.txHash, 3],
      },
    );
    assert.equal(
      BigInt(i.modelOwnerAmount) +
        BigInt(i.datanetOwnersAmount) +
        BigInt(i.contributorsAmount) +
        BigInt(i.protocolAmount),
      BigInt(i.fee),
    );
    assert.equal(i.attributions.totalCount, 4);
    assert.deepEqual(
      i.attributions.edges.map((e: any) => e.node),
      fx.seed.attributions.map((a) => ({
        position: a.position,
        contributionId: a.rawContributionId.toString(),
        contribution: a.contribution ? { id: a.contribution.id, status: a.contribution.status } : null,
        weightPpm: a.weightPpm,
        statusAtAttribution: a.statusAtAttribution,
        eligible: a.eligible,
        contributor: a.contributor,
        datanetId: a.datanetId?.toString() ?? null,
        amount: a.amount.toString(),
      })),
    );
    assert.equal(i.attributions.edges[0].node.amount, '30864197253086419725308'); // C * 0.5, exact
    assert.deepEqual(i.attributions.edges[3].node, {
      position: 3,
      contributionId: '999',
      contribution: null,
      weightPpm: 50000,
      statusAtAttribution: null,
      eligible: false,
      contributor: null,
      datanetId: null,
      amount: '0',
    });
    assert.equal(i.payouts.totalCount, 5);
    const payouts = [...fx.seed.payouts].sort((a, b) => (a.id < b.id ? -1 : 1)); // byte order, as the API orders ids
    assert.deepEqual(
      i.payouts.edges.map((e: any) => e.node),
      payouts.map((p) => ({
        account: p.account,
        role: p.role,
        datanetId: p.datanetId?.toString() ?? null,
        weightPpm: p.weightPpm ?? null,
        amount: p.amount.toString(),
        epoch: '2',
      })),
    );
    const orphan = await fx.data(
      `{ inference(id: "${fx.seed.orphanInference.id}") { modelId model { id } modelOwner protocolAmount fee attributions { totalCount } payouts { totalCount } } }`,
    );
    assert.deepEqual(orphan.inference, {
      modelId: '8',
      model: null,
      modelOwner: null,
      protocolAmount: '123456789012345678901234',
      fee: '123456789012345678901234',
      attributions: { totalCount: 0 },
      payouts: { totalCount: 0 },
    });
    assert.equal((await fx.data(`{ inference(id: "0x${'0'.repeat(64)}") { id } }`)).inference, null);
  });
});

describe('server', () => {
  test('serves GraphiQL to a browser on /graphql', async () => {
    const res = await fetch(fx.api.url, { headers: { accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /graphiql/i);
  });
});
