import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROCESSOR_NODE_ARGS } from '../ingest/nodeArgs';

/** A processor running as a child process, as in production. */
export interface TestProcessor {
  child: ChildProcess;
  /** Everything it printed so far (stdout + stderr). */
  output(): string;
  /** Resolves when it exits; gives the exit code. */
  exited: Promise<number | null>;
  /** SIGKILL (a crash) or SIGTERM; waits for exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `lib/ingest/main.js` against a devnet deployment with fast polling and bounded retries. */
export function startTestProcessor(params: {
  dbUrl: string;
  rpcUrl: string;
  deploymentFile: string;
  env?: Record<string, string>;
  /** Extra flags for node, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}): TestProcessor {
  const main = path.resolve(__dirname, '../ingest/main.js');
  const child = spawn(process.execPath, [...PROCESSOR_NODE_ARGS, ...(params.nodeArgs ?? []), main], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NETWORK: 'devnet',
      DB_URL: params.dbUrl,
      RPC_URL: params.rpcUrl,
      DEPLOYMENT_FILE: params.deploymentFile,
      RPC_RETRY_ATTEMPTS: '3',
      SQD_LOG: 'warn',
      ...params.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Polls until the processor has committed `height` (our indexer_status row), or fails with its output. */
export async function waitForHeight(
  db: { query<T>(sql: string): Promise<T[]> },
  proc: TestProcessor,
  height: number,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.query<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'head'`);
    if (rows.length && rows[0].height >= height) return;
    if (proc.child.exitCode !== null) {
      throw new Error(
        `processor exited with ${proc.child.exitCode} before block ${height}:\n${proc.output().slice(-3000)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`processor did not reach block ${height} in ${timeoutMs} ms:\n${proc.output().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
