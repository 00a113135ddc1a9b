// Live updates of one API process: a dedicated LISTEN connection, one query per topic per committed
// range, and an in-memory fan-out to every subscriber.
import { Client } from 'pg';
import { BATCH_CHANNEL, parseBatchNotification, type BatchNotification } from '../../store/notify';
import type { ApiDb } from '../db';
import { silentLogger, type ApiLogger } from '../log';
import { loadProcessedHead, type ProcessedHead } from '../processedHead';
import type { InferenceRow } from '../rows';
import { createEventStream, type EventStream } from './eventStream';
import { loadChangedContributors, loadNewInferences, type CommittedRange, type ContributorSnapshot } from './topics';

/** A committed head, as `indexerHead` subscribers receive it. */
export interface HeadEvent {
  height: number;
  hash: string;
  /** First block the commit wrote. */
  fromBlock: number;
  /** The head announced before this one (null for the first one this process saw). */
  previousHeight: number | null;
  reorg: boolean;
  /** When the processor committed it (its clock, just before COMMIT); for a gap filled after a reconnect, when the hub noticed it. */
  committedAt: Date;
}

/** A contributor's new state after a committed range changed it. */
export interface ContributorEvent {
  fromBlock: number;
  toBlock: number;
  reorg: boolean;
  account: ContributorSnapshot;
}

/** A new inference of a subscribed model. */
export interface InferenceEvent {
  fromBlock: number;
  toBlock: number;
  reorg: boolean;
  inference: InferenceRow;
}

/**
 * What a commit announced: blocks from `from` on were written. `replaced`: they did not just extend
 * the head announced before (a reorg or a replay rewrote blocks at or below it, or no head was known
 * before), so rows may also have been rolled back.
 */
export interface AnnouncedRange {
  from: number;
  replaced: boolean;
}

/** A listener of {@link LiveHub.onAnnounce}. */
export type AnnounceListener = (head: ProcessedHead | null, range?: AnnouncedRange) => void;

/** What the hub did so far (tests and the benchmark read it). */
export interface LiveStats {
  /** Notifications received (and gaps filled after a reconnect). */
  notifications: number;
  /** Topic dispatches (notifications arriving during a dispatch are merged into the next one). */
  dispatches: number;
  /** Statements run per topic. */
  queries: { contributors: number; models: number };
  /** LISTEN connections opened (1 + reconnects). */
  connections: number;
  subscribers: { head: number; contributors: number; models: number };
}

/** Parameters of {@link createLiveHub}. */
export interface LiveHubParameters {
  /** postgres:// URL for the dedicated LISTEN connection. */
  dbUrl: string;
  /** The API's pool, for the per-topic queries. */
  db: ApiDb;
  log?: ApiLogger;
  /** Per-subscriber queue bound (default 1,000 events): a client that falls further behind is disconnected. */
  maxQueued?: number;
  /** First wait before reconnecting, ms (default 100), doubled after each failed attempt. */
  minReconnectDelayMs?: number;
  /** Longest wait between reconnect attempts, ms (default 5,000). */
  maxReconnectDelayMs?: number;
}

/** The live updates of one API process. */
export interface LiveHub {
  /** Every committed head. */
  head(): EventStream<HeadEvent>;
  /** Changes of one account (lowercase address). */
  contributor(address: string): EventStream<ContributorEvent>;
  /** New inferences of one model (decimal modelId). */
  modelInferences(modelId: string): EventStream<InferenceEvent>;
  /** Resolves once the LISTEN connection is up (the first time). */
  listening(): Promise<void>;
  /** True while the LISTEN connection is up, i.e. every commit from now on is announced to {@link onAnnounce}. */
  connected(): boolean;
  /**
   * Calls `listener` on every batch notification (a commit; duplicates of the last head too) with
   * the head it announces and the range it committed, and whenever the LISTEN connection drops
   * (null, no range) or comes up (the head it read then, or null; no range): what a cache of query
   * answers must be cleared on. Returns the function that removes it.
   */
  onAnnounce(listener: AnnounceListener): () => void;
  stats(): LiveStats;
  /** Ends every subscription and closes the LISTEN connection. */
  close(): Promise<void>;
}

/**
 * Creates the hub and opens its LISTEN connection (reconnected with backoff whenever it drops; on
 * reconnect the processed head is read from the processor's state and the blocks committed while the
 * connection was down are dispatched as one range). Head events go out as each notification arrives;
 * the contributor and model topics run at most one statement each per dispatch, for all subscribed
 * keys at once, and notifications arriving meanwhile are merged into the next dispatch.
 */
export function createLiveHub({
  dbUrl,
  db,
  log = silentLogger,
  maxQueued = 1000,
  minReconnectDelayMs = 100,
  maxReconnectDelayMs = 5000,
}: LiveHubParameters): LiveHub {
  const heads = new Set<EventStream<HeadEvent>>();
  const contributors = new Map<string, Set<EventStream<ContributorEvent>>>();
  const models = new Map<string, Set<EventStream<InferenceEvent>>>();
  const stats = { notifications: 0, dispatches: 0, queries: { contributors: 0, models: 0 }, connections: 0 };
  let lastHead: ProcessedHead | null = null;
  let pending: (CommittedRange & { at: number }) | null = null;
  let dispatching = false;
  let closed = false;
  let client: Client | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = minReconnectDelayMs;
  const announceListeners = new Set<AnnounceListener>();
  const announce = (head: ProcessedHead | null, range?: AnnouncedRange) => {
    for (const listener of announceListeners) listener(head, range);
  };
  let markListening: () => void = () => {};
  const listening = new Promise<void>((resolve) => (markListening = resolve));

  function subscribe<T>(set: Set<EventStream<T>>, onEmpty?: () => void): EventStream<T> {
    const stream = createEventStream<T>({
      maxQueued,
      onClose: (reason) => {
        set.delete(stream);
        if (set.size === 0) onEmpty?.();
        if (reason === 'overflow') log('warn', { msg: 'live subscriber fell behind; its stream was ended', maxQueued });
      },
    });
    set.add(stream);
    return stream;
  }

  function keyed<T>(map: Map<string, Set<EventStream<T>>>, key: string): EventStream<T> {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    const own = set;
    return subscribe(own, () => {
      if (map.get(key) === own) map.delete(key);
    });
  }

  /** One committed range: the head goes out now, the keyed topics on the next dispatch. */
  function onCommitted(n: BatchNotification): void {
    // Already seen: the commit the catch-up read after a reconnect covered (or a replay of the same head).
    if (lastHead && n.to === lastHead.height && n.hash === lastHead.hash) return;
    stats.notifications++;
    const previous = lastHead;
    const reorg = previous !== null && (n.from <= previous.height || n.to < previous.height);
    lastHead = { height: n.to, hash: n.hash };
    const event: HeadEvent = {
      height: n.to,
      hash: n.hash,
      fromBlock: n.from,
      previousHeight: previous?.height ?? null,
      reorg,
      committedAt: new Date(n.at),
    };
    for (const s of heads) s.push(event);
    if (contributors.size === 0 && models.size === 0) return;
    pending = pending
      ? { from: Math.min(pending.from, n.from), to: n.to, reorg: pending.reorg || reorg, at: pending.at }
      : { from: n.from, to: n.to, reorg, at: n.at };
    if (!dispatching) void drain();
  }

  async function drain(): Promise<void> {
    dispatching = true;
    try {
      while (pending && !closed) {
        const range = pending;
        pending = null;
        stats.dispatches++;
        await Promise.all([dispatchContributors(range), dispatchModels(range)]).catch((err) =>
          log('error', { msg: 'live dispatch failed', from: range.from, to: range.to, error: String(err) }),
        );
      }
    } finally {
      dispatching = false;
    }
  }

  async function dispatchContributors(range: CommittedRange): Promise<void> {
    if (contributors.size === 0) return;
    stats.queries.contributors++;
    const rows = await loadChangedContributors(db, [...contributors.keys()], range);
    for (const account of rows) {
      const event: ContributorEvent = { fromBlock: range.from, toBlock: range.to, reorg: range.reorg, account };
      for (const s of contributors.get(account.id) ?? []) s.push(event);
    }
  }

  async function dispatchModels(range: CommittedRange): Promise<void> {
    if (models.size === 0) return;
    stats.queries.models++;
    const rows = await loadNewInferences(db, [...models.keys()], range);
    for (const inference of rows) {
      const event: InferenceEvent = { fromBlock: range.from, toBlock: range.to, reorg: range.reorg, inference };
      for (const s of models.get(inference.rawModelId) ?? []) s.push(event);
    }
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    const delay = retryDelay;
    retryDelay = Math.min(maxReconnectDelayMs, retryDelay * 2);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const c = new Client({
      connectionString: dbUrl,
      application_name: 'openledger-api-listen',
      keepAlive: true,
      // Like the pool: read-only (LISTEN is allowed in a read-only session).
      options: '-c default_transaction_read_only=on',
    });
    let dropped = false;
    const onDrop = (err?: Error) => {
      if (dropped) return;
      dropped = true;
      if (client === c) {
        client = null;
        announce(null);
      }
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      if (!closed) {
        log('warn', { msg: 'live LISTEN connection lost; reconnecting', error: err ? String(err) : 'ended' });
        scheduleReconnect();
      }
    };
    c.on('error', onDrop);
    c.on('end', () => onDrop());
    c.on('notification', (msg) => {
      if (msg.channel !== BATCH_CHANNEL) return;
      const n = parseBatchNotification(msg.payload);
      if (!n) return;
      const replaced = lastHead === null || n.from !== lastHead.height + 1;
      announce({ height: n.to, hash: n.hash }, { from: n.from, replaced });
      onCommitted(n);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${BATCH_CHANNEL}`);
      // Whatever committed while no connection listened: one range from the last head seen.
      const head = await loadProcessedHead(async (sql) => (await c.query(sql)).rows);
      if (dropped || closed) return;
      client = c;
      announce(head);
      stats.connections++;
      retryDelay = minReconnectDelayMs;
      if (head && lastHead && (head.height !== lastHead.height || head.hash !== lastHead.hash)) {
        const from = head.height > lastHead.height ? lastHead.height + 1 : head.height;
        onCommitted({ from, to: head.height, hash: head.hash, at: Date.now() });
      } else if (head && !lastHead) {
        lastHead = head;
      }
      markListening();
      if (closed) await c.end();
    } catch (err) {
      onDrop(err as Error);
    }
  }

  void connect();

  return {
    head: () => subscribe(heads),
    contributor: (address) => keyed(contributors, address),
    modelInferences: (modelId) => keyed(models, modelId),
    listening: () => listening,
    connected: () => client !== null,
    onAnnounce(listener) {
      announceListeners.add(listener);
      return () => announceListeners.delete(listener);
    },
    stats: () => ({
      ...stats,
      queries: { ...stats.queries },
      subscribers: {
        head: heads.size,
        contributors: [...contributors.values()].reduce((n, s) => n + s.size, 0),
        models: [...models.values()].reduce((n, s) => n + s.size, 0),
      },
    }),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      for (const s of [...heads, ...[...contributors.values(), ...models.values()].flatMap((set) => [...set])]) {
        void s.return();
      }
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
