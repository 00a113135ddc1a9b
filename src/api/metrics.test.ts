/**
 * The API's /metrics against a real server over the seeded fixture database: every request sent is
 * counted under its operation, every error under its code, and the gauges follow the subscriptions
 * and the pool. Expected figures are the requests this test sent, counted here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { subscribeSse } from '../test/sse';
import { scrape, samplesOf, valueOf, type Sample } from '../test/prometheus';
import { API_METRIC_NAMES, MAX_OPERATION_NAMES } from './metrics';
import { createApiServer, type ApiServer } from './server';
import { setupApiFixture, type ApiFixture } from './test-fixtures';

const N = API_METRIC_NAMES;
const DURATION_COUNT = `${N.requestDuration}_count`;

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
});
after(async () => {
  await fx?.close();
});

const metricsUrl = () => fx.api.metricsUrl;

/** Runs SQL as the database owner. */
async function asOwner(sql: string): Promise<void> {
  const c = new Client({ connectionString: fx.dbUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Requests counted under one operation so far. */
const requests = (s: Sample[], type: string, name: string) =>
  valueOf(s, DURATION_COUNT, { operation_type: type, operation_name: name }) ?? 0;
const errorsOf = (s: Sample[], code: string, limit = '') => valueOf(s, N.errors, { code, limit }) ?? 0;

describe('API metrics', () => {
  it('serves /metrics on the API port in the Prometheus text format', async () => {
    assert.equal(metricsUrl(), fx.api.url.replace(/\/graphql$/, '/metrics'));
    const res = await fetch(metricsUrl());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    for (const name of Object.values(N)) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  });

  it('times each request under its operation type and name', async () => {
    const before = await scrape(metricsUrl());
    for (let i = 0; i < 3; i++) {
      const r = await fx.gql('query DatanetCount { datanets(first: 10) { totalCount } }');
      assert.equal(r.data.datanets.totalCount, fx.seed.datanets.length);
    }
    const anonymous = await fx.gql('{ protocol { inferenceCount } }');
    assert.ok(anonymous.data.protocol);
    // A document with two operations runs the one named by operationName.
    const res = await fetch(fx.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query A { protocol { inferenceCount } } query B { _meta { indexedHeight } }',
        operationName: 'B',
      }),
    });
    assert.equal(res.status, 200);
    const after = await scrape(metricsUrl());
    assert.equal(requests(after, 'query', 'DatanetCount') - requests(before, 'query', 'DatanetCount'), 3);
    assert.equal(requests(after, 'query', 'anonymous') - requests(before, 'query', 'anonymous'), 1);
    assert.equal(requests(after, 'query', 'B') - requests(before, 'query', 'B'), 1);
    assert.equal(requests(after, 'query', 'A'), 0);
    // The histogram's buckets are cumulative: +Inf holds every request, the sum is positive.
    const inf = valueOf(after, `${N.requestDuration}_bucket`, {
      operation_type: 'query',
      operation_name: 'DatanetCount',
      le: '+Inf',
    });
    assert.equal(inf, requests(after, 'query', 'DatanetCount'));
    assert.ok(
      valueOf(after, `${N.requestDuration}_sum`, { operation_type: 'query', operation_name: 'DatanetCount' })! > 0,
    );
  });

  it('counts errors by code: bad input, each limit, parse and validation failures, masked internal errors', async () => {
    const before = await scrape(metricsUrl());
    const bad = await fx.gql('query Bad { contributor(address: "nope") { earnedTotal } }');
    assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    const costly = await fx.gql(
      '{ datanets(first: 100) { edges { node { epochs(first: 1000) { edges { node { epoch } } } } } } }',
    );
    assert.equal(costly.errors?.[0].extensions?.limit, 'maxCost');
    const parse = await fx.gql('{ datanets(');
    assert.equal(parse.errors?.[0].extensions?.code, 'GRAPHQL_PARSE_FAILED');
    const invalid = await fx.gql('{ noSuchField }');
    assert.equal(invalid.errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    const big = await fetch(fx.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }#${'x'.repeat(200_000)}` }),
    });
    assert.equal(big.status, 413);
    // The read-only role loses SELECT on datanet: the resolver fails, the client sees a masked error.
    await asOwner('REVOKE SELECT ON datanet FROM api');
    let internal;
    try {
      internal = await fx.gql('query Broken { datanets(first: 1) { totalCount } }');
    } finally {
      await asOwner('GRANT SELECT ON datanet TO api');
    }
    assert.equal(internal.errors?.[0].message, 'Unexpected error.');
    assert.equal(internal.errors?.[0].extensions?.code, 'INTERNAL_SERVER_ERROR');

    const after = await scrape(metricsUrl());
    const delta = (code: string, limit = '') => errorsOf(after, code, limit) - errorsOf(before, code, limit);
    assert.equal(delta('BAD_USER_INPUT'), 1);
    assert.equal(delta('LIMIT_EXCEEDED', 'maxCost'), 1);
    assert.equal(delta('LIMIT_EXCEEDED', 'maxBodyBytes'), 1);
    assert.equal(delta('GRAPHQL_PARSE_FAILED'), 1);
    assert.equal(delta('GRAPHQL_VALIDATION_FAILED'), 1);
    assert.equal(delta('INTERNAL_SERVER_ERROR'), 1);
    // Refused before execution: timed as operation type none.
    assert.ok(requests(after, 'none', '') - requests(before, 'none', '') >= 3);
  });

  it('shows open subscriptions per topic and requests in flight while they stream', async () => {
    const sub = subscribeSse(fx.api.url, 'subscription { indexerHead { height } }');
    try {
      await sub.opened;
      let s: Sample[] = [];
      for (let i = 0; i < 50; i++) {
        s = await scrape(metricsUrl());
        if (valueOf(s, N.subscriptions, { topic: 'head' }) === 1) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(valueOf(s, N.subscriptions, { topic: 'head' }), 1);
      assert.equal(valueOf(s, N.subscriptions, { topic: 'contributors' }), 0);
      assert.ok(valueOf(s, N.inFlight)! >= 1);
    } finally {
      sub.close();
    }
    let s: Sample[] = [];
    for (let i = 0; i < 100; i++) {
      s = await scrape(metricsUrl());
      if (valueOf(s, N.subscriptions, { topic: 'head' }) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(valueOf(s, N.subscriptions, { topic: 'head' }), 0);
    // A subscription is not timed as a request (its duration is the stream's lifetime).
    assert.deepEqual(samplesOf(s, DURATION_COUNT, { operation_type: 'subscription' }), []);
  });

  it('reports the database pool: its size and its open, idle and waiting connections', async () => {
    const s = await scrape(metricsUrl());
    assert.equal(valueOf(s, N.dbPoolMax), 10);
    const total = valueOf(s, N.dbPool, { state: 'total' })!;
    assert.ok(total >= 1 && total <= 10, `total ${total}`);
    assert.ok(valueOf(s, N.dbPool, { state: 'idle' })! <= total);
    assert.equal(valueOf(s, N.dbPool, { state: 'waiting' }), 0);
  });

  it(`keeps at most ${MAX_OPERATION_NAMES} operation names; later names count as "other"`, async () => {
    const before = await scrape(metricsUrl());
    const kept = (s: Sample[]) =>
      new Set(
        samplesOf(s, DURATION_COUNT)
          .map((x) => x.labels.operation_name)
          .filter((n) => !['', 'anonymous', 'other'].includes(n)),
      );
    const known = kept(before);
    for (let i = 0; known.size < MAX_OPERATION_NAMES + 2; i++) {
      const name = `Op${i}`;
      await fx.gql(`query ${name} { __typename }`);
      known.add(name);
    }
    const after = await scrape(metricsUrl());
    assert.equal(kept(after).size, MAX_OPERATION_NAMES);
    assert.ok(requests(after, 'query', 'other') >= 1);
  });
});

describe('API metrics on their own port (API_METRICS_PORT)', () => {
  let api: ApiServer;
  before(async () => {
    api = await createApiServer({ dbUrl: fx.apiDbUrl, port: 0, host: '127.0.0.1', metricsPort: 0 });
  });
  after(async () => {
    await api?.close();
  });

  it('serves /metrics there and not on the API port', async () => {
    const metricsPort = Number(new URL(api.metricsUrl).port);
    assert.notEqual(metricsPort, Number(new URL(api.url).port));
    await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Ping { __typename }' }),
    });
    const s = await scrape(api.metricsUrl);
    assert.equal(requests(s, 'query', 'Ping'), 1);
    const onApiPort = await fetch(api.url.replace(/\/graphql$/, '/metrics'));
    assert.equal(onApiPort.status, 404);
    const elsewhere = await fetch(api.metricsUrl.replace(/\/metrics$/, '/graphql'));
    assert.equal(elsewhere.status, 404);
  });
});
