/**
 * End to end: every list of the API, with its filters and orders, walked page by page over the
 * `small` scenario and compared with the simulator's independent ground truth.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GroundTruth } from '../../devnet';
import { indexSmallScenario, type IndexedScenario } from './indexedScenario';

/** Counts of `values`, keyed by value. */
function countBy<T>(values: Iterable<T>, key: (v: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(key(v), (out.get(key(v)) ?? 0) + 1);
  return out;
}

describe('every list, filter and order against the ground truth (small scenario)', () => {
  let scenario: IndexedScenario;
  let truth: GroundTruth;
  let gql: IndexedScenario['gql'];
  let api: IndexedScenario['api'];
  const walk: IndexedScenario['walk'] = (query, pathTo, variables) => scenario.walk(query, pathTo, variables);

  before(async () => {
    scenario = await indexSmallScenario();
    ({ truth, gql, api } = scenario);
  });
  after(() => scenario?.close());

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
});
