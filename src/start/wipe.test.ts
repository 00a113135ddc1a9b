import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { runMigrations } from '../store/dataSource';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { StartError } from './errors';
import { checkDatabaseMatchesChain, readIndexedHead } from './indexedHead';
import { wipeIndexedData } from './wipe';

/** A JSON-RPC endpoint that knows one block hash per height. */
async function startFakeRpc(hashes: Record<number, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { id, params } = JSON.parse(body);
      const hash = hashes[Number(BigInt(params[0]))];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result: hash ? { hash } : null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('wipeIndexedData and the indexed head (real Postgres)', () => {
  let pg: TestDatabase;
  const client = { query: async (sql: string, params?: unknown[]) => ({ rows: await pg.query(sql, params) }) };

  before(async () => {
    pg = await setupTestDatabase();
  });
  after(async () => {
    await pg?.stop();
  });

  async function simulateProcessor(height: number, hash: string): Promise<void> {
    await client.query('CREATE SCHEMA IF NOT EXISTS squid_processor');
    await client.query(
      'CREATE TABLE IF NOT EXISTS squid_processor.status (id int primary key, height int not null, hash text, nonce int)',
    );
    await client.query(
      `INSERT INTO squid_processor.status VALUES (0, $1, $2, 0) ON CONFLICT (id) DO UPDATE SET height = $1, hash = $2`,
      [height, hash],
    );
  }

  it('reads nothing from an empty database, then the processor state when indexer_status is empty', async () => {
    assert.equal(await readIndexedHead(client), null);
    await simulateProcessor(41, '0xAA');
    assert.deepEqual(await readIndexedHead(client), { height: 41, hash: '0xaa', events: null });
  });

  it('prefers the indexer_status head row, with its event count', async () => {
    await client.query(
      `INSERT INTO indexer_status (id, height, hash, timestamp, event_count) VALUES ('head', 45, '0xbb', now(), 1234)`,
    );
    assert.deepEqual(await readIndexedHead(client), { height: 45, hash: '0xbb', events: 1234 });
  });

  it('accepts a chain that holds the finalized block, and refuses one that does not', async () => {
    const same = await startFakeRpc({ 41: '0xaa' });
    const other = await startFakeRpc({ 41: '0xcc' });
    try {
      assert.equal(await checkDatabaseMatchesChain(client, same.url), 41);
      await assert.rejects(
        checkDatabaseMatchesChain(client, other.url),
        (err: unknown) =>
          err instanceof StartError &&
          /holds another chain's data: the database indexed block 41 \(0xaa\) but the node .* has 0xcc/.test(
            err.message,
          ),
      );
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('drops the tables, the migrations record and the processor schema, and migrations then rebuild public', async () => {
    await wipeIndexedData(pg.url);
    const { rows: schemas } = await client.query(
      `SELECT nspname FROM pg_namespace WHERE nspname IN ('public', 'squid_processor') ORDER BY 1`,
    );
    assert.deepEqual(
      schemas.map((r) => r.nspname),
      ['public'],
    );
    const { rows: tables } = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    assert.equal(tables[0].n, 0);
    assert.equal(await readIndexedHead(client), null);
    const applied = await runMigrations(pg.url);
    assert.ok(applied.length >= 1, 'every migration runs again');
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM indexer_status`);
    assert.equal(rows[0].n, 0);
  });
});
