import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '../db/embedded';
import { API_NODE_FLAG } from '../api/nodeFlags';
import { PROJECT_ROOT } from '../store/dataSource';

/** A GraphQL server under benchmark, in its own process. */
export interface BenchServer {
  name: string;
  /** `http://127.0.0.1:port/graphql` */
  url: string;
  pid: number;
  /** Everything it printed (stdout + stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Database connections each server may hold. Ours pools 10 (src/api/db.ts); Subsquid's server pools
 * GQL_DB_CONNECTION_POOL_SIZE (default 5), set to the same so neither waits for connections the
 * other has.
 */
export const SERVER_POOL_SIZE = 10;

/** Sends `{ __typename }` until the server answers 200, or fails with its output after `timeoutMs`. */
async function waitUntilServing(server: BenchServer, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${server.name} exited before serving:\n${server.output().slice(-3000)}`);
    }
    try {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${server.name} did not serve ${server.url} in ${timeoutMs} ms:\n${server.output().slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startServer(params: {
  name: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  cwd?: string;
}): Promise<BenchServer> {
  const child = spawn(process.execPath, params.args, {
    cwd: params.cwd ?? PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...params.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));
  const server: BenchServer = {
    name: params.name,
    url: `http://127.0.0.1:${params.port}/graphql`,
    pid: child.pid!,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await waitUntilServing(server, child, 60_000);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/**
 * Starts our API (`lib/api/main.js`, i.e. createApiServer) on loopback over `dbUrl` with `env` added
 * (e.g. API_RESPONSE_CACHE_MB), with the node
 * flags of API_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: it stops on SIGTERM, which
 * writes the profile).
 */
export async function startOurServer(
  dbUrl: string,
  { name = 'ours', env = {} }: { name?: string; env?: Record<string, string> } = {},
): Promise<BenchServer> {
  const port = await findFreePort();
  // The flags `npm run api` runs it with (API_NODE_FLAG), then the benchmark's own.
  const nodeFlags = [API_NODE_FLAG, ...(process.env.API_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)];
  return startServer({
    name,
    args: [...nodeFlags, path.resolve(__dirname, '../api/main.js')],
    env: { DB_URL: dbUrl, GRAPHQL_HOST: '127.0.0.1', GRAPHQL_PORT: String(port), ...env },
    port,
  });
}

/**
 * Starts @subsquid/graphql-server (its `squid-graphql-server` entry) in the project folder, where it
 * reads the entity schema from schema/*.graphql, over `dbUrl` (it reads DB_URL like the processor),
 * with subsquidPreload.js so that it runs on a single copy of graphql.
 */
export async function startSubsquidServer(dbUrl: string): Promise<BenchServer> {
  const port = await findFreePort();
  return startServer({
    name: 'subsquid',
    args: [
      '-r',
      path.resolve(__dirname, 'subsquidPreload.js'),
      path.join(PROJECT_ROOT, 'node_modules/@subsquid/graphql-server/bin/run.js'),
    ],
    env: {
      DB_URL: dbUrl,
      GQL_PORT: String(port),
      GQL_DB_CONNECTION_POOL_SIZE: String(SERVER_POOL_SIZE),
      SQD_LOG: 'warn',
    },
    port,
  });
}
