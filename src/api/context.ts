import type { ChainHeadSource } from './chainHead';
import type { ApiDb } from './db';

/** What every resolver receives: read-only database, chain head reader, finality setting. */
export interface ApiContext {
  db: ApiDb;
  chainHead: ChainHeadSource;
  /** Blocks behind the head considered final (default 0). */
  finalityConfirmations: number;
}
