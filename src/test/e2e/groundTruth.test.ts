/**
 * End to end: the `small` scenario on a real hardhat node, indexed by the processor (child process)
 * into real Postgres, read back through GraphQL and compared, figure by figure, with the simulator's
 * independently computed ground truth.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { GroundTruth } from '../../devnet';
import { fetchAllPages } from '../graphql';
import { setupTestDatabase } from '../postgres';
import { indexSmallScenario, type IndexedScenario } from './indexedScenario';
import { checkStatsBuckets, checkStatsTotals } from './statsChecks';
import { registerLeaderboardChecks } from './leaderboardChecks';

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);

describe('end to end against the ground truth (small scenario)', () => {
  let scenario: IndexedScenario;
  let db: IndexedScenario['db'];
  let truth: GroundTruth;
  let gql: IndexedScenario['gql'];

  before(async () => {
    scenario = await indexSmallScenario();
    ({ db, truth, gql } = scenario);
  });
  after(() => scenario?.close());

  it('scenario is rich enough to mean something', () => {
    assert.ok(truth.totals.contributions > 300 && truth.totals.inferences > 100, JSON.stringify(truth.totals));
    assert.ok(Object.values(truth.contributions).some((c) => c.duplicateOf !== null));
    assert.ok(Object.values(truth.epochs).some((e) => e.closed) && Object.values(truth.epochs).some((e) => !e.closed));
    assert.ok(truth.bridge.withdrawalHashes.length > 0);
  });

  registerLeaderboardChecks(() => ({ gql, truth }));

  it('built the indexes its backfill from an empty database deferred, before committing the head', async () => {
    const log = scenario.processorLog
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const deferredLine = log.find((l) =>
      l.msg?.startsWith('backfill from an empty database: secondary indexes deferred'),
    );
    const builtLine = log.find((l) => l.msg === 'deferred indexes built');
    assert.ok(deferredLine?.indexes > 10, `deferred: ${JSON.stringify(deferredLine)}`);
    assert.equal(builtLine?.indexes, deferredLine.indexes);
    const definitions = (db: { query<T>(sql: string): Promise<T[]> }) =>
      db
        .query<{ def: string }>(
          `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
           WHERE t.relnamespace = 'public'::regnamespace ORDER BY 1`,
        )
        .then((rows) => rows.map((r) => r.def));
    const fresh = await setupTestDatabase();
    try {
      assert.deepEqual(await definitions(scenario.db), await definitions(fresh), 'every index of a migrated database');
    } finally {
      await fresh.stop();
    }
    assert.deepEqual(await scenario.db.query('SELECT name FROM deferred_index'), []);
  });

  it('serves the head and every event', async () => {
    const { _meta } = await gql(`{ _meta { indexedHeight eventCount chainHead lagBlocks } }`);
    assert.equal(_meta.indexedHeight, truth.headBlock);
    assert.equal(Number(_meta.eventCount), truth.totals.events);
    assert.equal(_meta.chainHead, truth.headBlock);
    assert.equal(_meta.lagBlocks, 0);
  });

  it('serves protocol totals', async () => {
    const { protocol } =
      await gql(`{ protocol { datanetCount contributionCount modelCount inferenceCount attributedInferenceCount
      totalFees totalToContributors totalToDatanetOwners totalToModelOwners totalToProtocol totalClaimed anomalyCount } }`);
    const t = truth.totals;
    assert.deepEqual(protocol, {
      datanetCount: t.datanets,
      contributionCount: t.contributions,
      modelCount: t.models,
      inferenceCount: t.inferences,
      attributedInferenceCount: t.attributedInferences,
      totalFees: t.fees,
      totalToContributors: t.toContributors,
      totalToDatanetOwners: t.toDatanetOwners,
      totalToModelOwners: t.toModelOwners,
      totalToProtocol: t.toProtocol,
      totalClaimed: t.claimed,
      anomalyCount: sum(Object.values(truth.anomalies)),
    });
  });

  it('records exactly the expected anomalies', async () => {
    const rows = await db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int n FROM anomaly GROUP BY kind');
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.kind, r.n])), truth.anomalies);
  });

  it('serves every Datanet', async () => {
    for (const [id, d] of Object.entries(truth.datanets)) {
      const { datanet } = await gql(
        `query($id: ID!) { datanet(id: $id) { owner status validatorCount contributionCount pendingCount acceptedCount rejectedCount
          duplicateCount totalSizeBytes acceptedSizeBytes slashCount slashedAmount ownerEarned contributorsEarned earnedTotal } }`,
        { id },
      );
      assert.deepEqual(
        datanet,
        {
          owner: d.owner,
          status: d.status,
          validatorCount: d.validatorCount,
          contributionCount: d.contributions,
          pendingCount: d.pending,
          acceptedCount: d.accepted,
          rejectedCount: d.rejected,
          duplicateCount: d.duplicates,
          totalSizeBytes: d.totalSizeBytes,
          acceptedSizeBytes: d.acceptedSizeBytes,
          slashCount: d.slashes,
          slashedAmount: d.slashedAmount,
          ownerEarned: d.ownerEarned,
          contributorsEarned: d.contributorsEarned,
          earnedTotal: d.earnedTotal,
        },
        `Datanet ${id}`,
      );
    }
  });

  it('serves every contributor and account', async () => {
    for (const [address, a] of Object.entries(truth.accounts)) {
      const { contributor } = await gql(
        `query($a: String!) { contributor(address: $a) { contributionCount pendingCount acceptedCount rejectedCount duplicateCount
          acceptedQualitySum slashCount slashedAmount earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimedTotal } }`,
        { a: address },
      );
      assert.deepEqual(
        contributor,
        {
          contributionCount: a.contributions,
          pendingCount: a.pending,
          acceptedCount: a.accepted,
          rejectedCount: a.rejected,
          duplicateCount: a.duplicates,
          acceptedQualitySum: String(a.acceptedQualitySum),
          slashCount: a.slashes,
          slashedAmount: a.slashedAmount,
          earnedAsContributor: a.earnedAsContributor,
          earnedAsDatanetOwner: a.earnedAsDatanetOwner,
          earnedAsModelOwner: a.earnedAsModelOwner,
          earnedTotal: a.earnedTotal,
          claimedTotal: a.claimed,
        },
        `account ${address}`,
      );
    }
  });

  it('serves every model', async () => {
    for (const [id, m] of Object.entries(truth.models)) {
      const { model } = await gql(
        `query($id: ID!) { model(id: $id) { owner datanetIds adapterCount inferenceCount totalFees ownerEarned contributorsEarned
          datanetOwnersEarned protocolEarned } }`,
        { id },
      );
      assert.deepEqual(
        model,
        {
          owner: m.owner,
          datanetIds: m.datanetIds,
          adapterCount: m.adapters,
          inferenceCount: m.inferences,
          totalFees: m.fees,
          ownerEarned: m.ownerEarned,
          contributorsEarned: m.contributorsEarned,
          datanetOwnersEarned: m.datanetOwnersEarned,
          protocolEarned: m.protocolEarned,
        },
        `model ${id}`,
      );
    }
  });

  it('serves every contribution (paging through all of them)', async () => {
    const nodes = await fetchAllPages<any>(
      gql,
      `query($after: String) { contributions(first: 1000, after: $after) { edges { node { id datanetId contributorAddress status
        qualityBps reviewCount duplicateOfId earned } } pageInfo { hasNextPage endCursor } } }`,
      (d) => d.contributions,
    );
    const served = Object.fromEntries(
      nodes.map((n) => [
        n.id,
        {
          datanetId: n.datanetId,
          contributor: n.contributorAddress,
          status: n.status,
          qualityBps: n.qualityBps,
          reviews: n.reviewCount,
          duplicateOf: n.duplicateOfId,
          earned: n.earned,
        },
      ]),
    );
    assert.deepEqual(served, truth.contributions);
  });

  it('serves every inference with the amounts each party earns', async () => {
    const ids = Object.keys(truth.inferences);
    const fields = `modelId payer fee epoch attributionCount eligibleCount modelOwnerAmount datanetOwnersAmount contributorsAmount protocolAmount`;
    // 25 aliases per request: within the API's default alias and token limits.
    for (let i = 0; i < ids.length; i += 25) {
      const chunk = ids.slice(i, i + 25);
      const q = `{ ${chunk.map((id, k) => `i${k}: inference(id: "${id}") { ${fields} }`).join('\n')} }`;
      const data = await gql(q);
      chunk.forEach((id, k) => {
        const x = data[`i${k}`];
        const t = truth.inferences[id];
        assert.deepEqual(
          {
            modelId: x.modelId,
            payer: x.payer,
            fee: x.fee,
            epoch: x.epoch,
            attributions: x.attributionCount,
            eligible: x.eligibleCount,
            modelOwnerAmount: x.modelOwnerAmount,
            datanetOwnersAmount: x.datanetOwnersAmount,
            contributorsAmount: x.contributorsAmount,
            protocolAmount: x.protocolAmount,
          },
          t,
          `inference ${id}`,
        );
      });
    }
    const { protocol } = await gql(`{ protocol { inferenceCount } }`);
    assert.equal(protocol.inferenceCount, ids.length);
  });

  it('serves every epoch', async () => {
    const nodes = await fetchAllPages<any>(
      gql,
      `query($after: String) { epochs(first: 100, after: $after) { edges { node { id inferenceCount totalFees accruedToAccounts
        protocolAmount closed postedRoot postedTotal claimCount claimedTotal } } pageInfo { hasNextPage endCursor } } }`,
      (d) => d.epochs,
    );
    assert.equal(nodes.length, Object.keys(truth.epochs).length);
    for (const n of nodes) {
      const e = truth.epochs[n.id];
      assert.deepEqual(
        n,
        {
          id: n.id,
          inferenceCount: e.inferences,
          totalFees: e.fees,
          accruedToAccounts: e.accruedToAccounts,
          protocolAmount: e.protocolAmount,
          closed: e.closed,
          postedRoot: e.postedRoot,
          postedTotal: e.postedTotal,
          claimCount: e.claims,
          claimedTotal: e.claimed,
        },
        `epoch ${n.id}`,
      );
    }
  });

  it('serves every epoch: recomputed root and total, reconciliation, earning accounts, and the difference when wrong', async () => {
    const nodes = await fetchAllPages<any>(
      gql,
      `query($after: String) { epochs(first: 100, after: $after) { edges { node { id closed recomputedRoot recomputedTotal
        reconciled totalDifference earningAccounts } } pageInfo { hasNextPage endCursor } } }`,
      (d) => d.epochs,
    );
    let unreconciled = 0;
    for (const n of nodes) {
      const e = truth.epochs[n.id];
      const reconciled = e.closed ? e.postedRoot === e.expectedRoot && e.postedTotal === e.expectedTotal : null;
      if (reconciled === false) unreconciled++;
      assert.deepEqual(
        n,
        {
          id: n.id,
          closed: e.closed,
          recomputedRoot: e.expectedRoot,
          recomputedTotal: e.expectedTotal,
          reconciled,
          totalDifference: e.closed ? String(BigInt(e.postedTotal!) - BigInt(e.expectedTotal!)) : null,
          earningAccounts: e.earningAccounts,
        },
        `epoch ${n.id}`,
      );
    }
    // The scenario's deliberately wrong root is reported, with an anomaly naming the difference.
    assert.equal(unreconciled, 1);
    const [wrong] = Object.entries(truth.epochs).filter(([, e]) => e.closed && e.postedRoot !== e.expectedRoot);
    const mismatches = await db.query<{ reason: string }>(
      `SELECT reason FROM anomaly WHERE kind = 'EPOCH_ROOT_MISMATCH'`,
    );
    assert.equal(mismatches.length, 1);
    const difference = BigInt(wrong[1].postedTotal!) - BigInt(wrong[1].expectedTotal!);
    assert.match(mismatches[0].reason, new RegExp(`^epoch ${wrong[0]}: .*\\(posted - recomputed = ${difference}\\)$`));
  });

  it("serves every epoch's payout table: each account's roles and claims, and every Datanet's and model's share", async () => {
    for (const [epoch, e] of Object.entries(truth.epochs)) {
      const rows = await fetchAllPages<any>(
        gql,
        `query($e: ID!, $after: String) { epoch(number: $e) { accounts(first: 1000, after: $after) { edges { node {
          account asContributor asDatanetOwner asModelOwner total claimed epochClosed claimable pending } }
          pageInfo { hasNextPage endCursor } } } }`,
        (d) => d.epoch.accounts,
        { e: epoch },
      );
      const expected = new Set([...Object.keys(e.roles), ...Object.keys(e.claimedBy)]);
      assert.deepEqual(new Set(rows.map((r) => r.account)), expected, `epoch ${epoch} accounts`);
      // Largest total first, ties by address.
      const order = [...rows].sort((a, b) =>
        BigInt(b.total) > BigInt(a.total) ? 1 : BigInt(b.total) < BigInt(a.total) ? -1 : a.account < b.account ? -1 : 1,
      );
      assert.deepEqual(
        rows.map((r) => r.account),
        order.map((r) => r.account),
        `epoch ${epoch} order`,
      );
      for (const r of rows) {
        const roles = e.roles[r.account] ?? {};
        const total = e.accounts[r.account] ?? '0';
        const claimed = e.claimedBy[r.account] ?? '0';
        const left = BigInt(total) - BigInt(claimed);
        assert.deepEqual(
          r,
          {
            account: r.account,
            asContributor: roles.CONTRIBUTOR ?? '0',
            asDatanetOwner: roles.DATANET_OWNER ?? '0',
            asModelOwner: roles.MODEL_OWNER ?? '0',
            total,
            claimed,
            epochClosed: e.closed,
            claimable: e.closed ? String(left > 0n ? left : 0n) : '0',
            pending: e.closed ? '0' : total,
          },
          `epoch ${epoch} account ${r.account}`,
        );
      }
      const { epoch: served } = await gql(
        `query($e: ID!) { epoch(number: $e) {
          datanets(first: 1000) { edges { node { datanetId eligibleAttributionCount contributorsEarned ownerEarned } } }
          models(first: 1000) { edges { node { modelId inferenceCount fees ownerEarned contributorsEarned datanetOwnersEarned protocolEarned } } } } }`,
        { e: epoch },
      );
      const datanets = Object.fromEntries(
        served.datanets.edges
          .map((x: any) => x.node)
          .filter((d: any) => d.contributorsEarned !== '0' || d.ownerEarned !== '0')
          .map((d: any) => [d.datanetId, { contributorsEarned: d.contributorsEarned, ownerEarned: d.ownerEarned }]),
      );
      assert.deepEqual(datanets, e.datanets, `epoch ${epoch} Datanets`);
      const models = Object.fromEntries(
        served.models.edges.map(({ node: { modelId, inferenceCount, ...m } }: any) => [
          modelId,
          { inferences: inferenceCount, ...m },
        ]),
      );
      assert.deepEqual(models, e.models, `epoch ${epoch} models`);
    }
  });

  it('serves claim proofs that verify against the posted root of every reconciled epoch', async () => {
    let checked = 0;
    for (const [epoch, e] of Object.entries(truth.epochs)) {
      if (!e.closed) continue;
      const accounts = Object.keys(e.accounts);
      for (const account of accounts) {
        const { claimProof } = await gql(
          `query($e: BigInt!, $a: String!) { claimProof(epoch: $e, account: $a) { amount proof root claimed } }`,
          { e: epoch, a: account },
        );
        assert.equal(claimProof.amount, e.accounts[account], `epoch ${epoch} ${account} amount`);
        assert.equal(claimProof.root, e.expectedRoot);
        assert.equal(claimProof.claimed, account in e.claimedBy);
        const leaf: [string, bigint] = [account, BigInt(claimProof.amount)];
        assert.ok(StandardMerkleTree.verify(e.expectedRoot!, ['address', 'uint256'], leaf, claimProof.proof));
        // The wrong epoch's posted root does not verify: only reconciled epochs can be claimed on chain.
        assert.equal(
          StandardMerkleTree.verify(e.postedRoot!, ['address', 'uint256'], leaf, claimProof.proof),
          e.postedRoot === e.expectedRoot,
        );
        checked++;
      }
      // An account that earned nothing in the epoch has no leaf.
      const { claimProof } = await gql(
        `query($e: BigInt!) { claimProof(epoch: $e, account: "0x00000000000000000000000000000000000000ee") { amount } }`,
        {
          e: epoch,
        },
      );
      assert.equal(claimProof, null);
    }
    assert.ok(checked > 50, `${checked} proofs checked`);
  });

  it("serves every account's claimed, claimable and pending rewards", async () => {
    for (const [address, a] of Object.entries(truth.accounts)) {
      const { contributor } = await gql(
        `query($a: String!) { contributor(address: $a) { claimed claimable pending } }`,
        { a: address },
      );
      assert.deepEqual(
        contributor,
        { claimed: a.claimed, claimable: a.claimable, pending: a.pendingRewards },
        `account ${address}`,
      );
    }
  });

  it('serves every reputation with its components and its full history', async () => {
    const entries = Object.entries(truth.reputation);
    assert.ok(entries.length > 20);
    for (const [address, r] of entries) {
      const { contributor } = await gql(
        `query($a: String!) { contributor(address: $a) { reputation { score acceptanceBps qualityBps impactBps accepted rejected
          duplicates slashes acceptedQualitySum earned history(first: 1000) { edges { node { blockNumber score } } } } } }`,
        { a: address },
      );
      const { history, ...now } = contributor.reputation;
      assert.deepEqual(
        now,
        {
          score: r.score,
          acceptanceBps: r.acceptanceBps,
          qualityBps: r.qualityBps,
          impactBps: r.impactBps,
          accepted: r.accepted,
          rejected: r.rejected,
          duplicates: r.duplicates,
          slashes: r.slashes,
          acceptedQualitySum: String(r.acceptedQualitySum),
          earned: r.earned,
        },
        `reputation of ${address}`,
      );
      assert.deepEqual(
        history.edges.map((x: any) => x.node),
        r.history.map((h) => ({ blockNumber: h.block, score: h.score })),
        `history of ${address}`,
      );
    }
    // Time travel: the score as of each history block, and before the first one.
    const [address, r] = entries.find(([, x]) => x.history.length >= 3)!;
    for (const h of r.history) {
      const { contributor } = await gql(
        `query($a: String!, $b: Int!) { contributor(address: $a) { reputationAt(block: $b) { score } } }`,
        {
          a: address,
          b: h.block,
        },
      );
      assert.equal(contributor.reputationAt.score, h.score);
    }
    const { contributor } = await gql(
      `query($a: String!, $b: Int!) { contributor(address: $a) { reputationAt(block: $b) { score } } }`,
      {
        a: address,
        b: r.history[0].block - 1,
      },
    );
    assert.equal(contributor.reputationAt, null);
  });

  it('serves bridge totals per account and token, and every withdrawal hash once', async () => {
    for (const [address, tokens] of Object.entries(truth.bridge.accounts)) {
      const { bridgeAccount } = await gql(
        `query($a: String!) { bridgeAccount(address: $a) { tokens(first: 100) { edges { node { token depositedAmount depositCount
          withdrawnAmount withdrawalCount } } } } }`,
        { a: address },
      );
      const served = Object.fromEntries(
        bridgeAccount.tokens.edges.map(({ node: n }: any) => [
          n.token,
          {
            deposited: n.depositedAmount,
            depositCount: n.depositCount,
            withdrawn: n.withdrawnAmount,
            withdrawalCount: n.withdrawalCount,
          },
        ]),
      );
      assert.deepEqual(served, tokens, `bridge account ${address}`);
    }
    const outs = await fetchAllPages<any>(
      gql,
      `query($after: String) { bridgeTransfers(first: 1000, after: $after, where: { direction: OUT }) { edges { node { withdrawalHash } }
        pageInfo { hasNextPage endCursor } } }`,
      (d) => d.bridgeTransfers,
    );
    assert.equal(outs.length, truth.totals.bridgeWithdrawals);
    assert.deepEqual(outs.map((o) => o.withdrawalHash).sort(), [...truth.bridge.withdrawalHashes].sort());
    const ins = await fetchAllPages<any>(
      gql,
      `query($after: String) { bridgeTransfers(first: 1000, after: $after, where: { direction: IN }) { edges { node { id } }
        pageInfo { hasNextPage endCursor } } }`,
      (d) => d.bridgeTransfers,
    );
    assert.equal(ins.length, truth.totals.bridgeDeposits);
  });

  it('serves every stats bucket (global, every Datanet and model, hours and days) as the truth has it, empty ones as zeros', async (t) => {
    const { buckets, empty } = await checkStatsBuckets(gql, truth);
    t.diagnostic(`${buckets} buckets compared, ${empty} of them empty`);
    assert.ok(empty > 0 && buckets - empty > 100, `${buckets} buckets, ${empty} empty`);
    assert.ok(Object.keys(truth.stats.DAY.global).length >= 2, 'the scenario spans at least two UTC days');
  });

  it('serves the all-time totals of reviews and bridge traffic per token', async () => {
    await checkStatsTotals(gql, truth);
  });

  it('stores credit purchases and Datanet creation fees', async () => {
    const [c] = await db.query<{ n: number; s: string }>(
      'SELECT count(*)::int n, coalesce(sum(amount_paid), 0)::text s FROM credit_purchase',
    );
    assert.deepEqual(c, { n: truth.totals.creditPurchases, s: truth.totals.creditPaid });
    const [f] = await db.query<{ n: number; s: string }>(
      'SELECT count(*)::int n, coalesce(sum(amount), 0)::text s FROM datanet_creation_fee',
    );
    assert.deepEqual(f, { n: truth.totals.datanetCreationFees, s: truth.totals.datanetCreationFeeTotal });
  });
});
