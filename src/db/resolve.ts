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

/** Returns DB_URL if set; otherwise starts the embedded cluster (EMBEDDED_PG_PORT, default 54329). */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedDatabase> {
  if (env.DB_URL) return { url: env.DB_URL, embedded: false, stop: async () => {} };
  const pg = await startEmbeddedPostgres({
    dataDir: env.EMBEDDED_PG_DIR ?? EMBEDDED_DATA_DIR,
    port: env.EMBEDDED_PG_PORT ? Number(env.EMBEDDED_PG_PORT) : 54329,
  });
  return { url: pg.url, embedded: true, stop: () => pg.stop() };
}
