// The API benchmark's query mix, run once on both servers over the API tests' seeded database: every
// query answers without errors and passes its check, and each Subsquid equivalent returns the same
// rows in the same order as ours (what makes the throughput ratios a comparison of equals).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupApiFixture, type ApiFixture } from '../api/test-fixtures';
import { loadFixtures, type BenchFixtures } from './apiFixtures';
import { judgeResponse, probeLatency, runLoad, runPaced } from './apiLoad';
import { BENCH_QUERIES, seededPick, type ServerQuery } from './apiQueries';
import { startSubsquidServer, type BenchServer } from './apiServers';

let fx: ApiFixture;
let subsquid: BenchServer;
let fixtures: BenchFixtures;
before(async () => {
  fx = await setupApiFixture();
  subsquid = await startSubsquidServer(fx.dbUrl);
  fixtures = await loadFixtures(fx.dbUrl);
});
after(async () => {
  await subsquid?.stop();
  await fx?.close();
});

/** Sends request number 0..n-1 of a form (seeded like the benchmark) and returns each answer's data. */
async function answers(url: string, form: ServerQuery, n: number): Promise<any[]> {
  const pick = seededPick(7);
  const out: any[] = [];
  for (let i = 0; i < n; i++) {
    const { query, variables, expect } = form.request(fixtures, pick);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.text();
    assert.equal(judgeResponse(res.status, body, expect, form.check), null, `${query}\n${body.slice(0, 500)}`);
    out.push(JSON.parse(body).data);
  }
  return out;
}

describe('bench:api fixtures', () => {
  test('sample the seeded entities and place the deep page at the deepest full page', () => {
    assert.equal(fixtures.listRows, fx.seed.contributions.length);
    assert.equal(fixtures.deepPage, Math.floor(fx.seed.contributions.length / 50));
    const ids = fx.seed.contributions.map((c) => c.contributionId).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const last = fixtures.deep.at(-1)!;
    assert.equal(last.page, fixtures.deepPage);
    assert.equal(last.firstId, ids[last.offset].toString());
    assert.equal(last.afterId, ids[last.offset - 1].toString());
    assert.equal(fixtures.firstContributionId, ids[0].toString());
    assert.ok(fixtures.contributors.length > 0 && fixtures.datanets.length > 0 && fixtures.bridgeAccounts.length > 0);
    assert.ok(fixtures.claims.length > 0 && fixtures.epochs.length > 0);
  });
});

describe('bench:api query mix', () => {
  for (const q of BENCH_QUERIES) {
    test(`${q.id}: answers without errors${q.subsquid ? ', the same rows on the Subsquid server' : ''}`, async () => {
      assert.ok(!q.enabled || q.enabled(fixtures), `${q.id} is not enabled on the seed`);
      const ours = await answers(fx.api.url, q.ours, 5);
      assert.ok(
        ours.some((d) => q.ours.rows(d).length > 0),
        'no rows at all',
      );
      if (!q.subsquid) return;
      const theirs = await answers(subsquid.url, q.subsquid, 5);
      assert.deepEqual(
        theirs.map((d) => q.subsquid!.rows(d)),
        ours.map((d) => q.ours.rows(d)),
      );
    });
  }
});

describe('bench:api load runner', () => {
  const page1 = BENCH_QUERIES.find((q) => q.id === 'page-1')!;

  test('counts every answer and no error when the answers are right', async () => {
    const pick = seededPick(1);
    const r = await runLoad({
      url: fx.api.url,
      connections: 2,
      durationSec: 1,
      next: () => page1.ours.request(fixtures, pick),
      check: page1.ours.check,
    });
    assert.ok(r.responses > 0);
    assert.equal(r.errors, 0, JSON.stringify([...r.errorSamples]));
    assert.ok(r.p50 <= r.p95 && r.p95 <= r.p99 && r.p99 <= r.max);
  });

  test('paced: sends rate x duration requests on schedule and times each from its scheduled time', async () => {
    const pick = seededPick(1);
    const r = await runPaced({
      url: fx.api.url,
      rate: 20,
      durationSec: 1,
      maxInFlight: 5,
      next: () => page1.ours.request(fixtures, pick),
      check: page1.ours.check,
    });
    assert.equal(r.responses, 20);
    assert.equal(r.errors, 0, JSON.stringify([...r.errorSamples]));
    assert.ok(r.seconds >= 0.95, `took ${r.seconds} s`);
  });

  test('probe: one request at a time until the time and the answers are reached', async () => {
    const pick = seededPick(1);
    const r = await probeLatency({
      url: fx.api.url,
      next: () => page1.ours.request(fixtures, pick),
      check: page1.ours.check,
      minSec: 0.2,
      minRequests: 3,
      maxSec: 10,
    });
    assert.ok(r.responses >= 3 && r.seconds >= 0.2);
    assert.equal(r.errors, 0, JSON.stringify([...r.errorSamples]));
  });

  test('counts a wrong page and a GraphQL error as errors, with their messages', async () => {
    const pick = seededPick(1);
    let i = 0;
    const r = await runLoad({
      url: fx.api.url,
      connections: 1,
      durationSec: 1,
      next: () => {
        const req = page1.ours.request(fixtures, pick);
        return i++ % 2
          ? { ...req, expect: 'not-an-id' }
          : { query: '{ contributions(first: 5000) { totalCount } }', variables: {} };
      },
      check: page1.ours.check,
    });
    assert.ok(r.responses >= 2);
    assert.equal(r.errors, r.responses);
    const messages = [...r.errorSamples.keys()];
    assert.ok(
      messages.some((m) => m.startsWith('GraphQL error BAD_USER_INPUT')),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.includes('not not-an-id')),
      messages.join('\n'),
    );
  });
});
