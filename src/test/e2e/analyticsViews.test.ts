/**
 * End to end: the analytics views, read as the role `analyst` over the indexed `small` scenario,
 * hold exactly what the simulator's ground truth (and, for times, sizes and names, the chain's own
 * logs) says: every entity, every amount, every history row, every stats bucket; addresses and
 * hashes are lowercase hex everywhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { FIRST_SPLIT, SECOND_SPLIT, type GroundTruth } from '../../devnet';
import { loadAnalyticsCatalog } from '../../sql/catalog';
import { resolveAnalystDatabaseLogin } from '../../sql/login';
import { readChainFacts, type ChainFacts } from './chainFacts';
import { checkBridgeViews, checkEpochViews, checkStatsViews, keyed, s, type Row } from './analyticsChecks';
import { indexSmallScenario, type IndexedScenario } from './indexedScenario';

const ADDRESS_COLUMNS =
  /^(address|owner|account|contributor|validator|payer|buyer|model_owner|last_reviewer|from_address|to_address|l2_account|token|l1_token|contract)$/;
const HASH_COLUMNS =
  /^(tx_hash|created_tx_hash|data_hash|block_hash|inference_id|withdrawal_hash|source_hash|weights_hash|transaction_id|posted_root|recomputed_root)$/;

describe('the analytics views as analyst against the ground truth (small scenario)', () => {
  let scenario: IndexedScenario;
  let truth: GroundTruth;
  let chain: ChainFacts;
  let analyst: Client;
  const q = async (sql: string): Promise<Row[]> => (await analyst.query(sql)).rows;

  before(async () => {
    scenario = await indexSmallScenario();
    truth = scenario.truth;
    chain = await readChainFacts(scenario.devnet.rpcUrl, scenario.devnet.deployment, truth.headBlock);
    analyst = new Client({
      connectionString: await resolveAnalystDatabaseLogin({ url: scenario.db.url, env: {} }),
      types: { getTypeParser: () => (v: string) => v },
    });
    await analyst.connect();
  });
  after(async () => {
    await analyst?.end();
    await scenario?.close();
  });

  it('indexer_head and protocol: the head, the event count and every all-time total', async () => {
    const [head] = await q('SELECT block_number, event_count, block_time FROM analytics.indexer_head');
    assert.deepEqual(head, {
      block_number: s(truth.headBlock),
      event_count: s(truth.totals.events),
      block_time: new Date(chain.blockTime(truth.headBlock) * 1000)
        .toISOString()
        .replace('T', ' ')
        .replace('.000Z', '+00'),
    });
    const [p] = await q('SELECT * FROM analytics.protocol');
    const t = truth.totals;
    assert.deepEqual(p, {
      datanet_count: s(t.datanets),
      contribution_count: s(t.contributions),
      model_count: s(t.models),
      inference_count: s(t.inferences),
      attributed_inference_count: s(t.attributedInferences),
      total_fees: t.fees,
      total_to_contributors: t.toContributors,
      total_to_datanet_owners: t.toDatanetOwners,
      total_to_model_owners: t.toModelOwners,
      total_to_protocol: t.toProtocol,
      total_claimed: t.claimed,
      reviews_accepted: s(t.reviewsAccepted),
      reviews_rejected: s(t.reviewsRejected),
      bridge_deposit_count: s(t.bridgeDeposits),
      bridge_withdrawal_count: s(t.bridgeWithdrawals),
      anomaly_count: s(Object.values(truth.anomalies).reduce((a, b) => a + b, 0)),
      protocol_bps: s(SECOND_SPLIT.protocolBps),
      model_owner_bps: s(SECOND_SPLIT.modelOwnerBps),
      datanet_owner_bps: s(SECOND_SPLIT.datanetOwnerBps),
      contributors_bps: s(SECOND_SPLIT.contributorsBps),
    });
    const splits = await q('SELECT * FROM analytics.fee_splits ORDER BY block_number, log_index');
    assert.deepEqual(
      splits.map((r) => [r.protocol_bps, r.model_owner_bps, r.datanet_owner_bps, r.contributors_bps].map(Number)),
      [FIRST_SPLIT, SECOND_SPLIT].map((x) => [x.protocolBps, x.modelOwnerBps, x.datanetOwnerBps, x.contributorsBps]),
    );
  });

  it('datanets and datanet_contributors equal the truth; names are those of DatanetCreated', async () => {
    const rows = await q('SELECT * FROM analytics.datanets');
    assert.deepEqual(
      keyed(rows, (r) => r.datanet_id!, [
        'name',
        'owner',
        'status',
        'validator_count',
        'contribution_count',
        'pending_count',
        'accepted_count',
        'rejected_count',
        'duplicate_count',
        'total_size_bytes',
        'accepted_size_bytes',
        'slash_count',
        'slashed_amount',
        'owner_earned',
        'contributors_earned',
        'earned_total',
      ]),
      Object.fromEntries(
        Object.entries(truth.datanets).map(([id, d]) => [
          id,
          {
            name: chain.datanetNames.get(id)!,
            owner: d.owner,
            status: d.status,
            validator_count: s(d.validatorCount),
            contribution_count: s(d.contributions),
            pending_count: s(d.pending),
            accepted_count: s(d.accepted),
            rejected_count: s(d.rejected),
            duplicate_count: s(d.duplicates),
            total_size_bytes: d.totalSizeBytes,
            accepted_size_bytes: d.acceptedSizeBytes,
            slash_count: s(d.slashes),
            slashed_amount: d.slashedAmount,
            owner_earned: d.ownerEarned,
            contributors_earned: d.contributorsEarned,
            earned_total: d.earnedTotal,
          },
        ]),
      ),
    );
    const validators = await q(
      'SELECT datanet_id, count(*) AS n FROM analytics.datanet_validators WHERE enabled GROUP BY 1',
    );
    assert.deepEqual(
      Object.fromEntries(validators.map((r) => [r.datanet_id, Number(r.n)])),
      Object.fromEntries(Object.entries(truth.datanets).map(([id, d]) => [id, d.validatorCount])),
    );
    const earnings = await q('SELECT datanet_id, contributor, earned FROM analytics.datanet_contributors');
    assert.deepEqual(
      Object.fromEntries(earnings.map((r) => [`${r.datanet_id}/${r.contributor}`, r.earned])),
      Object.fromEntries(
        Object.entries(truth.datanets).flatMap(([id, d]) =>
          Object.entries(d.contributorEarnings).map(([a, v]) => [`${id}/${a}`, v]),
        ),
      ),
    );
  });

  it('contributions and reviews equal the truth; submission block and size are those of the chain', async () => {
    const rows = await q('SELECT * FROM analytics.contributions');
    assert.deepEqual(
      keyed(rows, (r) => r.contribution_id!, [
        'datanet_id',
        'contributor',
        'status',
        'quality_bps',
        'review_count',
        'is_duplicate',
        'duplicate_of',
        'size_bytes',
        'block_number',
      ]),
      Object.fromEntries(
        Object.entries(truth.contributions).map(([id, c]) => {
          const sub = chain.submissions.get(id)!;
          return [
            id,
            {
              datanet_id: c.datanetId,
              contributor: c.contributor,
              status: c.status,
              quality_bps: s(c.qualityBps),
              review_count: s(c.reviews),
              is_duplicate: c.duplicateOf === null ? 'f' : 't',
              duplicate_of: c.duplicateOf,
              size_bytes: s(sub.sizeBytes),
              block_number: s(sub.block),
            },
          ];
        }),
      ),
    );
    const reviews = await q(
      `SELECT contribution_id, count(*) AS n, count(*) FILTER (WHERE outcome = 'ACCEPTED') AS accepted
         FROM analytics.reviews GROUP BY 1`,
    );
    assert.deepEqual(
      Object.fromEntries(reviews.map((r) => [r.contribution_id, Number(r.n)])),
      Object.fromEntries(
        Object.entries(truth.contributions)
          .filter(([, c]) => c.reviews > 0)
          .map(([id, c]) => [id, c.reviews]),
      ),
    );
    assert.equal(
      reviews.reduce((n, r) => n + Number(r.accepted), 0),
      truth.totals.reviewsAccepted,
    );
  });

  it('models, model_datanets and model_epochs equal the truth', async () => {
    const rows = await q('SELECT * FROM analytics.models');
    assert.deepEqual(
      keyed(rows, (r) => r.model_id!, [
        'name',
        'owner',
        'datanet_ids',
        'adapter_count',
        'inference_count',
        'total_fees',
        'owner_earned',
        'contributors_earned',
        'datanet_owners_earned',
        'protocol_earned',
      ]),
      Object.fromEntries(
        Object.entries(truth.models).map(([id, m]) => [
          id,
          {
            name: chain.modelNames.get(id)!,
            owner: m.owner,
            datanet_ids: `{${m.datanetIds.join(',')}}`,
            adapter_count: s(m.adapters),
            inference_count: s(m.inferences),
            total_fees: m.fees,
            owner_earned: m.ownerEarned,
            contributors_earned: m.contributorsEarned,
            datanet_owners_earned: m.datanetOwnersEarned,
            protocol_earned: m.protocolEarned,
          },
        ]),
      ),
    );
    const pairs = await q('SELECT model_id, datanet_id FROM analytics.model_datanets ORDER BY model_id, datanet_id');
    assert.deepEqual(
      pairs.map((r) => `${r.model_id}/${r.datanet_id}`).sort(),
      Object.entries(truth.models)
        .flatMap(([id, m]) => m.datanetIds.map((d) => `${id}/${d}`))
        .sort(),
    );
    const epochs = await q('SELECT * FROM analytics.model_epochs');
    assert.deepEqual(
      keyed(epochs, (r) => `${r.epoch}/${r.model_id}`, [
        'inference_count',
        'fees',
        'owner_earned',
        'contributors_earned',
        'datanet_owners_earned',
        'protocol_earned',
      ]),
      Object.fromEntries(
        Object.entries(truth.epochs).flatMap(([e, ep]) =>
          Object.entries(ep.models).map(([id, m]) => [
            `${e}/${id}`,
            {
              inference_count: s(m.inferences),
              fees: m.fees,
              owner_earned: m.ownerEarned,
              contributors_earned: m.contributorsEarned,
              datanet_owners_earned: m.datanetOwnersEarned,
              protocol_earned: m.protocolEarned,
            },
          ]),
        ),
      ),
    );
  });

  it('accounts: counters, earnings per role, claimed, claimable and pending equal the truth', async () => {
    const rows = await q('SELECT * FROM analytics.accounts');
    assert.deepEqual(
      keyed(rows, (r) => r.address!, [
        'contribution_count',
        'pending_count',
        'accepted_count',
        'rejected_count',
        'duplicate_count',
        'accepted_quality_sum',
        'slash_count',
        'slashed_amount',
        'earned_as_contributor',
        'earned_as_datanet_owner',
        'earned_as_model_owner',
        'earned_total',
        'claimed_total',
        'claimable',
        'pending',
      ]),
      Object.fromEntries(
        Object.entries(truth.accounts).map(([address, a]) => [
          address,
          {
            contribution_count: s(a.contributions),
            pending_count: s(a.pending),
            accepted_count: s(a.accepted),
            rejected_count: s(a.rejected),
            duplicate_count: s(a.duplicates),
            accepted_quality_sum: s(a.acceptedQualitySum),
            slash_count: s(a.slashes),
            slashed_amount: a.slashedAmount,
            earned_as_contributor: a.earnedAsContributor,
            earned_as_datanet_owner: a.earnedAsDatanetOwner,
            earned_as_model_owner: a.earnedAsModelOwner,
            earned_total: a.earnedTotal,
            claimed_total: a.claimed,
            claimable: a.claimable,
            pending: a.pendingRewards,
          },
        ]),
      ),
    );
  });

  it('reputation and reputation_history equal the truth, component by component and block by block', async () => {
    const rows = await q('SELECT * FROM analytics.reputation');
    assert.deepEqual(
      keyed(rows, (r) => r.address!, [
        'score',
        'acceptance_bps',
        'quality_bps',
        'impact_bps',
        'accepted',
        'rejected',
        'duplicates',
        'slashes',
        'accepted_quality_sum',
        'earned',
      ]),
      Object.fromEntries(
        Object.entries(truth.reputation).map(([a, r]) => [
          a,
          {
            score: s(r.score),
            acceptance_bps: s(r.acceptanceBps),
            quality_bps: s(r.qualityBps),
            impact_bps: s(r.impactBps),
            accepted: s(r.accepted),
            rejected: s(r.rejected),
            duplicates: s(r.duplicates),
            slashes: s(r.slashes),
            accepted_quality_sum: s(r.acceptedQualitySum),
            earned: r.earned,
          },
        ]),
      ),
    );
    const history = await q(
      'SELECT address, block_number, block_time, score FROM analytics.reputation_history ORDER BY address, block_number',
    );
    const served: Record<string, { block: number; score: number }[]> = {};
    for (const h of history) {
      (served[h.address!] ??= []).push({ block: Number(h.block_number), score: Number(h.score) });
      assert.equal(
        Date.parse(h.block_time!.replace(' ', 'T').replace('+00', 'Z')) / 1000,
        chain.blockTime(Number(h.block_number)),
      );
    }
    assert.deepEqual(served, Object.fromEntries(Object.entries(truth.reputation).map(([a, r]) => [a, r.history])));
  });

  it('inferences, attributions and payouts equal the truth, inference by inference', async () => {
    const rows = await q('SELECT * FROM analytics.inferences');
    assert.deepEqual(
      keyed(rows, (r) => r.inference_id!, [
        'model_id',
        'payer',
        'fee',
        'epoch',
        'attribution_count',
        'eligible_count',
        'model_owner_amount',
        'datanet_owners_amount',
        'contributors_amount',
        'protocol_amount',
      ]),
      Object.fromEntries(
        Object.entries(truth.inferences).map(([id, i]) => [
          id,
          {
            model_id: i.modelId,
            payer: i.payer,
            fee: i.fee,
            epoch: i.epoch,
            attribution_count: s(i.attributions),
            eligible_count: s(i.eligible),
            model_owner_amount: i.modelOwnerAmount,
            datanet_owners_amount: i.datanetOwnersAmount,
            contributors_amount: i.contributorsAmount,
            protocol_amount: i.protocolAmount,
          },
        ]),
      ),
    );
    const attributions = await q(
      `SELECT inference_id, count(*) AS n, count(*) FILTER (WHERE eligible) AS eligible, sum(amount) AS amount
         FROM analytics.attributions GROUP BY 1`,
    );
    assert.deepEqual(
      keyed(attributions, (r) => r.inference_id!, ['n', 'eligible', 'amount']),
      Object.fromEntries(
        Object.entries(truth.inferences)
          .filter(([, i]) => i.attributions > 0)
          .map(([id, i]) => [id, { n: s(i.attributions), eligible: s(i.eligible), amount: i.contributorsAmount }]),
      ),
    );
    const payouts = await q(`SELECT inference_id, role, sum(amount) AS amount FROM analytics.payouts GROUP BY 1, 2`);
    const byRole = {
      CONTRIBUTOR: 'contributorsAmount',
      DATANET_OWNER: 'datanetOwnersAmount',
      MODEL_OWNER: 'modelOwnerAmount',
    } as const;
    assert.deepEqual(
      Object.fromEntries(payouts.map((r) => [`${r.inference_id}/${r.role}`, r.amount])),
      Object.fromEntries(
        Object.entries(truth.inferences).flatMap(([id, i]) =>
          Object.entries(byRole)
            .filter(([, f]) => BigInt(i[f]) > 0n)
            .map(([role, f]) => [`${id}/${role}`, i[f]]),
        ),
      ),
    );
  });

  it('accruals, accruals_by_role, payouts per epoch, epochs, claims and datanet_epochs equal the truth', () =>
    checkEpochViews(q, truth));

  it('bridge_transfers, bridge_account_tokens and bridge_tokens equal the truth; one row per transfer', () =>
    checkBridgeViews(q, truth));

  for (const interval of ['DAY', 'HOUR'] as const) {
    it(`${interval === 'DAY' ? 'daily' : 'hourly'}_stats: every bucket of every scope equals the truth, NULL where the scope keeps no figure`, () =>
      checkStatsViews(q, truth, interval));
  }

  it('credit purchases, Datanet creation fees and anomalies equal the truth', async () => {
    const [credits] = await q('SELECT count(*) AS n, sum(amount_paid) AS paid FROM analytics.credit_purchases');
    assert.deepEqual(credits, { n: s(truth.totals.creditPurchases), paid: truth.totals.creditPaid });
    const [fees] = await q('SELECT count(*) AS n, sum(amount) AS paid FROM analytics.datanet_creation_fees');
    assert.deepEqual(fees, { n: s(truth.totals.datanetCreationFees), paid: truth.totals.datanetCreationFeeTotal });
    const anomalies = await q('SELECT kind, count(*) AS n FROM analytics.anomalies GROUP BY kind');
    assert.deepEqual(Object.fromEntries(anomalies.map((r) => [r.kind, Number(r.n)])), truth.anomalies);
  });

  it('addresses and hashes are lowercase 0x hex in every view and column', async () => {
    const views = await loadAnalyticsCatalog(q);
    let checked = 0;
    for (const v of views) {
      for (const c of v.columns) {
        const hash = HASH_COLUMNS.test(c.name) || (v.name === 'slashes' && c.name === 'reason'); // a bytes32 reason
        const pattern = ADDRESS_COLUMNS.test(c.name) ? '^0x[0-9a-f]{40}$' : hash ? '^0x[0-9a-f]{64}$' : null;
        if (!pattern) continue;
        const [r] = await q(
          `SELECT count(${c.name}) AS n, count(*) FILTER (WHERE ${c.name} !~ '${pattern}') AS bad FROM analytics.${v.name}`,
        );
        assert.equal(r.bad, '0', `analytics.${v.name}.${c.name}`);
        if (Number(r.n) > 0) checked++;
      }
    }
    assert.ok(checked >= 40, `${checked} columns with values checked`);
  });
});
