/**
 * End to end: every query of docs/queries.md, run over the `small` scenario and compared with the
 * simulator's independent ground truth, so the documented queries cannot rot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { GroundTruth } from '../../devnet';
import { computeLeaderboards } from '../../devnet/truth/leaderboards';
import { documentedQueries } from '../documentedQueries';
import { indexSmallScenario, type IndexedScenario } from './indexedScenario';

describe('documented queries (docs/queries.md) against the ground truth (small scenario)', () => {
  let scenario: IndexedScenario;
  let truth: GroundTruth;
  let gql: IndexedScenario['gql'];
  const walk: IndexedScenario['walk'] = (query, pathTo, variables) => scenario.walk(query, pathTo, variables);

  before(async () => {
    scenario = await indexSmallScenario();
    ({ truth, gql } = scenario);
  });
  after(() => scenario?.close());

  const docs = documentedQueries();
  const doc = (title: string) => {
    const q = docs.get(title);
    assert.ok(q, `docs/queries.md has a "${title}" query`);
    return q;
  };
  const earners = () =>
    Object.entries(truth.accounts)
      .filter(([, a]) => a.earnedTotal !== '0')
      .sort(([, a], [, b]) => (BigInt(b.earnedTotal) > BigInt(a.earnedTotal) ? 1 : -1));

  it('every documented query is tested here', () => {
    assert.deepEqual(
      [...docs.keys()].sort(),
      [
        'Bridge history',
        'Claim',
        'Contributor page',
        'Daily chart',
        'Datanet page',
        'Epoch table',
        'Inference page',
        'Latest inferences of a model',
        'Leaderboard',
        'Reputation chart',
      ].sort(),
    );
  });

  it('Contributor page: totals, claimable, pending, reputation and per-epoch roles equal the truth', async () => {
    for (const [address, a] of earners().slice(0, 8)) {
      const { contributor: c } = await gql(doc('Contributor page'), {
        address: address.toUpperCase().replace('0X', '0x'),
      });
      assert.deepEqual(
        [c.earnedTotal, c.earnedAsContributor, c.earnedAsDatanetOwner, c.earnedAsModelOwner],
        [a.earnedTotal, a.earnedAsContributor, a.earnedAsDatanetOwner, a.earnedAsModelOwner],
        address,
      );
      assert.deepEqual([c.claimed, c.claimable, c.pending], [a.claimed, a.claimable, a.pendingRewards], address);
      assert.deepEqual(
        [c.contributionCount, c.acceptedCount, c.rejectedCount, c.duplicateCount, c.slashCount],
        [a.contributions, a.accepted, a.rejected, a.duplicates, a.slashes],
        address,
      );
      const rep = truth.reputation[address];
      assert.equal(c.reputation?.score ?? null, rep ? rep.score : null, address);
      for (const { node } of c.payouts.edges) {
        const roles = truth.epochs[node.epoch].roles[address] ?? {};
        assert.deepEqual(
          [node.asContributor, node.asDatanetOwner, node.asModelOwner],
          [roles.CONTRIBUTOR ?? '0', roles.DATANET_OWNER ?? '0', roles.MODEL_OWNER ?? '0'],
          `${address} epoch ${node.epoch}`,
        );
      }
    }
  });

  it('Reputation chart: the history equals the truth, block by block', async () => {
    const ranked = Object.entries(truth.reputation).sort(([, a], [, b]) => b.history.length - a.history.length);
    for (const [address, rep] of ranked.slice(0, 4)) {
      const rows = await walk<{ blockNumber: number; score: number }>(
        doc('Reputation chart'),
        ['contributor', 'reputation', 'history'],
        {
          address,
        },
      );
      assert.deepEqual(
        rows.map((r) => ({ block: r.blockNumber, score: r.score })),
        rep.history,
        address,
      );
    }
  });

  it('Leaderboard: every row, rank and value equal the truth board', async () => {
    const rows = await walk<{ rank: number; position: number; address: string; value: string }>(doc('Leaderboard'), [
      'contributorLeaderboard',
    ]);
    const board = computeLeaderboards(truth).contributorsByEarnings;
    assert.ok(board.length > 20 && new Set(board.map((r) => r.rank)).size < board.length + 1);
    assert.deepEqual(
      rows.map((r) => ({ id: r.address, value: r.value, rank: r.rank, position: r.position })),
      board,
    );
  });

  it('Daily chart: every day, global and per Datanet, equals the truth buckets (zeros included)', async () => {
    const days = Object.keys(truth.stats.DAY.global ?? {}).sort();
    assert.ok(days.length >= 2, `the scenario spans ${days.length} days`);
    const from = days[0];
    const to = new Date(Date.parse(days[days.length - 1]) + 86_400_000).toISOString();
    const datanetId = Object.keys(truth.datanets)[0];
    for (const [series, variables] of [
      ['global', { from, to }],
      [`datanet:${datanetId}`, { from, to, datanetId }],
    ] as const) {
      const { stats } = await gql(doc('Daily chart'), variables);
      const expected = truth.stats.DAY[series] ?? {};
      assert.equal(stats.buckets.length, days.length);
      for (const b of stats.buckets) {
        const t = expected[new Date(b.start).toISOString()] ?? {};
        assert.deepEqual(
          [b.inferences, b.fees, b.toContributors, b.contributions, b.reviewsAccepted, b.reviewsRejected],
          [
            t.inferences ?? 0,
            series === 'global' ? (t.fees ?? '0') : null, // a Datanet's series keeps no fee
            t.toContributors ?? '0',
            t.contributions ?? 0,
            t.reviewsAccepted ?? 0,
            t.reviewsRejected ?? 0,
          ],
          `${series} ${b.start}`,
        );
      }
    }
  });

  it('Epoch table: every epoch and its accounts equal the truth, wrong root reported', async () => {
    for (const [number, e] of Object.entries(truth.epochs)) {
      const rows = await walk<{ account: string; total: string }>(doc('Epoch table'), ['epoch', 'accounts'], {
        epoch: number,
      });
      const { epoch } = await gql(doc('Epoch table'), { epoch: number });
      assert.deepEqual(
        [epoch.inferenceCount, epoch.totalFees, epoch.accruedToAccounts, epoch.protocolAmount, epoch.closed],
        [e.inferences, e.fees, e.accruedToAccounts, e.protocolAmount, e.closed],
        `epoch ${number}`,
      );
      assert.deepEqual(
        Object.fromEntries(rows.filter((r) => r.total !== '0').map((r) => [r.account, r.total])),
        e.accounts,
        `epoch ${number}`,
      );
      if (e.closed) {
        assert.equal(epoch.recomputedRoot, e.expectedRoot, `epoch ${number}`);
        assert.equal(epoch.reconciled, e.postedRoot === e.expectedRoot && e.postedTotal === e.expectedTotal);
      }
    }
    assert.ok(
      Object.values(truth.epochs).some((e) => e.closed && e.postedRoot !== e.expectedRoot),
      'a wrong root',
    );
  });

  it('Claim: the proof verifies against the truth root for the truth amount', async () => {
    const closed = Object.entries(truth.epochs).filter(([, e]) => e.closed);
    let checked = 0;
    for (const [number, e] of closed) {
      for (const [account, amount] of Object.entries(e.accounts).slice(0, 3)) {
        const { claimProof: p } = await gql(doc('Claim'), { epoch: number, account });
        assert.equal(p.amount, amount, `${number} ${account}`);
        assert.equal(p.root, e.expectedRoot);
        assert.ok(StandardMerkleTree.verify(e.expectedRoot!, ['address', 'uint256'], [account, amount], p.proof));
        assert.equal(p.claimed, account in e.claimedBy);
        checked++;
      }
    }
    assert.ok(checked > 3, `checked ${checked} proofs`);
  });

  it('Bridge history: per-token totals and transfer counts equal the truth', async () => {
    for (const [address, tokens] of Object.entries(truth.bridge.accounts).slice(0, 10)) {
      const { bridgeAccount: b } = await gql(doc('Bridge history'), { address });
      const served = Object.fromEntries(
        b.tokens.edges.map(({ node: t }: { node: Record<string, string | number> }) => [
          t.token,
          {
            deposited: t.depositedAmount,
            depositCount: t.depositCount,
            withdrawn: t.withdrawnAmount,
            withdrawalCount: t.withdrawalCount,
          },
        ]),
      );
      assert.deepEqual(served, tokens, address);
      const transfers = await walk<{ blockNumber: number }>(doc('Bridge history'), ['bridgeAccount', 'transfers'], {
        address,
      });
      const expected = Object.values(tokens).reduce((n, t) => n + t.depositCount + t.withdrawalCount, 0);
      assert.ok(transfers.length >= expected, `${address}: ${transfers.length} transfers for ${expected} counted`);
      const blocks = transfers.map((t) => t.blockNumber);
      assert.deepEqual(
        blocks,
        [...blocks].sort((x, y) => y - x),
        'newest first',
      );
    }
  });

  it('Datanet page: counts, validators and contributions equal the truth', async () => {
    for (const [id, d] of Object.entries(truth.datanets)) {
      const { datanet: n } = await gql(doc('Datanet page'), { id });
      assert.deepEqual(
        [n.owner, n.status, n.contributionCount, n.acceptedCount, n.rejectedCount, n.pendingCount, n.duplicateCount],
        [d.owner, d.status, d.contributions, d.accepted, d.rejected, d.pending, d.duplicates],
        `datanet ${id}`,
      );
      assert.deepEqual([n.ownerEarned, n.contributorsEarned], [d.ownerEarned, d.contributorsEarned], `datanet ${id}`);
      const enabled = n.validators.edges.filter((e: { node: { enabled: boolean } }) => e.node.enabled).length;
      assert.equal(enabled, d.validatorCount, `datanet ${id}`);
      assert.equal(n.contributions.totalCount, d.contributions);
      const ids = n.contributions.edges.map((e: { node: { contributionId: string } }) => BigInt(e.node.contributionId));
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => (y > x ? 1 : -1)),
        'newest first',
      );
    }
  });

  it('Inference page: amounts and attributions equal the truth', async () => {
    for (const [id, i] of Object.entries(truth.inferences).slice(0, 25)) {
      const { inference: n } = await gql(doc('Inference page'), { id });
      assert.deepEqual(
        [n.modelId, n.payer, n.fee, n.modelOwnerAmount, n.datanetOwnersAmount, n.contributorsAmount, n.protocolAmount],
        [i.modelId, i.payer, i.fee, i.modelOwnerAmount, i.datanetOwnersAmount, i.contributorsAmount, i.protocolAmount],
        id,
      );
      const rows = n.attributions.edges.map((e: { node: { eligible: boolean; amount: string } }) => e.node);
      assert.equal(rows.length, i.attributions, id);
      assert.equal(rows.filter((r: { eligible: boolean }) => r.eligible).length, i.eligible, id);
      assert.equal(
        rows.reduce((s: bigint, r: { amount: string }) => s + BigInt(r.amount), 0n).toString(),
        i.contributorsAmount,
        id,
      );
    }
  });

  it('Latest inferences of a model: newest first, counted and summed as the truth', async () => {
    for (const [id, m] of Object.entries(truth.models)) {
      const rows = await walk<{ id: string; fee: string; blockNumber: number }>(
        doc('Latest inferences of a model'),
        ['model', 'inferences'],
        { id },
      );
      const { model } = await gql(doc('Latest inferences of a model'), { id });
      assert.deepEqual([model.inferenceCount, model.totalFees], [m.inferences, m.fees], `model ${id}`);
      assert.equal(rows.length, m.inferences, `model ${id}`);
      assert.equal(rows.reduce((s, r) => s + BigInt(r.fee), 0n).toString(), m.fees, `model ${id}`);
      const blocks = rows.map((r) => r.blockNumber);
      assert.deepEqual(
        blocks,
        [...blocks].sort((x, y) => y - x),
        'newest first',
      );
    }
  });
});
