// Shared setup of the API tests: a temporary embedded Postgres, migrated, seeded through the
// TypeORM entities with realistic rows, and the API server on a free port. Not a test file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded';
import { createDataSource, runMigrations } from '../store/dataSource';
import { notifyCommitted } from '../store/notify';
import { resolveApiDatabaseLogin } from './dbRole';
import type { ApiLimits } from './limits';
import type { ApiLogger } from './log';
import { seedApiFixture, type ApiSeed } from './test-seed';
import { createApiServer, type ApiServer } from './server';

/** A GraphQL response as the tests read it. */
export interface GqlResult {
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Everything a test needs: the seeded rows, the running API and a way to query it. */
export interface ApiFixture {
  seed: ApiSeed;
  /** The owner's URL (writes, schema changes). */
  dbUrl: string;
  /** The URL the API logs in with: the read-only role `api` the migrations created. */
  apiDbUrl: string;
  ds: DataSource;
  api: ApiServer;
  /** Finality confirmations the server was started with. */
  finalityConfirmations: number;
  /** Block the fake RPC reports as head. */
  rpcHead: { number: number; timestamp: number };
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /** Runs a query and fails the test on any GraphQL error; returns its data (as GqlResult's). */
  data(query: string, variables?: Record<string, unknown>): Promise<GqlResult['data']>;
  /** Runs a query that must fail with one BAD_USER_INPUT error naming `argument`; returns the message. */
  badInput(query: string, argument: string, variables?: Record<string, unknown>): Promise<string>;
  /**
   * What the processor does after writing rows: announce a commit (NOTIFY with the indexed head) and
   * wait until the API received it. A test that changes rows by hand calls it before reading them
   * back, as the API's response cache only forgets its answers on a commit.
   */
  announceCommit(): Promise<void>;
  /** Waits until at least `n` sessions of the database wait on a lock (10 s at most, then fails). */
  waitForLockWaiters(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link setupApiFixture}. */
export interface ApiFixtureOptions {
  /** Limits of the API server (default: the server's defaults). */
  limits?: Partial<ApiLimits>;
  /** Log sink of the API server (default: silent). */
  log?: ApiLogger;
}

/**
 * Starts Postgres in a temp dir, migrates, seeds, starts a fake RPC and the API (logged in as the
 * read-only role `api`, as `npm start` does); `close()` undoes all.
 */
export async function setupApiFixture({ limits, log }: ApiFixtureOptions = {}): Promise<ApiFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-test-'));
  fs.chmodSync(dir, 0o755); // the server runs as the 'postgres' OS user
  const cleanups: (() => Promise<unknown>)[] = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
  };
  try {
    const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
    cleanups.push(() => pg.stop());
    await runMigrations(pg.url);
    const ds = createDataSource(pg.url);
    await ds.initialize();
    cleanups.push(() => ds.destroy());
    const seed = await seedApiFixture(ds);
    const rpcHead = {
      number: seed.indexerStatus.height + 12,
      timestamp: Math.floor(seed.indexerStatus.timestamp.getTime() / 1000) + 24,
    };
    const rpc = await startFakeRpc(rpcHead);
    cleanups.push(() => new Promise<void>((resolve) => rpc.server.close(() => resolve())));
    const finalityConfirmations = 10;
    const login = await resolveApiDatabaseLogin({ url: pg.url, env: {} });
    if (login.via !== 'role') throw new Error(`the migrations did not create the API role (login via ${login.via})`);
    const api = await createApiServer({
      dbUrl: login.url,
      limits,
      log,
      port: 0,
      host: '127.0.0.1',
      rpcUrl: rpc.url,
      finalityConfirmations,
    });
    cleanups.push(() => api.close());
    const gql = async (query: string, variables?: Record<string, unknown>): Promise<GqlResult> => {
      const res = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlResult;
    };
    const data = async (query: string, variables?: Record<string, unknown>) => {
      const res = await gql(query, variables);
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      return res.data;
    };
    const badInput = async (query: string, argument: string, variables?: Record<string, unknown>) => {
      const res = await gql(query, variables);
      assert.equal(res.errors?.length, 1, `${query}: ${JSON.stringify(res)}`);
      const [err] = res.errors!;
      assert.equal(err.extensions?.code, 'BAD_USER_INPUT', query);
      assert.match(err.message, new RegExp(`"${argument}"`), query);
      return err.message;
    };
    const waitForLockWaiters = async (n: number) => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        const [{ w }] = await ds.query(
          `SELECT count(*)::int AS w FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (w >= n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.fail(`${n} sessions never waited on a lock`);
    };
    const announceCommit = async () => {
      const received = new Promise<void>((resolve) => {
        const stop = api.live.onAnnounce(() => {
          stop();
          resolve();
        });
      });
      const height = seed.indexerStatus.height;
      await notifyCommitted(ds, { from: height, to: height, hash: seed.indexerStatus.hash });
      await received;
    };
    return {
      seed,
      dbUrl: pg.url,
      apiDbUrl: login.url,
      ds,
      api,
      finalityConfirmations,
      rpcHead,
      gql,
      data,
      badInput,
      announceCommit,
      waitForLockWaiters,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A JSON-RPC endpoint that answers eth_getBlockByNumber("latest") with a fixed block. */
async function startFakeRpc(head: { number: number; timestamp: number }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      const result =
        method === 'eth_getBlockByNumber'
          ? { number: `0x${head.number.toString(16)}`, timestamp: `0x${head.timestamp.toString(16)}` }
          : method === 'eth_blockNumber'
            ? `0x${head.number.toString(16)}`
            : undefined;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify(
          result === undefined
            ? { jsonrpc: '2.0', id, error: { code: -32601, message: 'not found' } }
            : { jsonrpc: '2.0', id, result },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
