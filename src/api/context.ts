import type { ChainHeadSource } from './chainHead';
import type { ApiDb } from './db';
import type { LiveHub } from './live/hub';

/** What every resolver receives: read-only database, chain head reader, finality setting, live updates. */
export interface ApiContext {
  db: ApiDb;
  chainHead: ChainHeadSource;
  /** Blocks behind the head considered final (default 0). */
  finalityConfirmations: number;
  /** The process's live-update hub (subscriptions); absent in contexts built by hand (tests). */
  live?: LiveHub;
}
