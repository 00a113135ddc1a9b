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

/** Returns DB_URL if set; otherwise starts the embedded cluster (see {@link embeddedLocation}). */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedDatabase> {
  if (env.DB_URL) return { url: env.DB_URL, embedded: false, stop: async () => {} };
  const pg = await startEmbeddedPostgres(embeddedLocation(env));
  return { url: pg.url, embedded: true, stop: () => pg.stop() };
}
