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
 *
 * The handler may also **hold** a finalized batch instead of deferring its writes (`canHold()` says
 * when it may): nothing is committed, and the batch's changes stay in the handler's memory, where the
 * next batches keep folding into them. The next deferred write then commits all held batches and its
 * own in one transaction, from the first held batch's previous head to its own head (a row changed in
 * several batches is written once). Before a hot-block transaction, held batches are flushed first
 * (`flush` of the last `hold`). A crash loses only held work, which the restarted processor re-indexes
 * from the last committed head, as after any crash.
 */
export class PipelinedDatabase implements WritePipeline {
  readonly supportsHotBlocks = true as const;
  private inflight: Promise<void> = Promise.resolve();
  private deferred: Write | null = null;
  private collecting = false;
  private holdAllowed = false;
  private holding: (() => Promise<Write>) | null = null;
  /** Held batches not committed yet: from the previous head of the first to the head of the last. */
  private held: { from: HashAndHeight; to: HashAndHeight; flush: () => Promise<Write> } | null = null;
  /** Time the runner spent waiting for the previous commit before starting the next one (ms, cumulative). */
  commitWaitMs = 0;

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
    if (this.deferred || this.holding) throw new Error('one deferred write or hold per batch');
    this.deferred = write;
  }

  canHold(): boolean {
    return this.collecting && this.holdAllowed;
  }

  hold(flush: () => Promise<Write>): void {
    if (!this.canHold()) throw new Error('hold() outside a finalized batch that may be held');
    if (this.deferred || this.holding) throw new Error('one deferred write or hold per batch');
    this.holding = flush;
  }

  settled(): Promise<void> {
    return this.inflight;
  }

  async transact(info: FinalTxInfo, cb: (store: Store) => Promise<void>): Promise<void> {
    const sync = info.isOnTop || (this.options.endBlock !== undefined && info.nextHead.height >= this.options.endBlock);
    this.deferred = null;
    this.holding = null;
    this.collecting = true;
    this.holdAllowed = !sync;
    try {
      await cb(new Store(() => this.reader));
    } finally {
      this.collecting = false;
      this.holdAllowed = false;
    }
    const from = this.held?.from ?? info.prevHead;
    if (this.holding) {
      this.held = { from, to: info.nextHead, flush: this.holding };
      this.holding = null;
      return;
    }
    this.held = null;
    const write: Write = this.deferred ?? (async () => {});
    this.deferred = null;
    const waiting = performance.now();
    await this.inflight;
    this.commitWaitMs += performance.now() - waiting;
    const commit = this.inner.transact({ ...info, prevHead: from }, write);
    if (sync) {
      this.inflight = Promise.resolve();
      await commit;
      return;
    }
    // Observed by the next transact (or settled()); not awaited here, so the runner moves on.
    this.inflight = commit;
    commit.catch(() => undefined);
  }

  /** Commits held batches, if any, and waits for every commit in flight. */
  private async flushHeld(): Promise<void> {
    const held = this.held;
    this.held = null;
    if (held) {
      const write = await held.flush();
      await this.inflight;
      this.inflight = Promise.resolve();
      await this.inner.transact({ prevHead: held.from, nextHead: held.to }, write);
    }
    await this.inflight;
  }

  async transactHot(info: HotTxInfo, cb: (store: Store, block: HashAndHeight) => Promise<void>): Promise<void> {
    await this.flushHeld();
    return this.inner.transactHot(info, cb);
  }

  async transactHot2(
    info: HotTxInfo,
    cb: (store: Store, blockSliceStart: number, blockSliceEnd: number) => Promise<void>,
  ): Promise<void> {
    await this.flushHeld();
    return this.inner.transactHot2(info, cb);
  }
}
