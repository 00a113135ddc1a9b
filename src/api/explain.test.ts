// Every filter and order the API offers is served by an index: each list query of the schema is run
// against tables filled to realistic sizes, and the plan of every statement it sends is checked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql } from 'graphql';
import { createChainHeadSource } from './chainHead';
import type { ApiContext } from './context';
import { createApiDb, type ApiDb } from './db';
import { schema } from './schema';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';

/** Rows per table: the large ones hold enough rows that a scan or a sort of them shows in the plan. */
const SIZES: Record<string, number> = {
  account: 20_000,
  contribution: 100_000,
  contribution_review: 100_000,
  inference: 50_000,
  attribution: 200_000,
  payout: 100_000,
  bridge_transfer: 30_000,
  reward_claim: 30_000,
  reputation_change: 100_000,
  account_epoch: 50_000,
  anomaly: 20_000,
  credit_purchase: 20_000,
  datanet_creation_fee: 20_000,
  slash: 20_000,
  datanet: 200,
  model: 50,
  datanet_validator: 1_000,
  adapter: 500,
  model_datanet: 150,
  datanet_epoch: 2_000,
  model_epoch: 500,
  epoch: 10,
};
/** A table counts as large (must never be scanned) from this many rows; a sort of more rows than SORT_LIMIT fails. */
const LARGE = 10_000;
const SORT_LIMIT = 1_000;

const addr = (n: string) => `'0x' || lpad(to_hex(${n}), 40, '0')`;
const hash = (n: string) => `'0x' || lpad(to_hex(${n}), 64, '0')`;
const position = (block: string, log: string) =>
  `lpad((${block})::text, 10, '0') || '-' || lpad((${log})::text, 6, '0')`;

/** Column values per table (expressions of the row number i); the rest follow the column's type. */
const COLUMNS: Record<string, Record<string, string>> = {
  '*': {
    id: 'i::text',
    block_number: '(i / 5)',
    log_index: '(i % 5)',
    tx_hash: hash('i'),
    epoch: '(i % 10) + 1',
    timestamp: `timestamptz '2026-01-01' + i * interval '1 second'`,
  },
  account: { id: addr('i') },
  datanet: { datanet_id: 'i', owner: addr('i % 50'), status: `'ACTIVE'` },
  model: { model_id: 'i', owner: addr('i % 20'), datanet_ids: `'{}'` },
  contribution: {
    contribution_id: 'i',
    datanet_id: '((i % 200) + 1)::text',
    contributor_id: addr('i % 20000'),
    status: `(ARRAY['PENDING', 'ACCEPTED', 'REJECTED'])[i % 3 + 1]`,
    is_duplicate: '(i % 20 = 0)',
    submitted_at_block: '(i / 5)',
    duplicate_of_id: 'NULL',
  },
  contribution_review: {
    id: position('i / 5', 'i % 5'),
    contribution_id: '((i % 100000) + 1)::text',
    validator: addr('i % 100'),
  },
  inference: {
    id: hash('i'),
    model_id: '((i % 50) + 1)::text',
    raw_model_id: '(i % 50) + 1',
    payer: addr('i % 5000'),
    has_attribution: '(i % 4 <> 0)',
  },
  attribution: {
    id: `${hash('i / 4')} || '-' || (i % 4)`,
    inference_id: hash('i / 4'),
    position: '(i % 4)',
    contribution_id: '((i % 100000) + 1)::text',
    contributor: addr('i % 20000'),
    datanet_id: '(i % 200) + 1',
    status_at_attribution: `'ACCEPTED'`,
  },
  payout: {
    id: `${hash('i / 2')} || '-M' || i`,
    inference_id: hash('i / 2'),
    account: addr('i % 20000'),
    role: `(ARRAY['MODEL_OWNER', 'DATANET_OWNER'])[i % 2 + 1]`,
  },
  bridge_transfer: {
    from: addr('i % 20000'),
    to: addr('(i + 7) % 20000'),
    direction: `(ARRAY['IN', 'OUT'])[i % 2 + 1]`,
    asset: `(ARRAY['NATIVE', 'ERC20'])[i % 2 + 1]`,
    withdrawal_hash: hash('i'),
  },
  reward_claim: { id: position('i / 5', 'i % 5'), account: addr('i % 20000') },
  reputation_change: { account: addr('i % 20000'), block_number: 'i' },
  account_epoch: { account: addr('i % 20000') },
  anomaly: { id: position('i / 5', 'i % 5'), kind: `'KIND_' || (i % 5)` },
  credit_purchase: { id: position('i / 5', 'i % 5'), user: addr('i % 5000') },
  datanet_creation_fee: { id: position('i / 5', 'i % 5'), user: addr('i % 5000') },
  slash: {
    id: position('i / 5', 'i % 5'),
    datanet_id: '((i % 200) + 1)::text',
    contributor_id: addr('i % 20000'),
  },
  datanet_validator: { datanet_id: '((i % 200) + 1)::text', validator: addr('i % 100') },
  adapter: { model_id: '((i % 50) + 1)::text', version: 'i' },
  model_datanet: { model_id: '((i % 50) + 1)::text', datanet_id: '((i % 200) + 1)::text' },
  datanet_epoch: { datanet_id: '((i % 200) + 1)::text' },
  model_epoch: { model_id: '((i % 50) + 1)::text' },
  epoch: { epoch: 'i' },
};

function byType(type: string): string {
  if (type === 'integer') return '(i % 1000)';
  if (type === 'numeric') return '(i::numeric * 1000)';
  if (type === 'boolean') return '(i % 2 = 0)';
  if (type.startsWith('timestamp')) return `timestamptz '2026-01-01' + i * interval '1 second'`;
  if (type === 'ARRAY') return `'{}'`;
  return `'v' || (i % 97)`;
}

async function fill(db: TestDatabase): Promise<void> {
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  for (const [table, rows] of Object.entries(SIZES)) {
    const cols = columns.filter((c) => c.table_name === table);
    const exprs = cols.map(
      (c) => COLUMNS[table]?.[c.column_name] ?? COLUMNS['*'][c.column_name] ?? byType(c.data_type),
    );
    const names = cols.map((c) => `"${c.column_name}"`).join(', ');
    await db.query(`INSERT INTO "${table}" (${names}) SELECT ${exprs.join(', ')} FROM generate_series(1, ${rows}) i`);
  }
  await db.query('ANALYZE');
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

/** What is wrong with a plan: scans of large tables and sorts of many rows. */
function planProblems(plan: PlanNode, out: string[] = []): string[] {
  const type = plan['Node Type'];
  if (type === 'Seq Scan' && (SIZES[plan['Relation Name'] ?? ''] ?? 0) >= LARGE) {
    out.push(`Seq Scan on ${plan['Relation Name']}`);
  }
  if (type === 'Sort' && plan['Plan Rows'] > SORT_LIMIT) out.push(`Sort of ${plan['Plan Rows']} rows`);
  for (const child of plan.Plans ?? []) planProblems(child, out);
  return out;
}

const A = '0x0000000000000000000000000000000000000007';
const INF = '0x' + (8).toString(16).padStart(64, '0');

/** [name, query with $after, path to the connection]. */
const CASES: [string, string, string[]][] = [];
function list(name: string, field: string, args: string[], select = 'id', path: string[] = [field]): void {
  for (const a of ['', ...args]) {
    const argText = a ? `, ${a}` : '';
    CASES.push([
      `${name}${a ? ` (${a})` : ''}`,
      `query($after: String) { ${wrap(path, `${field}(first: 50, after: $after${argText}) { edges { node { ${select} } } pageInfo { endCursor } }`)} }`,
      path,
    ]);
  }
}
function wrap(path: string[], inner: string): string {
  // path = [...parents, field]: parents are object fields with their own arguments in `parent(args)` form
  return path.slice(0, -1).reduceRight((acc, parent) => `${parent} { ${acc} }`, inner);
}

const desc = (field: string) => `orderBy: { field: ${field}, direction: DESC }`;
list('contributions', 'contributions', [
  'where: { datanetId: "7" }',
  `where: { contributor: "${A}" }`,
  'where: { status: PENDING }',
  'where: { isDuplicate: true }',
  'where: { submittedAfterBlock: 19000 }',
  desc('ID'),
  `where: { datanetId: "7" }, ${desc('ID')}`,
  `where: { status: ACCEPTED }, ${desc('ID')}`,
]);
list('inferences', 'inferences', [
  'where: { modelId: "7" }',
  `where: { payer: "${A}" }`,
  'where: { epoch: "3" }',
  'where: { fromBlock: 9000, toBlock: 9100 }',
  desc('CHAIN'),
  `where: { modelId: "7" }, ${desc('CHAIN')}`,
]);
list('bridge transfers', 'bridgeTransfers', [
  `where: { account: "${A}" }`,
  'where: { direction: OUT }',
  'where: { asset: NATIVE }',
  `where: { withdrawalHash: "${INF}" }`,
  desc('CHAIN'),
]);
list('reviews', 'reviews', [`where: { validator: "${A}" }`, 'where: { contributionId: "9" }', desc('CHAIN')]);
list('claims', 'claims', [`where: { account: "${A}" }`, 'where: { epoch: "3" }', desc('CHAIN')]);
list('slashes', 'slashes', ['where: { datanetId: "7" }', `where: { contributor: "${A}" }`, desc('CHAIN')]);
list('anomalies', 'anomalies', ['where: { kind: "KIND_2" }', 'where: { fromBlock: 3000 }', desc('CHAIN')]);
list('credit purchases', 'creditPurchases', [`where: { user: "${A}" }`, desc('CHAIN')]);
list('creation fees', 'datanetCreationFees', [`where: { user: "${A}" }`, desc('CHAIN')]);
list('datanets', 'datanets', [desc('OWNER_EARNED'), desc('CONTRIBUTION_COUNT')]);
list('models', 'models', ['where: { datanetId: "7" }', desc('CREATED_AT')]);
list('epochs', 'epochs', [], 'epoch');
list('contributor contributions', 'contributions', ['where: { status: ACCEPTED }', desc('ID')], 'id', [
  `contributor(address: "${A}")`,
  'contributions',
]);
list('contributor payouts', 'payouts', [], 'id', [`contributor(address: "${A}")`, 'payouts']);
list('contributor claims', 'claims', [], 'id', [`contributor(address: "${A}")`, 'claims']);
list('contributor reputation history', 'history', [], 'blockNumber', [
  `contributor(address: "${A}")`,
  'reputation',
  'history',
]);
list('datanet contributions', 'contributions', ['where: { status: REJECTED }', desc('ID')], 'id', [
  'datanet(id: "7")',
  'contributions',
]);
list('datanet validators', 'validators', [], 'validator', ['datanet(id: "7")', 'validators']);
list('model inferences', 'inferences', [desc('CHAIN')], 'id', ['model(id: "7")', 'inferences']);
list('contribution reviews', 'reviews', [], 'id', ['contribution(id: "9")', 'reviews']);
list('contribution attributions', 'attributions', [], 'id', ['contribution(id: "9")', 'attributions']);
list('inference attributions', 'attributions', [], 'id', [`inference(id: "${INF}")`, 'attributions']);
list('inference payouts', 'payouts', [], 'id', [`inference(id: "${INF}")`, 'payouts']);
list('epoch payout table', 'accounts', [], 'account', ['epoch(number: "3")', 'accounts']);

describe('query plans of every list (realistic table sizes)', () => {
  let database: TestDatabase;
  let inner: ApiDb;
  let statements: { text: string; plan: PlanNode }[] = [];
  /** Records the plan of a statement the API sends, and of its generic plan. */
  const explainStatement = async (text: string, values?: readonly unknown[]) => {
    const explain = async (options: string, params?: readonly unknown[]) => {
      const [row] = await inner.query<{ plan: [{ Plan: PlanNode }] }>(`EXPLAIN (${options}) ${text}`, params, (r) => ({
        plan: r['QUERY PLAN'] as [{ Plan: PlanNode }],
      }));
      return row.plan[0].Plan;
    };
    statements.push({ text, plan: await explain('FORMAT JSON', values) });
    // The API prepares the statements it runs often (db.ts): once Postgres settles on the generic
    // plan of one, that plan serves every value, so it must use the indexes as well.
    if (values?.length)
      statements.push({ text: `(generic plan) ${text}`, plan: await explain('FORMAT JSON, GENERIC_PLAN') });
  };
  const db: ApiDb = {
    async query(text, values, map) {
      await explainStatement(text, values);
      return inner.query(text, values, map);
    },
    async queryArrays(text, values) {
      await explainStatement(text, values);
      return inner.queryArrays(text, values);
    },
    async one(text, values, map) {
      return (await db.query(text, values, map))[0] ?? null;
    },
    queryCount: () => statements.length,
    connect: () => inner.connect(),
    poolStats: () => inner.poolStats(),
    close: () => inner.close(),
  };
  const run = async (source: string, variables: Record<string, unknown>) => {
    const contextValue: ApiContext = {
      db,
      chainHead: createChainHeadSource({ log: () => {} }),
      finalityConfirmations: 0,
    };
    const result = await graphql({ schema, source, variableValues: variables, contextValue });
    assert.equal(result.errors, undefined, `${source}: ${JSON.stringify(result.errors)}`);
    return result.data as Record<string, unknown>;
  };

  before(async () => {
    database = await setupTestDatabase();
    await fill(database);
    // Unnamed: the EXPLAIN statements are not what the API prepares.
    inner = createApiDb({ url: database.url, maxPreparedStatements: 0 });
  });
  after(async () => {
    await inner?.close();
    await database?.stop();
  });

  for (const [name, source, path] of CASES) {
    test(`${name}: page 1 and the page after it use indexes, no scan or large sort`, async () => {
      statements = [];
      const first = await run(source, {});
      let connection: unknown = first;
      for (const key of path) connection = (connection as Record<string, unknown>)[key.replace(/\(.*$/, '')];
      const endCursor = (connection as { pageInfo: { endCursor: string | null } }).pageInfo.endCursor;
      assert.ok(endCursor, `${name}: the synthetic data gives page 1 rows`);
      await run(source, { after: endCursor });
      const problems = statements.flatMap((s) => planProblems(s.plan).map((p) => `${p} in: ${s.text.trim()}`));
      assert.deepEqual(problems, []);
    });
  }
});
