/**
 * End to end: every list of the API, with its filters and orders, walked page by page over the
 * `small` scenario and compared with the simulator's independent ground truth.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { createApiServer } from '../../api/server';
import { startDevnet, type Devnet, type GroundTruth } from '../../devnet';
import { computeLeaderboards } from '../../devnet/truth/leaderboards';
import { createGraphqlClient, fetchAllPages } from '../graphql';
import { setupTestDatabase, type TestDatabase } from '../postgres';
import { startTestProcessor, waitForHeight } from '../processorChild';

type Page<N> = { edges: { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** The documented queries of docs/queries.md by their `### Title`: the first graphql block under each. */
export function documentedQueries(file = path.resolve(__dirname, '../../../docs/queries.md')): Map<string, string> {
  const out = new Map<string, string>();
  const text = fs.readFileSync(file, 'utf8');
  for (const section of text.split(/^### /m).slice(1)) {
    const title = section.slice(0, section.indexOf('\n')).trim();
    const block = /```graphql\n([\s\S]*?)```/.exec(section);
    if (block) out.set(title, block[1]);
  }
  return out;
}

/** Counts of `values`, keyed by value. */
function countBy<T>(values: Iterable<T>, key: (v: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(key(v), (out.get(key(v)) ?? 0) + 1);
  return out;
}

describe('every list, filter and order against the ground truth (small scenario)', () => {
  let devnet: Devnet;
  let db: TestDatabase;
  let api: { url: string; close(): Promise<void> };
  let truth: GroundTruth;
  let gql: ReturnType<typeof createGraphqlClient>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-lists-'));

  /** Walks a top-level or nested list: `path` leads from the result to the connection. */
  const walk = <N>(query: string, pathTo: string[], variables: Record<string, unknown> = {}) =>
    fetchAllPages<N>(gql, query, (data) => pathTo.reduce((acc, key) => acc[key], data) as Page<N>, variables);

  before(async () => {
    [devnet, db] = await Promise.all([
      startDevnet({ port: 0, scenario: 'small', seed: 1, out: path.join(dir, 'deployment.json') }),
      setupTestDatabase(),
    ]);
    truth = devnet.groundTruth;
    const proc = startTestProcessor({ dbUrl: db.url, rpcUrl: devnet.rpcUrl, deploymentFile: devnet.deploymentFile });
    try {
      await waitForHeight(db, proc, truth.headBlock);
    } finally {
      await proc.kill();
    }
    api = await createApiServer({ dbUrl: db.url, port: 0, host: '127.0.0.1' });
    gql = createGraphqlClient(api.url);
  });

  after(async () => {
    await api?.close();
    await Promise.all([devnet?.stop(), db?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('inferences: every one once in chain order, DESC the reverse, filters equal the truth', async () => {
    const q = `query($after: String, $where: InferenceWhere, $dir: OrderDirection) {
      inferences(first: 37, after: $after, where: $where, orderBy: { field: CHAIN, direction: $dir }) {
        edges { node { id modelId payer fee epoch blockNumber logIndex } } pageInfo { hasNextPage endCursor } } }`;
    type Row = {
      id: string;
      modelId: string;
      payer: string;
      fee: string;
      epoch: string;
      blockNumber: number;
      logIndex: number;
    };
    const asc = await walk<Row>(q, ['inferences'], { dir: 'ASC' });
    assert.deepEqual(asc.map((i) => i.id).sort(), Object.keys(truth.inferences).sort());
    const positions = asc.map((i) => i.blockNumber * 1e6 + i.logIndex);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    const desc = await walk<Row>(q, ['inferences'], { dir: 'DESC' });
    assert.deepEqual(
      desc.map((i) => i.id),
      asc.map((i) => i.id).reverse(),
    );
    for (const [id, i] of Object.entries(truth.inferences)) {
      const row = asc.find((r) => r.id === id)!;
      assert.deepEqual([row.modelId, row.payer, row.fee, row.epoch], [i.modelId, i.payer, i.fee, i.epoch], id);
    }
    const truths = Object.entries(truth.inferences);
    for (const [modelId, n] of countBy(truths, ([, i]) => i.modelId)) {
      const rows = await walk<Row>(q, ['inferences'], { where: { modelId } });
      assert.equal(rows.length, n, `model ${modelId}`);
      assert.ok(rows.every((r) => r.modelId === modelId));
    }
    for (const [payer, n] of [...countBy(truths, ([, i]) => i.payer)].slice(0, 5)) {
      assert.equal((await walk<Row>(q, ['inferences'], { where: { payer } })).length, n, `payer ${payer}`);
    }
    for (const [epoch, n] of countBy(truths, ([, i]) => i.epoch)) {
      assert.equal((await walk<Row>(q, ['inferences'], { where: { epoch } })).length, n, `epoch ${epoch}`);
    }
    const mid = asc[Math.floor(asc.length / 2)].blockNumber;
    const ranged = await walk<Row>(q, ['inferences'], { where: { fromBlock: mid, toBlock: mid + 20 } });
    assert.deepEqual(
      ranged.map((r) => r.id),
      asc.filter((r) => r.blockNumber >= mid && r.blockNumber <= mid + 20).map((r) => r.id),
    );
  });

  it("a model's inferences and a Datanet's contributions equal the truth", async () => {
    for (const [id, m] of Object.entries(truth.models)) {
      const { model } = await gql(`{ model(id: "${id}") { inferences(first: 1) { totalCount } } }`);
      assert.equal(model.inferences.totalCount, m.inferences, `model ${id}`);
    }
    const contributions = Object.values(truth.contributions);
    for (const [id, d] of Object.entries(truth.datanets)) {
      const { datanet } = await gql(`{ datanet(id: "${id}") {
        all: contributions(first: 1) { totalCount }
        rejected: contributions(first: 1, where: { status: REJECTED }) { totalCount }
        duplicates: contributions(first: 1, where: { isDuplicate: true }) { totalCount } } }`);
      const mine = contributions.filter((c) => c.datanetId === id);
      assert.equal(datanet.all.totalCount, d.contributions, `datanet ${id}`);
      assert.equal(datanet.rejected.totalCount, mine.filter((c) => c.status === 'REJECTED').length, `datanet ${id}`);
      assert.equal(datanet.duplicates.totalCount, mine.filter((c) => c.duplicateOf !== null).length, `datanet ${id}`);
    }
  });

  it('contributions: ID DESC is ID ASC reversed, and contributor/status filters equal the truth', async () => {
    const q = `query($after: String, $where: ContributionWhere, $dir: OrderDirection) {
      contributions(first: 101, after: $after, where: $where, orderBy: { field: ID, direction: $dir }) {
        edges { node { id status contributorAddress } } pageInfo { hasNextPage endCursor } } }`;
    type Row = { id: string; status: string; contributorAddress: string };
    const asc = await walk<Row>(q, ['contributions'], { dir: 'ASC' });
    const desc = await walk<Row>(q, ['contributions'], { dir: 'DESC' });
    assert.equal(asc.length, truth.totals.contributions);
    assert.deepEqual(
      desc.map((c) => c.id),
      asc.map((c) => c.id).reverse(),
    );
    const contributors = countBy(Object.values(truth.contributions), (c) => c.contributor);
    for (const [contributor, n] of [...contributors].slice(0, 6)) {
      assert.equal((await walk<Row>(q, ['contributions'], { where: { contributor } })).length, n, contributor);
    }
    const pending = Object.values(truth.contributions).filter((c) => c.status === 'PENDING').length;
    assert.equal((await walk<Row>(q, ['contributions'], { where: { status: 'PENDING' } })).length, pending);
  });

  it('reviews: one row per ContributionReviewed, per contribution as the truth counts them', async () => {
    const total = Object.values(truth.contributions).reduce((a, c) => a + c.reviews, 0);
    const { reviews } = await gql(`{ reviews(first: 1) { totalCount } }`);
    assert.equal(reviews.totalCount, total);
    const reviewed = Object.entries(truth.contributions)
      .filter(([, c]) => c.reviews > 1)
      .slice(0, 5);
    assert.ok(reviewed.length > 0, 'the scenario re-reviews');
    for (const [id, c] of reviewed) {
      const { contribution } = await gql(`{ contribution(id: "${id}") {
        reviews(first: 10) { edges { node { accepted qualityBps blockNumber } } } } }`);
      const rows = contribution.reviews.edges.map((e: { node: { accepted: boolean; qualityBps: number } }) => e.node);
      assert.equal(rows.length, c.reviews, id);
      const last = rows[rows.length - 1];
      assert.equal(last.accepted ? 'ACCEPTED' : 'REJECTED', c.status, `latest review decides ${id}`);
      assert.equal(last.qualityBps, c.qualityBps, id);
    }
  });

  it('claims: per account and per epoch the sums equal what the truth says was claimed', async () => {
    const q = `query($after: String, $where: RewardClaimWhere) {
      claims(first: 50, after: $after, where: $where) { edges { node { account epoch amount } } pageInfo { hasNextPage endCursor } } }`;
    type Row = { account: string; epoch: string; amount: string };
    const all = await walk<Row>(q, ['claims']);
    assert.equal(all.length, truth.totals.claims);
    assert.equal(all.reduce((a, c) => a + BigInt(c.amount), 0n).toString(), truth.totals.claimed);
    for (const [epoch, e] of Object.entries(truth.epochs).filter(([, e]) => e.claims > 0)) {
      const rows = await walk<Row>(q, ['claims'], { where: { epoch } });
      assert.equal(rows.length, e.claims, `epoch ${epoch}`);
      assert.equal(rows.reduce((a, c) => a + BigInt(c.amount), 0n).toString(), e.claimed, `epoch ${epoch}`);
    }
    const claimers = Object.entries(truth.accounts)
      .filter(([, a]) => a.claimed !== '0')
      .slice(0, 8);
    for (const [address, a] of claimers) {
      const { contributor } = await gql(`{ contributor(address: "${address}") {
        claims(first: 100) { edges { node { amount } } } } }`);
      const sum = contributor.claims.edges.reduce((s: bigint, e: { node: Row }) => s + BigInt(e.node.amount), 0n);
      assert.equal(sum.toString(), a.claimed, address);
    }
  });

  it('slashes, anomalies, credit purchases and creation fees equal the truth', async () => {
    const slashed = Object.entries(truth.accounts).filter(([, a]) => a.slashes > 0);
    assert.ok(slashed.length > 0, 'the scenario slashes');
    for (const [address, a] of slashed) {
      const { slashes } = await gql(`{ slashes(first: 100, where: { contributor: "${address}" }) {
        edges { node { amount } } } }`);
      assert.equal(slashes.edges.length, a.slashes, address);
      const sum = slashes.edges.reduce((s: bigint, e: { node: { amount: string } }) => s + BigInt(e.node.amount), 0n);
      assert.equal(sum.toString(), a.slashedAmount, address);
    }
    for (const [kind, n] of Object.entries(truth.anomalies)) {
      const { anomalies } = await gql(`{ anomalies(first: 1, where: { kind: "${kind}" }) { totalCount } }`);
      assert.equal(anomalies.totalCount, n, kind);
    }
    const fees = await walk<{ amount: string }>(
      `query($after: String) { datanetCreationFees(first: 50, after: $after) {
        edges { node { amount } } pageInfo { hasNextPage endCursor } } }`,
      ['datanetCreationFees'],
    );
    assert.equal(fees.length, truth.totals.datanetCreationFees);
    assert.equal(fees.reduce((a, f) => a + BigInt(f.amount), 0n).toString(), truth.totals.datanetCreationFeeTotal);
    const { creditPurchases } = await gql(`{ creditPurchases(first: 1) { totalCount } }`);
    assert.equal(creditPurchases.totalCount, truth.totals.creditPurchases);
  });

  it('models: the list, by owner and by Datanet, equals the truth', async () => {
    const q = `query($after: String, $where: ModelWhere) {
      models(first: 3, after: $after, where: $where) { edges { node { id owner } } pageInfo { hasNextPage endCursor } } }`;
    const all = await walk<{ id: string }>(q, ['models']);
    assert.deepEqual(
      all.map((m) => m.id),
      Object.keys(truth.models).sort((a, b) => Number(a) - Number(b)),
    );
    const datanetId = Object.values(truth.models)[0].datanetIds[0];
    const onIt = await walk<{ id: string }>(q, ['models'], { where: { datanetId } });
    assert.deepEqual(
      onIt.map((m) => m.id).sort(),
      Object.entries(truth.models)
        .filter(([, m]) => m.datanetIds.includes(datanetId))
        .map(([id]) => id)
        .sort(),
    );
  });

  it('rejects a cursor of another order and an inverted block range, naming the argument', async () => {
    const { contributions } = await gql(`{ contributions(first: 1) { pageInfo { endCursor } } }`);
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($a: String) { contributions(first: 1, after: $a, orderBy: { field: ID, direction: DESC }) { totalCount } }
          `,
        variables: { a: contributions.pageInfo.endCursor },
      }),
    });
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.match(body.errors[0].message, /after/);
    const inverted = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ inferences(where: { fromBlock: 10, toBlock: 5 }) { totalCount } }` }),
    });
    const err = ((await inverted.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0];
    assert.equal(err.extensions.code, 'BAD_USER_INPUT');
    assert.match(err.message, /where\.toBlock/);
  });
  describe('documented queries (docs/queries.md)', () => {
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
        const ids = n.contributions.edges.map((e: { node: { contributionId: string } }) =>
          BigInt(e.node.contributionId),
        );
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
          [
            n.modelId,
            n.payer,
            n.fee,
            n.modelOwnerAmount,
            n.datanetOwnersAmount,
            n.contributorsAmount,
            n.protocolAmount,
          ],
          [
            i.modelId,
            i.payer,
            i.fee,
            i.modelOwnerAmount,
            i.datanetOwnersAmount,
            i.contributorsAmount,
            i.protocolAmount,
          ],
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
});
