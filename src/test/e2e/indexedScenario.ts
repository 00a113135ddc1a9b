import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveApiDatabaseLogin } from '../../api/dbRole';
import { createApiServer } from '../../api/server';
import { startDevnet, type Devnet, type GroundTruth } from '../../devnet';
import { createGraphqlClient, fetchAllPages } from '../graphql';
import { setupTestDatabase, type TestDatabase } from '../postgres';
import { startTestProcessor, waitForHeight } from '../processorChild';

type Page<N> = { edges: { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** The `small` scenario on a real hardhat node, indexed by the processor, served by the API. */
export interface IndexedScenario {
  devnet: Devnet;
  db: TestDatabase;
  api: { url: string; close(): Promise<unknown> };
  truth: GroundTruth;
  /** What the processor wrote while it indexed the scenario (JSON log lines). */
  processorLog: string;
  gql: ReturnType<typeof createGraphqlClient>;
  /** Walks a top-level or nested list to its end: `pathTo` leads from the result to the connection. */
  walk<N>(query: string, pathTo: string[], variables?: Record<string, unknown>): Promise<N[]>;
  close(): Promise<void>;
}

/**
 * Generates the `small` scenario (seed 1), indexes it to its head into a fresh database, and serves
 * it as `npm start` does: the API logs in as the read-only role the migrations created.
 */
export async function indexSmallScenario(): Promise<IndexedScenario> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-e2e-'));
  const [devnet, db] = await Promise.all([
    startDevnet({ port: 0, scenario: 'small', seed: 1, out: path.join(dir, 'deployment.json') }),
    setupTestDatabase(),
  ]);
  const truth = devnet.groundTruth;
  const proc = startTestProcessor({ dbUrl: db.url, rpcUrl: devnet.rpcUrl, deploymentFile: devnet.deploymentFile });
  try {
    await waitForHeight(db, proc, truth.headBlock);
  } finally {
    await proc.kill();
  }
  const processorLog = proc.output();
  const login = await resolveApiDatabaseLogin({ url: db.url, env: {} });
  assert.equal(login.via, 'role');
  const api = await createApiServer({ dbUrl: login.url, port: 0, host: '127.0.0.1', rpcUrl: devnet.rpcUrl });
  const gql = createGraphqlClient(api.url);
  return {
    devnet,
    db,
    api,
    truth,
    processorLog,
    gql,
    walk: <N>(query: string, pathTo: string[], variables: Record<string, unknown> = {}) =>
      fetchAllPages<N>(gql, query, (data) => pathTo.reduce((acc, key) => acc[key], data) as Page<N>, variables),
    async close() {
      await api.close();
      await Promise.all([devnet.stop(), db.stop()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
