import type { Store } from '@subsquid/typeorm-store';
import type { EntityManager } from 'typeorm';
import { PREDEPLOYS, type NetworkProfile } from '../config/networks';
import type { LogDecoder } from '../decode/decodeLog';
import { BRIDGE_EVENT_KINDS, type ChainEvent, type EventLocation } from '../decode/events';
import { computeBridgeTransfers, computeNativeDeposit, type BridgeLog, type TransferDraft } from '../domain/bridge';
import { IndexerStatus } from '../model';
import { applyEvent } from '../store/apply';
import { applyBridgeTransfer, type TransferLocation } from '../store/apply/bridge';
import { prefetch } from '../store/prefetch';
import { createYielder } from '../util/yield';
import { BatchState, executeWrites } from '../store/state';
import { fetchDepositTransactions } from './deposits';
import type { ProcessorMetrics } from './metrics';
import { DEPOSIT_TX_TYPE, type Context } from './processor';

/** One structured log line. */
export type Logger = (fields: Record<string, unknown>) => void;

/**
 * Where the handler hands its writes over when commits are pipelined (see PipelinedDatabase): while
 * `deferring()`, the batch's writes are prepared and deferred instead of written in `ctx.store`.
 */
export interface WritePipeline {
  deferring(): boolean;
  defer(write: (store: Store) => Promise<void>): void;
  /** Whether this batch may be held (a finalized batch short of the head and of the end block). */
  canHold(): boolean;
  /**
   * Commits nothing for this batch: its changes stay in the handler's state and go with a later
   * batch's deferred write, or with `flush()` when the pipeline must commit before the next batch.
   */
  hold(flush: () => Promise<(store: Store) => Promise<void>>): void;
  /** Resolves once no deferred write is in flight (everything handled so far is committed). */
  settled(): Promise<void>;
  /** Time spent waiting for the previous commit before starting the next one (ms, cumulative). */
  readonly commitWaitMs: number;
}

/** What the handler needs besides the batch. */
export interface BatchHandlerParameters {
  decoder: LogDecoder;
  network: NetworkProfile;
  rpcUrl: string;
  log: Logger;
  pipeline?: WritePipeline;
  /** Commit held batches once they hold this many events (default 50,000; see ProcessorConfig). */
  commitEveryEvents?: number;
  /** Prometheus metrics, recorded once per batch and per write (default: none). */
  metrics?: ProcessorMetrics;
}

const STATUS_ID = 'head';

/** Rows kept in memory across batches before the cache is dropped (bounds the processor's memory). */
const MAX_CACHED_ROWS = 400_000;

/**
 * Held batches (see WritePipeline.hold) are committed together once they hold `commitEveryEvents`
 * events or this many batches: during backfill a row changed in several batches is then written once,
 * and Postgres handles fewer, larger transactions. The chain head and hot blocks are never held.
 */
const COMMIT_EVERY_BATCHES = 50;

/** Converts a decoded bridge event to the reduced form the bridge rule reads. */
function toBridgeLog(e: ChainEvent): BridgeLog | null {
  const logIndex = e.loc.logIndex;
  switch (e.kind) {
    case 'WithdrawalInitiated':
    case 'DepositFinalized':
    case 'ERC20BridgeInitiated':
    case 'ERC20BridgeFinalized':
    case 'ETHBridgeInitiated':
    case 'ETHBridgeFinalized':
      return { kind: e.kind, logIndex, ...e.args } as BridgeLog;
    case 'MessagePassed':
      return { kind: e.kind, logIndex, ...e.args };
    case 'SentMessage':
      return { kind: e.kind, logIndex, target: e.args.target, sender: e.args.sender };
    case 'SentMessageExtension1':
    case 'RelayedMessage':
    case 'FailedRelayedMessage':
      return { kind: e.kind, logIndex };
    default:
      return null;
  }
}

/**
 * Creates the batch handler: decode the whole batch, group bridge logs per transaction, fetch deposit
 * mints in one batched call, load every needed row once, fold events in chain order, write once.
 */
export function createBatchHandler({
  decoder,
  network,
  rpcUrl,
  log,
  pipeline,
  commitEveryEvents = 50_000,
  metrics,
}: BatchHandlerParameters) {
  const messenger = PREDEPLOYS.L2CrossDomainMessenger;
  // Rows committed by the previous batch stay in memory for the next one, which then loads only
  // what it has not seen. Dropped whenever a batch does not continue right after the last one
  // handled (a retried transaction, a hot-block rollback) and when it grows past MAX_CACHED_ROWS.
  let cache: BatchState | null = null;
  let lastHandled = -1;
  // Batches held (not committed yet) in `cache`, and their events.
  let held = { batches: 0, events: 0 };
  // When the previous batch's handling ended: the gap until the next call is the time spent waiting
  // for blocks from the RPC and for commits (commit_wait_ms, when pipelined).
  let previousEnd = 0;
  return async (ctx: Context): Promise<void> => {
    const started = Date.now();
    const idleMs = previousEnd ? started - previousEnd : 0;
    const events: ChainEvent[] = [];
    const malformed: { reason: string; loc: EventLocation }[] = [];
    const bridgeTxs = new Map<string, { loc: TransferLocation; logs: BridgeLog[] }>();
    const deposits: TransferLocation[] = [];
    let eventCount = 0;
    for (const block of ctx.blocks) {
      const { height, timestamp } = block.header;
      for (const log of block.logs) {
        const loc: EventLocation = {
          blockNumber: height,
          timestamp,
          txHash: log.transactionHash,
          logIndex: log.logIndex,
          address: log.address,
        };
        const r = decoder.decode(log, loc);
        if (!r) continue;
        eventCount++;
        if (!r.ok) {
          malformed.push({ reason: r.reason, loc });
        } else if (BRIDGE_EVENT_KINDS.has(r.event.kind)) {
          const group = bridgeTxs.get(loc.txHash) ?? {
            loc: { blockNumber: height, timestamp, txHash: loc.txHash },
            logs: [],
          };
          group.logs.push(toBridgeLog(r.event)!);
          bridgeTxs.set(loc.txHash, group);
        } else {
          events.push(r.event);
        }
      }
      if (network.nativeDeposits) {
        for (const tx of block.transactions) {
          if (tx.type === DEPOSIT_TX_TYPE) deposits.push({ blockNumber: height, timestamp, txHash: tx.hash });
        }
      }
    }

    const decoded = Date.now();
    const transfers: { draft: TransferDraft; loc: TransferLocation; sourceHash: string | null }[] = [];
    const bridgeAnomalies: { reason: string; loc: EventLocation }[] = [];
    for (const { loc, logs } of bridgeTxs.values()) {
      const outcome = computeBridgeTransfers(logs, messenger);
      for (const draft of outcome.transfers) transfers.push({ draft, loc, sourceHash: null });
      for (const a of outcome.anomalies) {
        bridgeAnomalies.push({
          reason: a.reason,
          loc: { ...loc, logIndex: a.logIndex, address: PREDEPLOYS.L2StandardBridge },
        });
      }
    }
    if (deposits.length) {
      const fetched = await fetchDepositTransactions({ rpcUrl, hashes: deposits.map((d) => d.txHash) });
      for (const loc of deposits) {
        const tx = fetched.get(loc.txHash)!;
        const draft = computeNativeDeposit(tx);
        eventCount++;
        if (draft) transfers.push({ draft, loc, sourceHash: tx.sourceHash });
      }
    }
    transfers.sort((a, b) => a.loc.blockNumber - b.loc.blockNumber);

    const first = ctx.blocks[0].header.height;
    let s: BatchState;
    if (cache && held.batches > 0) {
      // The held batches' changes are only in this state: go on folding into it.
      s = cache;
      s.continueHeld(ctx.store);
    } else if (cache && first > lastHandled && cache.cachedRows() <= MAX_CACHED_ROWS) {
      s = cache;
      s.nextBatch(ctx.store, first);
    } else {
      // A fresh state reads everything from the database: wait until the last write has landed.
      await pipeline?.settled();
      s = new BatchState(ctx.store);
    }
    cache = null;
    await Promise.all([
      prefetch(
        s,
        events,
        transfers.map((t) => t.draft),
      ),
      s.statusTable.load(ctx.store, [STATUS_ID]),
    ]);
    // A fresh state learns how far the database is committed (see StatsBuckets); a kept one knows.
    s.stats.begin(s.statusTable.get(STATUS_ID)?.timestamp);
    const loaded = Date.now();
    const em = (ctx.store as unknown as { em(): EntityManager }).em();
    s.formatAppendsWith(pipeline?.deferring() ? em : null);
    const anomaliesBefore = s.anomalies.rows.length;
    for (const m of malformed) s.anomaly('MALFORMED_LOG', m.reason, m.loc);
    // Reputation is recomputed at the end of each block that changed an input of it.
    let block = -1;
    let blockTime = 0;
    const maybeYield = createYielder();
    for (const e of events) {
      const y = maybeYield();
      if (y) await y;
      if (e.loc.blockNumber !== block) {
        if (block >= 0) s.endBlock(block, blockTime);
        block = e.loc.blockNumber;
        blockTime = e.loc.timestamp;
      }
      applyEvent(s, e);
    }
    if (block >= 0) s.endBlock(block, blockTime);
    for (const t of transfers) applyBridgeTransfer(s, t.draft, t.loc, t.sourceHash);
    for (const a of bridgeAnomalies) s.anomaly('BRIDGE_WITHOUT_MESSAGE', a.reason, a.loc);
    await s.stats.resolve(ctx.store);

    const last = ctx.blocks[ctx.blocks.length - 1].header;
    const previous = s.statusTable.get(STATUS_ID);
    s.statusTable.put(
      new IndexerStatus({
        id: STATUS_ID,
        height: last.height,
        hash: last.hash,
        timestamp: new Date(last.timestamp),
        eventCount: (previous?.eventCount ?? 0n) + BigInt(eventCount),
      }),
    );
    const applied = Date.now();
    const line = {
      msg: 'batch',
      block_from: ctx.blocks[0].header.height,
      block_to: last.height,
      blocks: ctx.blocks.length,
      events: eventCount,
      head: ctx.isHead,
      anomalies: s.anomalyCounts(anomaliesBefore),
      decode_ms: decoded - started,
      load_ms: loaded - decoded,
      fold_ms: applied - loaded,
      idle_ms: idleMs,
      commit_wait_ms: pipeline ? Math.round(pipeline.commitWaitMs) : undefined,
      cached_rows: s.cachedRows(),
      rss_mb: Math.round(process.memoryUsage.rss() / 2 ** 20),
      heap_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      ext_mb: Math.round(process.memoryUsage().external / 2 ** 20),
    };
    metrics?.batch({
      decodeMs: line.decode_ms,
      loadMs: line.load_ms,
      foldMs: line.fold_ms,
      events: eventCount,
      anomalies: line.anomalies,
    });
    cache = s;
    lastHandled = last.height;
    if (pipeline?.deferring()) {
      held = { batches: held.batches + 1, events: held.events + eventCount };
      /** Formats every change since the last commit; the returned write executes them in a transaction. */
      const prepare = async (yielder: () => Promise<void> | undefined) => {
        const batches = held.batches;
        held = { batches: 0, events: 0 };
        const preparing = Date.now();
        const prepared = await s.prepareWrites(em, yielder);
        const preparedAt = Date.now();
        return async (store: Store) => {
          const writeStarted = Date.now();
          const persistMs = await executeWrites(store, prepared);
          metrics?.written({ ms: Date.now() - writeStarted, rows: prepared.rows });
          log({
            msg: 'commit',
            block_to: last.height,
            batches,
            rows: prepared.rows,
            prepare_ms: preparedAt - preparing,
            persist_ms: persistMs,
            write_ms: Date.now() - writeStarted,
          });
        };
      };
      const hold =
        pipeline.canHold() &&
        held.events < commitEveryEvents &&
        held.batches < COMMIT_EVERY_BATCHES &&
        s.cachedRows() <= MAX_CACHED_ROWS;
      log({ ...line, held: hold });
      if (hold) pipeline.hold(() => prepare(() => undefined));
      else pipeline.defer(await prepare(maybeYield));
      previousEnd = Date.now();
      return;
    }
    const persistStarted = Date.now();
    const rows = await s.persist();
    metrics?.written({ ms: Date.now() - persistStarted, rows });
    log({ ...line, rows, persist_ms: s.persistMs, duration_ms: Date.now() - started });
    previousEnd = Date.now();
  };
}
