import path from 'node:path';
import { startEmbeddedPostgres } from './embedded';

/** A database to use: DB_URL when given, else the embedded cluster under `.data/postgres`. */
export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** Default folder of the embedded cluster (git-ignored, kept between runs). */
export const EMBEDDED_DATA_DIR = path.resolve(__dirname, '../../.data/postgres');

/** Default port of the embedded cluster. */
export const EMBEDDED_DEFAULT_PORT = 54329;

/** Where the embedded cluster lives: EMBEDDED_PG_DIR (default `.data/postgres`) and EMBEDDED_PG_PORT (default 54329). */
export function embeddedLocation(env: NodeJS.ProcessEnv = process.env): { dataDir: string; port: number } {
  return {
    dataDir: path.resolve(env.EMBEDDED_PG_DIR ?? EMBEDDED_DATA_DIR),
    port: env.EMBEDDED_PG_PORT ? Number(env.EMBEDDED_PG_PORT) : EMBEDDED_DEFAULT_PORT,
  };
}

/** The variables Subsquid's store (and SQD Cloud's postgres add-on) use instead of DB_URL. */
const DB_PARTS = ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASS'] as const;

/**
 * The database URL the environment names: DB_URL; else, when any of DB_HOST, DB_PORT, DB_NAME,
 * DB_USER, DB_PASS is set (SQD Cloud's postgres add-on injects them), a URL built from them with
 * the defaults Subsquid's store uses (localhost, 5432, postgres, postgres, postgres); else undefined.
 */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DB_URL) return env.DB_URL;
  if (!DB_PARTS.some((name) => env[name])) return undefined;
  const port = env.DB_PORT || '5432';
  if (!/^\d+$/.test(port)) throw new Error(`DB_PORT must be a port number (got "${env.DB_PORT}")`);
  const url = new URL('postgres://localhost');
  url.hostname = env.DB_HOST || 'localhost';
  url.port = port;
  url.pathname = `/${encodeURIComponent(env.DB_NAME || 'postgres')}`;
  url.username = encodeURIComponent(env.DB_USER || 'postgres');
  url.password = encodeURIComponent(env.DB_PASS || 'postgres');
  return url.toString();
}

/**
 * Returns the database the environment names (see {@link databaseUrlFromEnv}); otherwise starts the
 * embedded cluster (see {@link embeddedLocation}).
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedDatabase> {
  const url = databaseUrlFromEnv(env);
  if (url) return { url, embedded: false, stop: async () => {} };
  const pg = await startEmbeddedPostgres(embeddedLocation(env));
  return { url: pg.url, embedded: true, stop: () => pg.stop() };
}
