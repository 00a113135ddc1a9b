/**
 * StatsBuckets: events land in the UTC hour and day of their block, per scope, with the metrics a scope
 * does not keep left null; a state that begins after earlier commits adds to the rows the database
 * already holds (real Postgres) instead of overwriting them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Store } from '@subsquid/typeorm-store';
import type { DataSource } from 'typeorm';
import { StatsBucket } from '../model';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { createDataSource } from './dataSource';
import { StatsBuckets, statsBucketId } from './stats';

const t = (iso: string) => Date.parse(iso);
const TOKEN = '0x4200000000000000000000000000000000000042';

/** The rows of a state by id, as plain objects without the id columns. */
function rows(stats: StatsBuckets): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of [...stats.table.map.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const { id, interval, scope, scopeKey, start, ...metrics } = r;
    void interval;
    void scope;
    void scopeKey;
    out[id] = { start: start.toISOString(), ...metrics };
  }
  return out;
}

describe('StatsBuckets folding', () => {
  it('puts every event in the UTC hour and day of its block, per scope, and never sums token amounts', () => {
    const s = new StatsBuckets();
    s.begin(null);
    s.contributionSubmitted(t('2026-12-01T23:59:59Z'), '1');
    s.reviewed(t('2026-12-02T00:00:00Z'), '1', true);
    s.reviewed(t('2026-12-02T00:10:00Z'), '1', false);
    s.inferenceSettled(t('2026-12-02T00:10:00Z'), '7', 1000n, 200n, 800n);
    s.attributed(t('2026-12-02T00:10:00Z'), '7', 550n, 150n);
    s.datanetContributorPaid(t('2026-12-02T00:10:00Z'), '1', 550n);
    s.datanetAttributed(t('2026-12-02T00:10:00Z'), '1', 150n);
    s.inferenceSettled(t('2026-12-02T00:20:00Z'), null, 5n, 0n, 5n); // unknown model: global only
    s.bridged(t('2026-12-02T01:00:00Z'), 'IN', TOKEN, 10n ** 30n);
    s.bridged(t('2026-12-02T01:30:00Z'), 'OUT', '0x0000000000000000000000000000000000000000', 3n);
    const got = rows(s);
    const h = (iso: string) => t(iso);
    const g = (interval: 'HOUR' | 'DAY', iso: string) => got[statsBucketId('GLOBAL', '', interval, h(iso))];
    assert.equal(Object.keys(got).length, 15);
    assert.deepEqual(g('HOUR', '2026-12-01T23:00:00Z'), {
      start: '2026-12-01T23:00:00.000Z',
      inferences: 0,
      fees: 0n,
      toContributors: 0n,
      toDatanetOwners: 0n,
      toModelOwners: 0n,
      toProtocol: 0n,
      contributions: 1,
      reviewsAccepted: 0,
      reviewsRejected: 0,
      bridgeDepositCount: 0,
      bridgeWithdrawalCount: 0,
      bridgeDepositedAmount: null,
      bridgeWithdrawnAmount: null,
    });
    assert.deepEqual(g('HOUR', '2026-12-02T00:00:00Z'), {
      start: '2026-12-02T00:00:00.000Z',
      inferences: 2,
      fees: 1005n,
      toContributors: 550n,
      toDatanetOwners: 150n,
      toModelOwners: 200n,
      toProtocol: 105n,
      contributions: 0,
      reviewsAccepted: 1,
      reviewsRejected: 1,
      bridgeDepositCount: 0,
      bridgeWithdrawalCount: 0,
      bridgeDepositedAmount: null,
      bridgeWithdrawnAmount: null,
    });
    assert.equal(g('HOUR', '2026-12-02T01:00:00Z').bridgeDepositCount, 1);
    assert.equal(g('HOUR', '2026-12-02T01:00:00Z').bridgeWithdrawalCount, 1);
    assert.equal(g('DAY', '2026-12-01T00:00:00Z').contributions, 1);
    assert.deepEqual(
      { ...g('DAY', '2026-12-02T00:00:00Z'), start: undefined },
      { ...g('HOUR', '2026-12-02T00:00:00Z'), bridgeDepositCount: 1, bridgeWithdrawalCount: 1, start: undefined },
    );
    assert.deepEqual(got[statsBucketId('DATANET', '1', 'HOUR', h('2026-12-02T00:00:00Z'))], {
      start: '2026-12-02T00:00:00.000Z',
      inferences: 1,
      fees: null,
      toContributors: 550n,
      toDatanetOwners: 150n,
      toModelOwners: null,
      toProtocol: null,
      contributions: 0,
      reviewsAccepted: 1,
      reviewsRejected: 1,
      bridgeDepositCount: null,
      bridgeWithdrawalCount: null,
      bridgeDepositedAmount: null,
      bridgeWithdrawnAmount: null,
    });
    assert.deepEqual(got[statsBucketId('MODEL', '7', 'DAY', h('2026-12-02T00:00:00Z'))], {
      start: '2026-12-02T00:00:00.000Z',
      inferences: 1,
      fees: 1000n,
      toContributors: 550n,
      toDatanetOwners: 150n,
      toModelOwners: 200n,
      toProtocol: 100n,
      contributions: null,
      reviewsAccepted: null,
      reviewsRejected: null,
      bridgeDepositCount: null,
      bridgeWithdrawalCount: null,
      bridgeDepositedAmount: null,
      bridgeWithdrawnAmount: null,
    });
    const token = got[statsBucketId('TOKEN', TOKEN, 'DAY', h('2026-12-02T00:00:00Z'))];
    assert.deepEqual(
      [token.bridgeDepositCount, token.bridgeDepositedAmount, token.bridgeWithdrawalCount, token.bridgeWithdrawnAmount],
      [1, 10n ** 30n, 0, 0n],
    );
    assert.equal(token.inferences, null);
  });

  it('refuses to fold before it knows how far the database is committed', () => {
    assert.throws(() => new StatsBuckets().contributionSubmitted(0, '1'), /begin\(\) must be called/);
  });

  it('forgets buckets that ended before the latest block, keeps the current ones', () => {
    const s = new StatsBuckets();
    s.begin(null);
    s.contributionSubmitted(t('2026-12-01T10:00:00Z'), '1');
    s.contributionSubmitted(t('2026-12-01T12:30:00Z'), '1');
    s.retain();
    const starts = [...s.table.map.values()].map((r) => `${r.interval} ${r.start.toISOString()}`).sort();
    // retain keeps what the last write wrote (it may be in flight); nothing was written here.
    assert.deepEqual([...new Set(starts)], ['DAY 2026-12-01T00:00:00.000Z', 'HOUR 2026-12-01T12:00:00.000Z']);
  });
});

describe('StatsBuckets against the database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  before(async () => {
    db = await setupTestDatabase();
    ds = createDataSource(db.url);
    await ds.initialize();
  });
  after(async () => {
    await ds?.destroy();
    await db?.stop();
  });

  const tx = <T>(fn: (store: Store) => Promise<T>) => ds.transaction('SERIALIZABLE', (em) => fn(new Store(() => em)));

  it('a state that begins after a commit adds to the rows of the open buckets instead of replacing them', async () => {
    const first = new StatsBuckets();
    first.begin(null);
    first.contributionSubmitted(t('2026-12-01T10:05:00Z'), '1');
    first.inferenceSettled(t('2026-12-01T10:06:00Z'), '3', 100n, 20n, 80n);
    await tx((store) => first.persist(store));

    // A restart: the database is committed up to 10:06; the new state folds more of the same hour.
    const second = new StatsBuckets();
    second.begin(new Date(t('2026-12-01T10:06:00Z')));
    second.contributionSubmitted(t('2026-12-01T10:07:00Z'), '1');
    second.contributionSubmitted(t('2026-12-01T10:07:00Z'), '2'); // a series new in this hour
    second.inferenceSettled(t('2026-12-01T10:08:00Z'), '3', 50n, 10n, 40n);
    second.contributionSubmitted(t('2026-12-01T11:00:00Z'), '1'); // a new hour: not in the database
    await tx(async (store) => {
      await second.resolve(store);
      await second.persist(store);
    });

    const stored = await db.query<{
      id: string;
      contributions: number | null;
      inferences: number | null;
      fees: string | null;
    }>(`SELECT id, contributions, inferences, fees::text FROM stats_bucket ORDER BY id`);
    const hour10 = t('2026-12-01T10:00:00Z');
    const day = t('2026-12-01T00:00:00Z');
    assert.deepEqual(Object.fromEntries(stored.map(({ id, ...r }) => [id, r])), {
      [statsBucketId('DATANET', '1', 'DAY', day)]: { contributions: 3, inferences: 0, fees: null },
      [statsBucketId('DATANET', '1', 'HOUR', hour10)]: { contributions: 2, inferences: 0, fees: null },
      [statsBucketId('DATANET', '1', 'HOUR', hour10 + 3_600_000)]: { contributions: 1, inferences: 0, fees: null },
      [statsBucketId('DATANET', '2', 'DAY', day)]: { contributions: 1, inferences: 0, fees: null },
      [statsBucketId('DATANET', '2', 'HOUR', hour10)]: { contributions: 1, inferences: 0, fees: null },
      [statsBucketId('GLOBAL', '', 'DAY', day)]: { contributions: 4, inferences: 2, fees: '150' },
      [statsBucketId('GLOBAL', '', 'HOUR', hour10)]: { contributions: 3, inferences: 2, fees: '150' },
      [statsBucketId('GLOBAL', '', 'HOUR', hour10 + 3_600_000)]: { contributions: 1, inferences: 0, fees: '0' },
      [statsBucketId('MODEL', '3', 'DAY', day)]: { contributions: null, inferences: 2, fees: '150' },
      [statsBucketId('MODEL', '3', 'HOUR', hour10)]: { contributions: null, inferences: 2, fees: '150' },
    });

    // The same state folds on: rows are in memory now, nothing is read again.
    second.contributionSubmitted(t('2026-12-01T11:10:00Z'), '1');
    await tx(async (store) => {
      await second.resolve(store);
      await second.persist(store);
    });
    const [row] = await db.query<{ contributions: number }>(`SELECT contributions FROM stats_bucket WHERE id = $1`, [
      statsBucketId('GLOBAL', '', 'DAY', day),
    ]);
    assert.equal(row.contributions, 5);
    const bucket = await ds
      .getRepository(StatsBucket)
      .findOneByOrFail({ id: statsBucketId('MODEL', '3', 'HOUR', hour10) });
    assert.deepEqual([bucket.toModelOwners, bucket.toProtocol, bucket.contributions], [30n, 120n, null]);
  });
});
