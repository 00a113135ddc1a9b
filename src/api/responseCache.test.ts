// The response cache against the real API server and Postgres: what it serves is byte for byte what
// yoga sent; it forgets on every commit, on LISTEN trouble and on an unannounced head; it stores only
// query answers without errors or `_meta`; it never stores an answer a commit overtook; it is bounded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { DEFAULT_RESPONSE_CACHE_MB, DEFAULT_RESPONSE_CACHE_VERIFY_MS, readResponseCacheConfig } from './responseCache';
import { API_METRIC_NAMES } from './metrics';
import { createApiServer, type ApiServer } from './server';
import { samplesOf, scrape, valueOf, type Sample } from '../test/prometheus';
import { setupApiFixture, type ApiFixture } from './test-fixtures';

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
  await fx.api.live.listening();
});
after(async () => {
  await fx?.close();
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** POSTs `query` to `url` with the given headers; the raw answer. */
async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = await res.text();
  const kept: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'connection' && name !== 'keep-alive') kept[name] = value;
  });
  return { status: res.status, body, headers: kept };
}

const stats = (api: ApiServer = fx.api) => api.cache.stats();
const DATANET_NAME = (id: number) => `{ datanet(id: "${id}") { id name contributionCount } }`;

/** Sets Datanet 1's name as the processor would not: by hand, without announcing a commit. */
const rename = (name: string) => fx.ds.query(`UPDATE datanet SET name = $1 WHERE id = '1'`, [name]);

describe('response cache', () => {
  test('a repeated query is served from memory: the same status, body and headers yoga sent, per Origin', async () => {
    const query = '{ datanets(first: 2) { edges { node { id name } } } epochs { edges { node { epoch } } } }';
    const headers = { accept: 'application/graphql-response+json', origin: 'https://dash.example' };
    const s0 = stats();
    const first = await post(fx.api.url, query, headers);
    const s1 = stats();
    const second = await post(fx.api.url, query, headers);
    const s2 = stats();
    assert.equal(first.status, 200);
    assert.equal(JSON.parse(first.body).data.datanets.edges.length, 2);
    assert.deepEqual(second, first);
    assert.equal(s1.misses - s0.misses, 1);
    assert.equal(s1.stores - s0.stores, 1);
    assert.equal(s2.hits - s1.hits, 1);
    assert.equal(first.headers['access-control-allow-origin'], 'https://dash.example');
    // Another Origin is another answer (its own CORS headers): a miss, then a hit of its own.
    const other = await post(fx.api.url, query, { ...headers, origin: 'https://explorer.example' });
    assert.equal(other.headers['access-control-allow-origin'], 'https://explorer.example');
    assert.equal(other.body, first.body);
    assert.equal(stats().misses - s2.misses, 1);
  });

  test('GET queries are cached too', async () => {
    const url = `${fx.api.url}?query=${encodeURIComponent('{ epochs { edges { node { epoch closed } } } }')}`;
    const get = async () => {
      const res = await fetch(url, { headers: { accept: 'application/json' } });
      return { status: res.status, body: await res.text() };
    };
    const first = await get();
    const before = stats().hits;
    assert.deepEqual(await get(), first);
    assert.equal(first.status, 200);
    assert.equal(stats().hits - before, 1);
  });

  test('an announced commit clears it: the next answer shows the new rows', async () => {
    const original = JSON.parse((await post(fx.api.url, DATANET_NAME(1))).body).data.datanet.name;
    try {
      await rename('renamed-by-hand');
      // Unannounced, the answer held is served (rows only ever change with a commit).
      assert.equal(JSON.parse((await post(fx.api.url, DATANET_NAME(1))).body).data.datanet.name, original);
      const clears = stats().clears;
      await fx.announceCommit();
      assert.equal(stats().clears - clears, 1);
      assert.equal(stats().entries, 0);
      assert.equal(JSON.parse((await post(fx.api.url, DATANET_NAME(1))).body).data.datanet.name, 'renamed-by-hand');
    } finally {
      await rename(original);
      await fx.announceCommit();
    }
  });

  test('_meta answers and answers with errors are never stored', async () => {
    const s0 = stats();
    for (let i = 0; i < 2; i++) {
      const meta = JSON.parse((await post(fx.api.url, '{ _meta { indexedHeight chainHead lagSeconds } }')).body);
      assert.equal(meta.errors, undefined);
      const withMeta = JSON.parse((await post(fx.api.url, '{ epochs { totalCount } _meta { lagSeconds } }')).body);
      assert.equal(withMeta.errors, undefined);
      const inFragment = JSON.parse(
        (await post(fx.api.url, '{ epochs { totalCount } ...M } fragment M on Query { _meta { lagSeconds } }')).body,
      );
      assert.equal(inFragment.errors, undefined);
      const bad = JSON.parse((await post(fx.api.url, '{ contributor(address: "0x12") { address } }')).body);
      assert.equal(bad.errors[0].extensions.code, 'BAD_USER_INPUT');
    }
    const s1 = stats();
    assert.equal(s1.stores - s0.stores, 0);
    assert.equal(s1.hits - s0.hits, 0);
  });

  test('an answer a commit overtook is not stored: the query ran while the commit was announced', async () => {
    const query = DATANET_NAME(2);
    await fx.announceCommit();
    // The owner locks the table: the API's statement waits; meanwhile a commit is announced.
    const owner = new Client({ connectionString: fx.dbUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query('LOCK TABLE datanet IN ACCESS EXCLUSIVE MODE');
      const answer = post(fx.api.url, query);
      await fx.waitForLockWaiters(1); // the API statement
      await fx.announceCommit();
      await owner.query('COMMIT');
      const s0 = stats();
      assert.equal((await answer).status, 200);
      assert.equal(stats().stores - s0.stores, 0, 'stored after a commit overtook it');
      await post(fx.api.url, query);
      assert.equal(stats().stores - s0.stores, 1, 'the next answer is stored');
    } finally {
      await owner.end();
    }
  });

  test('identical requests while the first is computed wait for its answer; if it is not stored, they run', async () => {
    const owner = new Client({ connectionString: fx.dbUrl });
    await owner.connect();
    /** Sends `n` identical requests while the owner holds the Datanet table; `meanwhile` runs before it lets go. */
    const burst = async (query: string, n: number, meanwhile: () => Promise<unknown> = async () => {}) => {
      await owner.query('BEGIN');
      await owner.query('LOCK TABLE datanet IN ACCESS EXCLUSIVE MODE');
      const s0 = stats();
      const answers = Array.from({ length: n }, () => post(fx.api.url, query));
      await waitFor(async () => stats().misses > s0.misses, 'the first request executing');
      await sleep(100); // the others arrive and wait
      await meanwhile();
      await owner.query('COMMIT');
      const bodies = (await Promise.all(answers)).map((a) => a.body);
      const s1 = stats();
      return {
        bodies,
        misses: s1.misses - s0.misses,
        hits: s1.hits - s0.hits,
        coalesced: s1.coalesced - s0.coalesced,
      };
    };
    try {
      await fx.announceCommit();
      const first = await burst(DATANET_NAME(1), 5);
      assert.deepEqual({ ...first, bodies: undefined }, { bodies: undefined, misses: 1, hits: 4, coalesced: 4 });
      assert.equal(new Set(first.bodies).size, 1);
      assert.equal(JSON.parse(first.bodies[0]).data.datanet.id, '1');
      // A commit while the first computes: its answer is not stored, so the others execute themselves.
      await fx.announceCommit();
      const overtaken = await burst(DATANET_NAME(1), 3, () => fx.announceCommit());
      assert.deepEqual({ ...overtaken, bodies: undefined }, { bodies: undefined, misses: 3, hits: 0, coalesced: 0 });
      assert.equal(new Set(overtaken.bodies).size, 1);
    } finally {
      await owner.end();
    }
  });

  test('while the LISTEN connection is down nothing is served from it; it works again once back', async () => {
    const query = DATANET_NAME(3);
    await post(fx.api.url, query);
    const original = JSON.parse((await post(fx.api.url, query)).body).data.datanet.name;
    // Changed by hand before the drop, unannounced: only the drop's clearing keeps it from the old answer.
    await fx.ds.query(`UPDATE datanet SET name = 'while-unlistened' WHERE id = '3'`);
    try {
      const [{ n }] = await fx.ds.query(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
          WHERE application_name = 'openledger-api-listen' AND datname = current_database()) t`,
      );
      assert.equal(n, 1, 'the LISTEN connection ended');
      await waitFor(async () => !fx.api.live.connected(), 'the hub noticing the drop');
      // Entries were cleared on the drop, and nothing is stored or served until it listens again.
      // The hub reconnects after 100 ms: only requests answered entirely while it was down count.
      let whileDown = 0;
      for (let i = 0; i < 2; i++) {
        const down = !fx.api.live.connected();
        const hits = stats().hits;
        const answer = JSON.parse((await post(fx.api.url, query)).body);
        assert.equal(answer.data.datanet.name, 'while-unlistened');
        if (down && !fx.api.live.connected()) {
          whileDown++;
          assert.equal(stats().hits, hits, 'served from memory while not listening');
        }
      }
      assert.ok(whileDown >= 1, 'no request was answered while the connection was down');
      await waitFor(async () => fx.api.live.connected(), 'the hub reconnecting');
      await fx.announceCommit();
      const hits = stats().hits;
      await post(fx.api.url, query);
      await post(fx.api.url, query);
      assert.equal(stats().hits - hits, 1, 'stored and served again once listening');
    } finally {
      await fx.ds.query(`UPDATE datanet SET name = $1 WHERE id = '3'`, [original]);
      await fx.announceCommit();
    }
  });

  test('an unannounced new head (a standby: NOTIFY is not replicated) clears it within the check interval', async () => {
    await fx.ds.query(`CREATE SCHEMA IF NOT EXISTS squid_processor`);
    await fx.ds.query(`CREATE TABLE IF NOT EXISTS squid_processor.status (id int PRIMARY KEY, height int, hash text)`);
    await fx.ds.query(
      `INSERT INTO squid_processor.status VALUES (0, 100, '0xaa') ON CONFLICT (id) DO UPDATE SET height = 100, hash = '0xaa'`,
    );
    const api = await createApiServer({
      dbUrl: fx.apiDbUrl,
      port: 0,
      host: '127.0.0.1',
      responseCache: { maxBytes: 1024 * 1024, verifyIntervalMs: 50 },
    });
    try {
      await api.live.listening();
      const query = DATANET_NAME(1);
      const before = JSON.parse((await post(api.url, query)).body).data.datanet.name;
      // The head read when the LISTEN connection came up is the one the checks compare with.
      await sleep(300);
      const hits = api.cache.stats().hits;
      assert.equal(JSON.parse((await post(api.url, query)).body).data.datanet.name, before);
      assert.equal(api.cache.stats().clears, 0, 'the same head does not clear');
      assert.equal(api.cache.stats().hits - hits, 1);
      const clears = api.cache.stats().clears;
      await rename('behind-a-standby');
      await fx.ds.query(`UPDATE squid_processor.status SET height = 101, hash = '0xbb' WHERE id = 0`);
      await waitFor(async () => api.cache.stats().clears > clears, 'the check seeing the new head');
      assert.equal(JSON.parse((await post(api.url, query)).body).data.datanet.name, 'behind-a-standby');
    } finally {
      await api.close();
      await rename(fx.seed.datanets.find((d) => d.id === '1')!.name);
      await fx.ds.query(`DROP SCHEMA squid_processor CASCADE`);
      await fx.announceCommit();
    }
  });

  test('held answers stay within the byte bound, least recently used out first; 0 turns it off', async () => {
    const maxBytes = 64 * 1024;
    const api = await createApiServer({ dbUrl: fx.apiDbUrl, port: 0, host: '127.0.0.1', responseCache: { maxBytes } });
    const off = await createApiServer({
      dbUrl: fx.apiDbUrl,
      port: 0,
      host: '127.0.0.1',
      responseCache: { maxBytes: 0 },
    });
    try {
      await api.live.listening();
      const queries = Array.from(
        { length: 80 },
        (_, i) => `{ contributions(first: 10, where: { submittedAfterBlock: ${i} }) { edges { node { id txHash } } } }`,
      );
      for (const q of queries) assert.equal((await post(api.url, q)).status, 200);
      const s = api.cache.stats();
      assert.equal(s.stores, queries.length);
      assert.ok(s.bytes <= maxBytes, `${s.bytes} bytes held`);
      assert.ok(s.entries < queries.length && s.entries > 0, `${s.entries} entries held`);
      // The latest is held, the first was evicted.
      const hits = api.cache.stats().hits;
      await post(api.url, queries.at(-1)!);
      assert.equal(api.cache.stats().hits - hits, 1);
      await post(api.url, queries[0]);
      assert.equal(api.cache.stats().hits - hits, 1);
      for (let i = 0; i < 3; i++) assert.equal((await post(off.url, queries[0])).status, 200);
      assert.deepEqual(off.cache.stats(), {
        hits: 0,
        misses: 0,
        stores: 0,
        clears: 0,
        kept: 0,
        coalesced: 0,
        suspects: 0,
        entries: 0,
        bytes: 0,
      });
    } finally {
      await api.close();
      await off.close();
    }
  });

  test('subscriptions over SSE pass through untouched', async () => {
    const controller = new AbortController();
    const res = await fetch(fx.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { indexerHead { height } }' }),
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const before = stats().misses;
    controller.abort();
    await res.body?.cancel().catch(() => {});
    assert.equal(stats().misses, before);
  });

  test('/metrics counts hits, and times a hit under its operation name', async () => {
    const query = 'query CachedBoard { epochs { edges { node { epoch } } } }';
    const timed = (samples: Sample[]) =>
      samplesOf(samples, `${API_METRIC_NAMES.requestDuration}_count`, { operation_name: 'CachedBoard' })[0]?.value ?? 0;
    await post(fx.api.url, query);
    const before = await scrape(fx.api.metricsUrl);
    for (let i = 0; i < 3; i++) await post(fx.api.url, query);
    const after = await scrape(fx.api.metricsUrl);
    assert.equal(timed(after) - timed(before), 3);
    assert.equal(valueOf(after, API_METRIC_NAMES.responseCache, { stat: 'hits' }), stats().hits);
  });

  test('API_RESPONSE_CACHE_MB and API_RESPONSE_CACHE_VERIFY_MS: defaults, values, and clear errors', () => {
    assert.deepEqual(readResponseCacheConfig({}), {
      maxBytes: DEFAULT_RESPONSE_CACHE_MB * 1024 * 1024,
      verifyIntervalMs: DEFAULT_RESPONSE_CACHE_VERIFY_MS,
    });
    assert.deepEqual(readResponseCacheConfig({ API_RESPONSE_CACHE_MB: '0', API_RESPONSE_CACHE_VERIFY_MS: '250' }), {
      maxBytes: 0,
      verifyIntervalMs: 250,
    });
    assert.throws(() => readResponseCacheConfig({ API_RESPONSE_CACHE_MB: '-1' }), /API_RESPONSE_CACHE_MB must be/);
    assert.throws(() => readResponseCacheConfig({ API_RESPONSE_CACHE_VERIFY_MS: '5' }), /API_RESPONSE_CACHE_VERIFY_MS/);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
