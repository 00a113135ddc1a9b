/**
 * `stats` and the all-time totals on `protocol`, over stored bucket rows: every bucket of the range
 * comes back (zeros where no row), a scope's undefined metrics are null, bridge volumes per token,
 * argument errors name the argument, and the lookups use the index (EXPLAIN over 50,000 rows).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BridgeTokenTotal, StatsBucket } from '../model';
import { emptyStatsBucket } from '../store/stats';
import { STATS_SERIES_SQL, STATS_TOKENS_SQL } from './schema/stats';
import { setupApiFixture, type ApiFixture } from './test-fixtures';

const NATIVE = '0x0000000000000000000000000000000000000000';
const TOKEN = '0x4200000000000000000000000000000000000042';
const t = (iso: string) => Date.parse(iso);

let fx: ApiFixture;

/** A stored bucket row with some metrics set. */
function bucket(
  scope: 'GLOBAL' | 'DATANET' | 'MODEL' | 'TOKEN',
  key: string,
  interval: 'HOUR' | 'DAY',
  iso: string,
  set: Partial<StatsBucket>,
): StatsBucket {
  return Object.assign(emptyStatsBucket(scope, key, interval, t(iso)), set);
}

before(async () => {
  fx = await setupApiFixture();
  await fx.ds.getRepository(StatsBucket).save([
    bucket('GLOBAL', '', 'HOUR', '2026-12-01T10:00:00Z', {
      inferences: 3,
      fees: 2n ** 80n,
      toContributors: 11n,
      toDatanetOwners: 12n,
      toModelOwners: 13n,
      toProtocol: 2n ** 80n - 36n,
      contributions: 4,
      reviewsAccepted: 2,
      reviewsRejected: 1,
      bridgeDepositCount: 1,
    }),
    bucket('GLOBAL', '', 'HOUR', '2026-12-01T12:00:00Z', { contributions: 1, bridgeWithdrawalCount: 2 }),
    bucket('GLOBAL', '', 'DAY', '2026-12-01T00:00:00Z', { inferences: 3, contributions: 5 }),
    bucket('DATANET', '7', 'HOUR', '2026-12-01T10:00:00Z', { inferences: 1, toContributors: 11n, contributions: 4 }),
    bucket('MODEL', '2', 'HOUR', '2026-12-01T12:00:00Z', { inferences: 3, fees: 99n, toProtocol: 9n }),
    bucket('TOKEN', TOKEN, 'HOUR', '2026-12-01T10:00:00Z', {
      bridgeDepositCount: 1,
      bridgeDepositedAmount: 10n ** 30n,
    }),
    bucket('TOKEN', NATIVE, 'HOUR', '2026-12-01T12:00:00Z', { bridgeWithdrawalCount: 2, bridgeWithdrawnAmount: 5n }),
  ]);
  await fx.ds.getRepository(BridgeTokenTotal).save([
    new BridgeTokenTotal({
      id: TOKEN,
      depositCount: 1,
      depositedAmount: 10n ** 30n,
      withdrawalCount: 0,
      withdrawnAmount: 0n,
    }),
    new BridgeTokenTotal({ id: NATIVE, depositCount: 0, depositedAmount: 0n, withdrawalCount: 2, withdrawnAmount: 5n }),
  ]);
});
after(async () => {
  await fx?.close();
});

const FIELDS = `start end inferences fees toContributors toDatanetOwners toModelOwners toProtocol contributions
  reviewsAccepted reviewsRejected bridgeDepositCount bridgeWithdrawalCount
  bridge { token depositCount depositedAmount withdrawalCount withdrawnAmount }`;
const idle = (token: string) => ({
  token,
  depositCount: 0,
  depositedAmount: '0',
  withdrawalCount: 0,
  withdrawnAmount: '0',
});
const zeroGlobal = {
  inferences: 0,
  fees: '0',
  toContributors: '0',
  toDatanetOwners: '0',
  toModelOwners: '0',
  toProtocol: '0',
  contributions: 0,
  reviewsAccepted: 0,
  reviewsRejected: 0,
  bridgeDepositCount: 0,
  bridgeWithdrawalCount: 0,
};

describe('stats', () => {
  test('returns every hour of the range, stored rows as stored and empty hours as zeros, with bridge volumes per token', async () => {
    const d = await fx.data(`{ stats(interval: HOUR, from: "2026-12-01T10:30:00Z", to: "2026-12-01T14:00:00Z") {
      interval scope datanetId modelId from to buckets { ${FIELDS} } } }`);
    const { buckets, ...head } = d.stats;
    assert.deepEqual(head, {
      interval: 'HOUR',
      scope: 'GLOBAL',
      datanetId: null,
      modelId: null,
      from: '2026-12-01T10:00:00.000Z',
      to: '2026-12-01T14:00:00.000Z',
    });
    assert.deepEqual(buckets, [
      {
        start: '2026-12-01T10:00:00.000Z',
        end: '2026-12-01T11:00:00.000Z',
        inferences: 3,
        fees: (2n ** 80n).toString(),
        toContributors: '11',
        toDatanetOwners: '12',
        toModelOwners: '13',
        toProtocol: (2n ** 80n - 36n).toString(),
        contributions: 4,
        reviewsAccepted: 2,
        reviewsRejected: 1,
        bridgeDepositCount: 1,
        bridgeWithdrawalCount: 0,
        bridge: [idle(NATIVE), { ...idle(TOKEN), depositCount: 1, depositedAmount: (10n ** 30n).toString() }],
      },
      {
        start: '2026-12-01T11:00:00.000Z',
        end: '2026-12-01T12:00:00.000Z',
        ...zeroGlobal,
        bridge: [idle(NATIVE), idle(TOKEN)],
      },
      {
        start: '2026-12-01T12:00:00.000Z',
        end: '2026-12-01T13:00:00.000Z',
        ...zeroGlobal,
        contributions: 1,
        bridgeWithdrawalCount: 2,
        bridge: [{ ...idle(NATIVE), withdrawalCount: 2, withdrawnAmount: '5' }, idle(TOKEN)],
      },
      {
        start: '2026-12-01T13:00:00.000Z',
        end: '2026-12-01T14:00:00.000Z',
        ...zeroGlobal,
        bridge: [idle(NATIVE), idle(TOKEN)],
      },
    ]);
  });

  test('a Datanet series has no fee, model owner, protocol or bridge figure (null), and zeros in its empty hours', async () => {
    const d =
      await fx.data(`{ stats(interval: HOUR, from: "2026-12-01T10:00:00Z", to: "2026-12-01T12:00:00Z", datanetId: "7") {
      scope datanetId buckets { ${FIELDS} } } }`);
    const nulls = {
      fees: null,
      toModelOwners: null,
      toProtocol: null,
      bridgeDepositCount: null,
      bridgeWithdrawalCount: null,
      bridge: null,
    };
    assert.equal(d.stats.scope, 'DATANET');
    assert.equal(d.stats.datanetId, '7');
    assert.deepEqual(
      d.stats.buckets.map(({ start: _start, end: _end, ...b }: any) => b),
      [
        {
          ...nulls,
          inferences: 1,
          toContributors: '11',
          toDatanetOwners: '0',
          contributions: 4,
          reviewsAccepted: 0,
          reviewsRejected: 0,
        },
        {
          ...nulls,
          inferences: 0,
          toContributors: '0',
          toDatanetOwners: '0',
          contributions: 0,
          reviewsAccepted: 0,
          reviewsRejected: 0,
        },
      ],
    );
  });

  test('a model series has no contribution, review or bridge figure (null)', async () => {
    const d =
      await fx.data(`{ stats(interval: HOUR, from: "2026-12-01T12:00:00Z", to: "2026-12-01T12:00:01Z", modelId: "2") {
      scope modelId buckets { ${FIELDS} } } }`);
    assert.deepEqual(d.stats.buckets, [
      {
        start: '2026-12-01T12:00:00.000Z',
        end: '2026-12-01T13:00:00.000Z',
        inferences: 3,
        fees: '99',
        toContributors: '0',
        toDatanetOwners: '0',
        toModelOwners: '0',
        toProtocol: '9',
        contributions: null,
        reviewsAccepted: null,
        reviewsRejected: null,
        bridgeDepositCount: null,
        bridgeWithdrawalCount: null,
        bridge: null,
      },
    ]);
  });

  test('day buckets are UTC days; a Datanet or model that never did anything gets zeros', async () => {
    const d = await fx.data(`{
      g: stats(interval: DAY, from: "2026-11-30T23:00:00Z", to: "2026-12-01T00:00:01Z") { from to buckets { start inferences contributions } }
      m: stats(interval: DAY, from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z", modelId: "999") { buckets { inferences fees } } }`);
    assert.deepEqual(d.g, {
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      buckets: [
        { start: '2026-11-30T00:00:00.000Z', inferences: 0, contributions: 0 },
        { start: '2026-12-01T00:00:00.000Z', inferences: 3, contributions: 5 },
      ],
    });
    assert.deepEqual(d.m.buckets, [{ inferences: 0, fees: '0' }]);
  });

  test('serves up to 1,000 buckets', async () => {
    const d = await fx.data(
      `{ stats(interval: HOUR, from: "2026-11-01T00:00:00Z", to: "2026-12-12T16:00:00Z") { buckets { start } } }`,
    );
    assert.equal(d.stats.buckets.length, 1000);
  });
});

/** Runs a query that must fail with one BAD_USER_INPUT error naming `argument`. */
async function assertBadInput(query: string, argument: string) {
  const res = await fx.gql(query);
  assert.equal(res.errors?.length, 1, `${query}: ${JSON.stringify(res)}`);
  const [err] = res.errors!;
  assert.equal(err.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(err));
  assert.match(err.message, new RegExp(`"${argument}"`), err.message);
}

describe('stats arguments', () => {
  test('`to` not after `from` is BAD_USER_INPUT naming "to"', async () => {
    await assertBadInput(
      '{ stats(interval: HOUR, from: "2026-12-01T10:00:00Z", to: "2026-12-01T10:00:00Z") { from } }',
      'to',
    );
    await assertBadInput(
      '{ stats(interval: DAY, from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z") { from } }',
      'to',
    );
  });

  test('more than 1,000 buckets is BAD_USER_INPUT naming "to" and suggesting DAY', async () => {
    const res = await fx.gql(
      '{ stats(interval: HOUR, from: "2026-11-01T00:00:00Z", to: "2026-12-12T16:00:01Z") { from } }',
    );
    assert.equal(res.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(
      res.errors![0].message,
      /^Argument "to" is 1001 HOUR buckets after from; at most 1000 .* DAY buckets\.$/,
    );
    await assertBadInput(
      '{ stats(interval: DAY, from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { from } }',
      'to',
    );
  });

  test('datanetId with modelId names "modelId"; a malformed id names its argument', async () => {
    const range = 'from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z"';
    await assertBadInput(`{ stats(interval: DAY, ${range}, datanetId: "1", modelId: "2") { from } }`, 'modelId');
    await assertBadInput(`{ stats(interval: DAY, ${range}, datanetId: "one") { from } }`, 'datanetId');
    await assertBadInput(`{ stats(interval: DAY, ${range}, modelId: "-3") { from } }`, 'modelId');
  });

  test('a malformed DateTime is BAD_USER_INPUT', async () => {
    const res = await fx.gql('{ stats(interval: DAY, from: "yesterday", to: "2026-12-02T00:00:00Z") { from } }');
    assert.equal(res.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(res.errors));
  });
});

describe('protocol totals', () => {
  test('review and bridge counts and all-time bridge volumes per token', async () => {
    const d =
      await fx.data(`{ protocol { reviewAcceptedCount reviewRejectedCount bridgeDepositCount bridgeWithdrawalCount
      bridgeTokens { token depositCount depositedAmount withdrawalCount withdrawnAmount } } }`);
    assert.deepEqual(d.protocol, {
      reviewAcceptedCount: 7,
      reviewRejectedCount: 3,
      bridgeDepositCount: 10,
      bridgeWithdrawalCount: 20,
      bridgeTokens: [
        { ...idle(NATIVE), withdrawalCount: 2, withdrawnAmount: '5' },
        { ...idle(TOKEN), depositCount: 1, depositedAmount: (10n ** 30n).toString() },
      ],
    });
  });
});

describe('stats lookups (EXPLAIN over 50,000 bucket rows)', () => {
  /** The plan's node types and index names, depth first. */
  function nodes(plan: any): string[] {
    const self = `${plan['Node Type']}${plan['Index Name'] ? ` ${plan['Index Name']}` : ''}`;
    return [self, ...(plan.Plans ?? []).flatMap(nodes)];
  }

  test('a series and the token rows of a range are index range reads, never a scan of the table', async (ctx) => {
    // 200 Datanets x 250 hours, then statistics, so the planner sees a table worth avoiding.
    await fx.ds.query(`INSERT INTO stats_bucket (id, interval, scope, scope_key, start, inferences, contributions)
      SELECT 'd' || d || ':H:' || h, 'HOUR', 'DATANET', d::text, timestamptz '2026-01-01' + h * interval '1 hour', 1, 1
      FROM generate_series(1, 200) d, generate_series(0, 249) h`);
    await fx.ds.query('ANALYZE stats_bucket');
    const [{ indexname }] = await fx.ds.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'stats_bucket' AND indexdef LIKE '%(scope, scope_key, "interval", start)%'`,
    );
    const explain = async (sql: string, params: unknown[]) => {
      const [row] = await fx.ds.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      return nodes(row['QUERY PLAN'][0].Plan);
    };
    const from = new Date('2026-01-03T00:00:00Z');
    const to = new Date('2026-01-10T00:00:00Z');
    const series = await explain(STATS_SERIES_SQL, ['DATANET', '17', 'HOUR', from, to]);
    assert.ok(
      series.some((n) => n.endsWith(indexname)),
      series.join(' > '),
    );
    assert.ok(!series.some((n) => n.startsWith('Seq Scan')), series.join(' > '));
    ctx.diagnostic(`series: ${series.join(' > ')}`);
    const tokens = await explain(STATS_TOKENS_SQL, [[NATIVE, TOKEN], 'HOUR', from, to]);
    ctx.diagnostic(`tokens: ${tokens.join(' > ')}`);
    assert.ok(
      tokens.some((n) => n.endsWith(indexname)),
      tokens.join(' > '),
    );
    assert.ok(!tokens.some((n) => n.startsWith('Seq Scan')), tokens.join(' > '));
    // And the API still answers over the bigger table.
    const d =
      await fx.data(`{ stats(interval: HOUR, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", datanetId: "17") {
      buckets { contributions } } }`);
    assert.deepEqual(
      d.stats.buckets.map((b: any) => b.contributions),
      Array.from({ length: 24 }, () => 1),
    );
  });
});
