import type { HashAndHeight, HotDatabaseState, HotTxInfo } from '@subsquid/util-internal-processor-tools';
import { Store, type TypeormDatabase } from '@subsquid/typeorm-store';
import type { EntityManager } from 'typeorm';
import type { WritePipeline } from './handler';

/** The part of a finalized-batch transaction the runner hands the database. */
interface FinalTxInfo {
  prevHead: HashAndHeight;
  nextHead: HashAndHeight;
  isOnTop: boolean;
}

type Write = (store: Store) => Promise<void>;

/**
 * Wraps Subsquid's TypeormDatabase so that, during backfill, the commit of one batch overlaps the
 * handling of the next: Node decodes and folds batch N+1 while Postgres writes batch N.
 *
 * For a finalized batch, `transact` runs the handler against a read-only store (autocommit reads of
 * committed data; the handler keeps every row the in-flight batch wrote in memory, so it never needs
 * to read those). The handler formats its writes (a snapshot of the rows' values) and defers them.
 * Then `transact` waits for the previous batch's commit, starts this batch's transaction (the inner
 * database's: status check, writes, status update, commit) and returns without waiting for it. At
 * most one commit is in flight, and commits happen in batch order.
 *
 * - A failed commit (after the inner database's own retries of serialization failures, which re-run
 *   the same prepared writes) fails the next `transact` call, and with it the processor, which then
 *   restarts from the last committed batch, as after any crash.
 * - Batches that reach the chain head (`isOnTop`), the configured end block, and all hot-block
 *   transactions are synchronous: nothing is left in flight when the indexer is at the head, and hot
 *   blocks keep the store's change tracking for reorgs.
 */
export class PipelinedDatabase implements WritePipeline {
  readonly supportsHotBlocks = true as const;
  private inflight: Promise<void> = Promise.resolve();
  private deferred: Write | null = null;
  private collecting = false;

  constructor(
    private readonly inner: TypeormDatabase,
    /** An EntityManager on the same database outside any transaction (reads of committed data). */
    private readonly reader: EntityManager,
    private readonly options: { endBlock?: number } = {},
  ) {}

  connect(): Promise<HotDatabaseState> {
    return this.inner.connect();
  }

  deferring(): boolean {
    return this.collecting;
  }

  defer(write: Write): void {
    if (!this.collecting) throw new Error('defer() outside a pipelined transaction');
    if (this.deferred) throw new Error('one deferred write per batch');
    this.deferred = write;
  }

  settled(): Promise<void> {
    return this.inflight;
  }

  async transact(info: FinalTxInfo, cb: (store: Store) => Promise<void>): Promise<void> {
    this.deferred = null;
    this.collecting = true;
    try {
      await cb(new Store(() => this.reader));
    } finally {
      this.collecting = false;
    }
    const write: Write = this.deferred ?? (async () => {});
    this.deferred = null;
    await this.inflight;
    const commit = this.inner.transact(info, write);
    const sync = info.isOnTop || (this.options.endBlock !== undefined && info.nextHead.height >= this.options.endBlock);
    if (sync) {
      this.inflight = Promise.resolve();
      await commit;
      return;
    }
    // Observed by the next transact (or settled()); not awaited here, so the runner moves on.
    this.inflight = commit;
    commit.catch(() => undefined);
  }

  async transactHot(info: HotTxInfo, cb: (store: Store, block: HashAndHeight) => Promise<void>): Promise<void> {
    await this.inflight;
    return this.inner.transactHot(info, cb);
  }

  async transactHot2(
    info: HotTxInfo,
    cb: (store: Store, blockSliceStart: number, blockSliceEnd: number) => Promise<void>,
  ): Promise<void> {
    await this.inflight;
    return this.inner.transactHot2(info, cb);
  }
}
