import type { HashAndHeight, HotDatabaseState, HotTxInfo } from '@subsquid/util-internal-processor-tools';
import { Store, type TypeormDatabase } from '@subsquid/typeorm-store';
import type { EntityManager } from 'typeorm';
import { notifyCommitted } from '../store/notify';
import type { WritePipeline } from './handler';
import type { ProcessorMetrics } from './metrics';

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
 *
 * Every transaction that commits blocks also sends one NOTIFY (see `store/notify.ts`) with the block
 * range it wrote and the new head, queued as its last statement before the status update, so the API's
 * live subscriptions learn about exactly what was committed: a grouped commit announces the whole
 * group, a hot transaction its blocks (from the fork point on a reorg), a rolled-back or retried
 * transaction nothing (the retry sends its own). It is done here rather than in the batch handler
 * because only the database wrapper knows where a transaction starts and ends (held batches, several
 * hot blocks in one transaction, the runner's empty transaction that moves the head without a batch).
 *
 * `stop()` is the graceful shutdown: no new transaction starts, the one running finishes, held batches
 * are committed and the commit in flight lands (or fails and is rolled back); then the process may exit
 * with the database at a batch boundary, where a restarted processor resumes.
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
  /** The runner's call in progress (transact, transactHot, transactHot2), settled either way. */
  private running: Promise<void> | null = null;
  private stopping = false;
  /** True while a deferred commit runs (started by one transact, awaited by the next). */
  private committing = false;

  constructor(
    private readonly inner: TypeormDatabase,
    /** An EntityManager on the same database outside any transaction (reads of committed data). */
    private readonly reader: EntityManager,
    private readonly options: {
      endBlock?: number;
      metrics?: ProcessorMetrics;
      /**
       * Runs once, before the first transaction that reaches the chain head or the end block (a sync
       * finalized batch or a hot-block transaction), after every earlier commit landed: the processor
       * builds the indexes its backfill deferred there (see store/deferredIndexes.ts).
       */
      beforeHead?: () => Promise<void>;
    } = {},
  ) {}

  private headReached: Promise<void> | null = null;

  /** Runs `options.beforeHead` once (later calls wait for the same run). */
  private reachHead(): Promise<void> {
    return (this.headReached ??= this.options.beforeHead?.() ?? Promise.resolve());
  }

  async connect(): Promise<HotDatabaseState> {
    const state = await this.inner.connect();
    const top = state.top[state.top.length - 1];
    if (state.height >= 0 || top) this.options.metrics?.indexedHeight(top?.height ?? state.height);
    return state;
  }

  /**
   * Stops taking transactions (later calls never settle: the process is about to exit) and resolves once
   * the call in progress has returned, the held batches are committed and no commit is in flight. Says
   * what it waited for. A failed commit is not an error here: its transaction was rolled back.
   */
  async stop(): Promise<{ waitedForTransaction: boolean; committedHeld: boolean; waitedForCommit: boolean }> {
    this.stopping = true;
    const waitedForTransaction = this.running !== null;
    await this.running;
    const committedHeld = this.held !== null;
    const waitedForCommit = this.committing;
    // A failed commit (or flush) was rolled back: the database stays at the last committed batch.
    await this.flushHeld().catch(() => undefined);
    return { waitedForTransaction, committedHeld, waitedForCommit };
  }

  /** Runs one of the runner's calls, unless stopping; remembers it for `stop()`. */
  private guard(call: () => Promise<void>): Promise<void> {
    if (this.stopping) return new Promise<void>(() => {});
    const p = call();
    // Cleared in the first reaction to `p`, so before the runner's own `await` sees it settle.
    const clear = () => {
      if (this.running === done) this.running = null;
    };
    const done: Promise<void> = p.then(clear, clear);
    this.running = done;
    return p;
  }

  /** Runs one inner transaction and records its duration and new head once it has committed. */
  private async timed(kind: 'final' | 'hot', height: number, tx: () => Promise<void>): Promise<void> {
    const started = performance.now();
    await tx();
    this.options.metrics?.committed({ ms: performance.now() - started, kind, height });
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

  transact(info: FinalTxInfo, cb: (store: Store) => Promise<void>): Promise<void> {
    return this.guard(() => this.transactFinal(info, cb));
  }

  private async transactFinal(info: FinalTxInfo, cb: (store: Store) => Promise<void>): Promise<void> {
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
    if (sync) await this.reachHead();
    const commit = this.timed('final', info.nextHead.height, () =>
      this.inner.transact({ ...info, prevHead: from }, withNotify(write, from, info.nextHead)),
    );
    if (sync) {
      this.inflight = Promise.resolve();
      await commit;
      return;
    }
    // Observed by the next transact (or settled()); not awaited here, so the runner moves on.
    this.inflight = commit;
    this.committing = true;
    const landed = () => {
      if (this.inflight === commit) this.committing = false;
    };
    commit.then(landed, landed);
  }

  /** Commits held batches, if any, and waits for every commit in flight. */
  private async flushHeld(): Promise<void> {
    const held = this.held;
    this.held = null;
    if (held) {
      const write = await held.flush();
      await this.inflight;
      this.inflight = Promise.resolve();
      await this.timed('final', held.to.height, () =>
        this.inner.transact({ prevHead: held.from, nextHead: held.to }, withNotify(write, held.from, held.to)),
      );
    }
    await this.inflight;
  }

  transactHot(info: HotTxInfo, cb: (store: Store, block: HashAndHeight) => Promise<void>): Promise<void> {
    return this.guard(async () => {
      await this.flushHeld();
      await this.reachHead();
      const last = info.newBlocks[info.newBlocks.length - 1];
      await this.timed('hot', last?.height ?? info.baseHead.height, () =>
        this.inner.transactHot(info, async (store, block) => {
          await cb(store, block);
          if (block.height === last.height) await notifyHot(store, info);
        }),
      );
    });
  }

  transactHot2(
    info: HotTxInfo,
    cb: (store: Store, blockSliceStart: number, blockSliceEnd: number) => Promise<void>,
  ): Promise<void> {
    return this.guard(async () => {
      await this.flushHeld();
      await this.reachHead();
      // The inner database calls back once for the finalized part of newBlocks and once per hot block,
      // all in one transaction: notify after the last slice. No new blocks (only finality moved): no call.
      const last = info.newBlocks[info.newBlocks.length - 1];
      await this.timed('hot', last?.height ?? info.baseHead.height, () =>
        this.inner.transactHot2(info, async (store, start, end) => {
          await cb(store, start, end);
          if (end === info.newBlocks.length) await notifyHot(store, info);
        }),
      );
    });
  }
}

/** The store's EntityManager (the transaction's). */
function em(store: Store): EntityManager {
  return (store as unknown as { em(): EntityManager }).em();
}

/** Wraps a finalized write so that it also announces the blocks `prevHead + 1 .. nextHead`. */
function withNotify(write: Write, prevHead: HashAndHeight, nextHead: HashAndHeight): Write {
  return async (store) => {
    await write(store);
    await notifyCommitted(em(store), { from: prevHead.height + 1, to: nextHead.height, hash: nextHead.hash });
  };
}

/** Announces a hot transaction: everything above its base head (the fork point on a reorg) up to its last block. */
function notifyHot(store: Store, info: HotTxInfo): Promise<void> {
  const last = info.newBlocks[info.newBlocks.length - 1];
  return notifyCommitted(em(store), { from: info.baseHead.height + 1, to: last.height, hash: last.hash });
}
