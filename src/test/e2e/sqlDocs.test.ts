/**
 * End to end: every query of docs/sql.md, run as the role `analyst` over the indexed `small`
 * scenario, must return exactly the rows computed independently in sqlDocsTruth.ts (from the
 * simulator's ground truth and the chain's own logs and block times), so the cookbook cannot rot.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { GroundTruth } from '../../devnet';
import { resolveAnalystDatabaseLogin } from '../../sql/login';
import { readChainFacts, type ChainFacts } from './chainFacts';
import { indexSmallScenario, type IndexedScenario } from './indexedScenario';
import * as expected from './sqlDocsTruth';
import type { ExpectedTable } from './sqlDocsTruth';

/** The documented queries of docs/sql.md by their `### Title`: the sql block under each. */
export function documentedSqlQueries(file = path.resolve(__dirname, '../../../docs/sql.md')): Map<string, string> {
  const out = new Map<string, string>();
  for (const section of fs.readFileSync(file, 'utf8').split(/^### /m).slice(1)) {
    const title = section.slice(0, section.indexOf('\n')).trim();
    const block = /```sql\n([\s\S]*?)```/.exec(section);
    if (block) out.set(title, block[1]);
  }
  return out;
}

/** Each documented title and how its expected result is computed. */
const CHECKS: Record<string, (truth: GroundTruth, chain: ChainFacts) => ExpectedTable> = {
  'Top contributors per Datanet per month': expected.topContributorsPerMonth,
  'Acceptance rate by contributor cohort': expected.acceptanceByCohort,
  'Duplicate rate per Datanet': expected.duplicateRate,
  'Reputation movers': expected.reputationMovers,
  'Payout concentration per epoch': expected.payoutConcentration,
  'Payouts by role per epoch': expected.payoutsByRole,
  'Claim rate per epoch': expected.claimRate,
  'Largest unclaimed balances': expected.unclaimedBalances,
  'Model revenue vs contributor payouts': expected.modelRevenue,
  'Attribution coverage per model': expected.attributionCoverage,
  'Datanet revenue per epoch': expected.datanetRevenuePerEpoch,
  'Top payers': expected.topPayers,
  'Daily revenue split': expected.dailyRevenue,
  'Bridge net flow per day': expected.bridgeNetFlow,
};

describe('documented SQL queries (docs/sql.md) as analyst against the ground truth (small scenario)', () => {
  let scenario: IndexedScenario;
  let chain: ChainFacts;
  let analyst: Client;
  const docs = documentedSqlQueries();

  before(async () => {
    scenario = await indexSmallScenario();
    const { devnet, truth, db } = scenario;
    chain = await readChainFacts(devnet.rpcUrl, devnet.deployment, truth.headBlock);
    assert.equal(chain.submissions.size, Object.keys(truth.contributions).length, 'one log per contribution');
    // Postgres' own text for every value (numeric exact, dates and times as printed), like npm run sql.
    analyst = new Client({
      connectionString: await resolveAnalystDatabaseLogin({ url: db.url, env: {} }),
      types: { getTypeParser: () => (v: string) => v },
    });
    await analyst.connect();
  });
  after(async () => {
    await analyst?.end();
    await scenario?.close();
  });

  it('every documented query is tested here, and there are at least 10', () => {
    assert.deepEqual([...docs.keys()].sort(), Object.keys(CHECKS).sort());
    assert.ok(docs.size >= 10);
  });

  it('the queries read the analytics views only', () => {
    for (const [title, sql] of docs) {
      const relations = [...sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_.]+)/gi)].map((m) => m[1]);
      const outside = relations.filter((r) => r.includes('.') && !r.startsWith('analytics.'));
      assert.deepEqual(outside, [], title);
      assert.ok(
        relations.some((r) => r.startsWith('analytics.')),
        `${title} reads analytics`,
      );
    }
  });

  for (const [title, compute] of Object.entries(CHECKS)) {
    it(`${title}: every row and column equal the independent computation`, async () => {
      const sql = docs.get(title);
      assert.ok(sql, `docs/sql.md has a "${title}" query`);
      const result = await analyst.query({ text: sql, rowMode: 'array' });
      const want = compute(scenario.truth, chain);
      assert.deepEqual(
        result.fields.map((f) => f.name),
        want.columns,
        title,
      );
      assert.ok(want.rows.length > 0, `${title}: the scenario gives it rows to check`);
      assert.deepEqual(result.rows, want.rows, title);
    });
  }
});
