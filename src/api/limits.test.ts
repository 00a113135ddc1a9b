import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { createApiDb } from './db';
import { DEFAULT_API_LIMITS, readApiLimits, type ApiLimits } from './limits';
import type { ApiLogger } from './log';
import { setupApiFixture, type ApiFixture, type GqlResult } from './test-fixtures';

const LIMITS: ApiLimits = {
  maxDepth: 7,
  maxAliases: 3,
  maxTokens: 120,
  maxCost: 500,
  maxBodyBytes: 4000,
  statementTimeoutMs: 400,
  exportStatementTimeoutMs: 400,
  maxConcurrentExports: 1,
};

let fx: ApiFixture;
const logged: { level: string; msg: string; [k: string]: unknown }[] = [];
const log: ApiLogger = (level, entry) => logged.push({ level, ...entry });
before(async () => {
  fx = await setupApiFixture({ limits: LIMITS, log });
});
after(async () => {
  await fx?.close();
});

/** Asserts one LIMIT_EXCEEDED error for `limit` with this message; returns it. */
function assertLimit(res: GqlResult, limit: keyof ApiLimits, message: string, found?: number) {
  assert.equal(res.errors?.length, 1, JSON.stringify(res));
  const [err] = res.errors!;
  assert.equal(err.message, message);
  const expected: Record<string, unknown> = { code: 'LIMIT_EXCEEDED', limit, max: LIMITS[limit] };
  if (found !== undefined) expected.found = found;
  assert.deepEqual(err.extensions, expected);
  assert.equal(res.data?.datanets ?? null, null);
}

/** POSTs raw bytes to the API, optionally without Content-Length (chunked); returns status and JSON. */
function post(body: Buffer, chunked: boolean): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = body.length;
    const req = request(fx.api.url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    if (chunked) {
      for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
      req.end();
    } else req.end(body);
  });
}

describe('query limits', () => {
  test('depth: 8 levels are refused naming the limit of 7 (GRAPHQL_MAX_DEPTH); 7 levels run', async () => {
    const deep = '{ datanets(first: 3) { edges { node { epochs(first: 3) { edges { node { datanet { id } } } } } } } }';
    assertLimit(await fx.gql(deep), 'maxDepth', 'Query depth 8 exceeds the limit of 7 (GRAPHQL_MAX_DEPTH).', 8);
    const ok = await fx.gql('{ datanets(first: 3) { edges { node { epochs(first: 3) { edges { node { id } } } } } } }');
    assert.equal(ok.errors, undefined);
    assert.equal(ok.data.datanets.edges.length, 3);
  });

  test('aliases: 4 are refused naming the limit of 3 (GRAPHQL_MAX_ALIASES); 3 run', async () => {
    const four =
      '{ a: protocol { modelCount } b: protocol { modelCount } c: protocol { modelCount } d: _meta { chainHead } }';
    assertLimit(
      await fx.gql(four),
      'maxAliases',
      'Query has 4 aliases, above the limit of 3 (GRAPHQL_MAX_ALIASES).',
      4,
    );
    const three = await fx.gql('{ a: protocol { modelCount } b: protocol { modelCount } c: protocol { modelCount } }');
    assert.equal(three.errors, undefined);
    assert.equal(three.data.c.modelCount, fx.seed.protocol.modelCount);
  });

  test('tokens: a document over 120 tokens is refused naming the limit (GRAPHQL_MAX_TOKENS)', async () => {
    const fields = Array.from({ length: 150 }, () => 'id').join(' ');
    const res = await fx.gql(`{ datanets { edges { node { ${fields} } } } }`);
    assert.equal(res.errors?.length, 1, JSON.stringify(res));
    assert.match(res.errors![0].message, /Query has more than 120 tokens, the limit \(GRAPHQL_MAX_TOKENS\)\./);
    assert.deepEqual(res.errors![0].extensions, { code: 'LIMIT_EXCEEDED', limit: 'maxTokens', max: 120 });
  });

  test('cost: nested page sizes multiply; 10 Datanets x 100 epochs (cost 1010) are refused at 500 (GRAPHQL_MAX_COST)', async () => {
    const query = 'query($n: Int) { datanets(first: 10) { edges { node { epochs(first: $n) { totalCount } } } } }';
    const refused = await fx.gql(query, { n: 100 });
    assert.equal(refused.errors?.length, 1, JSON.stringify(refused));
    assert.match(refused.errors![0].message, /^Query cost 1010 exceeds the limit of 500: .*\(GRAPHQL_MAX_COST\)\.$/);
    assert.deepEqual(refused.errors![0].extensions, {
      code: 'LIMIT_EXCEEDED',
      limit: 'maxCost',
      max: 500,
      found: 1010,
    });
    assert.equal(refused.data, undefined);
    const ok = await fx.gql(query, { n: 49 }); // 10 + 490
    assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
    assert.equal(ok.data.datanets.edges.length, 3);
  });

  test('introspection (GraphiQL) passes every limit', async () => {
    const res = await fx.gql(
      '{ __schema { queryType { name } types { name kind fields { name type { name kind ofType { name } } } } } }',
    );
    assert.equal(res.errors, undefined);
    assert.ok(res.data.__schema.types.length > 20);
  });
});

describe('request body limit', () => {
  const bigBody = () =>
    Buffer.from(JSON.stringify({ query: '{ protocol { modelCount } }', variables: { pad: 'x'.repeat(5000) } }));

  test('a body over 4000 bytes with Content-Length is refused with 413 naming GRAPHQL_MAX_BODY_BYTES', async () => {
    const body = bigBody();
    const { status, json } = await post(body, false);
    assert.equal(status, 413);
    assert.deepEqual(json, {
      errors: [
        {
          message: `Request body of ${body.length} bytes exceeds the limit of 4000 bytes (GRAPHQL_MAX_BODY_BYTES).`,
          extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes', max: 4000 },
        },
      ],
    });
  });

  test('a chunked body is refused with 413 once it passes 4000 bytes', async () => {
    const { status, json } = await post(bigBody(), true);
    assert.equal(status, 413);
    assert.equal(json.errors[0].message, 'Request body exceeds the limit of 4000 bytes (GRAPHQL_MAX_BODY_BYTES).');
    assert.equal(json.errors[0].extensions.limit, 'maxBodyBytes');
  });

  test('bodies within the limit are served, chunked or not', async () => {
    const body = Buffer.from(
      JSON.stringify({ query: '{ protocol { modelCount } }', variables: { pad: 'x'.repeat(3000) } }),
    );
    for (const chunked of [false, true]) {
      const { status, json } = await post(body, chunked);
      assert.equal(status, 200, JSON.stringify(json));
      assert.equal(json.data.protocol.modelCount, fx.seed.protocol.modelCount);
    }
  });
});

describe('statement timeout', () => {
  test('the API handle cancels a statement after its timeout (SQLSTATE 57014)', async () => {
    const db = createApiDb({ url: fx.apiDbUrl, statementTimeoutMs: 200 });
    try {
      const t0 = Date.now();
      await assert.rejects(db.query('SELECT pg_sleep(5)'), { code: '57014' });
      assert.ok(Date.now() - t0 < 2000, `cancelled after ${Date.now() - t0} ms`);
      assert.deepEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  test('a query stuck behind a lock is cancelled after 400 ms with a clear error; the server keeps serving', async () => {
    const owner = new Client({ connectionString: fx.dbUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query('LOCK TABLE datanet IN ACCESS EXCLUSIVE MODE');
      logged.length = 0;
      const t0 = Date.now();
      const stuck = fx.gql('{ datanets { totalCount } }');
      // Meanwhile other queries are answered.
      const other = await fx.gql('{ epochs { totalCount } }');
      assert.equal(other.data.epochs.totalCount, fx.seed.epochs.length);
      const res = await stuck;
      const elapsed = Date.now() - t0;
      assert.ok(elapsed >= 350 && elapsed < 3000, `answered after ${elapsed} ms`);
      assert.equal(res.errors?.length, 1, JSON.stringify(res));
      assert.equal(
        res.errors![0].message,
        'A database statement ran longer than the statement timeout of 400 ms and was cancelled: ' +
          'ask for smaller pages or narrower filters (GRAPHQL_STATEMENT_TIMEOUT_MS).',
      );
      assert.deepEqual(res.errors![0].extensions, { code: 'LIMIT_EXCEEDED', limit: 'statementTimeoutMs', max: 400 });
      assert.doesNotMatch(JSON.stringify(res), /canceling|relation|SELECT|FROM/);
      assert.deepEqual(
        logged.map((l) => [l.level, l.msg, l.path]),
        [['warn', 'statement timeout in a GraphQL request', 'datanets']],
      );
    } finally {
      await owner.query('ROLLBACK');
      await owner.end();
    }
    const after = await fx.gql('{ datanets { totalCount } }');
    assert.equal(after.data.datanets.totalCount, 3);
  });

  test('an unexpected error is masked for the client and logged with its cause', async () => {
    await fx.ds.query('ALTER TABLE model RENAME TO model_hidden');
    logged.length = 0;
    try {
      const res = await fx.gql('{ model(id: "1") { name } }');
      assert.equal(res.errors?.[0].message, 'Unexpected error.');
      assert.equal(res.errors?.[0].extensions?.code, 'INTERNAL_SERVER_ERROR');
      assert.doesNotMatch(JSON.stringify(res), /model_hidden|relation|does not exist/);
      const ours = logged.filter((l) => l.msg === 'unexpected error in a GraphQL request');
      assert.equal(ours.length, 1, JSON.stringify(logged));
      assert.equal(ours[0].level, 'error');
      assert.equal(ours[0].path, 'model');
      assert.match(String(ours[0].error), /relation "model" does not exist/);
    } finally {
      await fx.ds.query('ALTER TABLE model_hidden RENAME TO model');
    }
  });
});

describe('readApiLimits', () => {
  test('unset or empty variables give the defaults', () => {
    assert.deepEqual(readApiLimits({}), DEFAULT_API_LIMITS);
    assert.deepEqual(readApiLimits({ GRAPHQL_MAX_COST: ' ' }), DEFAULT_API_LIMITS);
    assert.deepEqual(DEFAULT_API_LIMITS, {
      maxDepth: 12,
      maxAliases: 30,
      maxTokens: 2000,
      maxCost: 20000,
      maxBodyBytes: 102400,
      statementTimeoutMs: 5000,
      exportStatementTimeoutMs: 60000,
      maxConcurrentExports: 2,
    });
  });

  test('each variable sets its limit', () => {
    const env = {
      GRAPHQL_MAX_DEPTH: '8',
      GRAPHQL_MAX_ALIASES: '5',
      GRAPHQL_MAX_TOKENS: '900',
      GRAPHQL_MAX_COST: '100000',
      GRAPHQL_MAX_BODY_BYTES: '1048576',
      GRAPHQL_STATEMENT_TIMEOUT_MS: '15000',
      EXPORT_STATEMENT_TIMEOUT_MS: '120000',
      EXPORT_MAX_CONCURRENT: '4',
    };
    assert.deepEqual(readApiLimits(env), {
      maxDepth: 8,
      maxAliases: 5,
      maxTokens: 900,
      maxCost: 100000,
      maxBodyBytes: 1048576,
      statementTimeoutMs: 15000,
      exportStatementTimeoutMs: 120000,
      maxConcurrentExports: 4,
    });
  });

  test('a bad value is an error naming the variable', () => {
    assert.throws(
      () => readApiLimits({ GRAPHQL_MAX_COST: 'lots' }),
      /^Error: GRAPHQL_MAX_COST must be a positive integer \(got "lots"\)$/,
    );
    assert.throws(() => readApiLimits({ GRAPHQL_STATEMENT_TIMEOUT_MS: '0' }), /GRAPHQL_STATEMENT_TIMEOUT_MS/);
  });
});
