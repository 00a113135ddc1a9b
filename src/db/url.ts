/** Connection settings in the shape TypeORM and the Subsquid store expect. */
export interface PgConnectionOptions {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
}

/** Parses a `postgres://user:pass@host:port/db` URL. */
export function parseDbUrl(url: string): PgConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new Error(`DB_URL is not a valid URL (expected postgres://user:pass@host:port/db): ${url}`, { cause });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`DB_URL must start with postgres:// (got ${u.protocol}//)`);
  }
  return {
    host: u.hostname || 'localhost',
    port: u.port ? Number(u.port) : 5432,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    username: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password || ''),
  };
}

/** Sets the DB_* variables that `@subsquid/typeorm-store` reads from a URL. */
export function dbEnvFromUrl(url: string): Record<string, string> {
  const o = parseDbUrl(url);
  return {
    DB_HOST: o.host,
    DB_PORT: String(o.port),
    DB_NAME: o.database,
    DB_USER: o.username,
    DB_PASS: o.password,
  };
}
