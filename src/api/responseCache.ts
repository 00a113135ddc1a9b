// Answers of GraphQL queries kept in memory until the next commit. The data the API serves changes
// only when the processor commits a batch, and every commit sends a notification the live hub
// receives; so an answer stays exact until then, and a repeated dashboard query (a leaderboard, an
// epoch table, a popular contributor) is served from memory, byte for byte what yoga sent the first
// time, without parsing, planning or a database round trip.
//
// What keeps it exact:
// - Every notification, and every drop or return of the LISTEN connection, clears it. While the
//   connection is down nothing is cached or served from it.
// - Except a contributor page (an answer that reads only accounts' own rows, see cacheScope.ts)
//   after a commit that just extended the head: it is held back until one statement tells which of
//   the held pages' accounts the commit changed; those are dropped, the others kept, and a request
//   for a held page waits the few ms for that answer. So the page of an account no block touched
//   stays in memory across commits; a reorg or replay clears all.
// - Identical requests arriving while an answer is computed wait for it (a flight) and are served
//   from it once stored; when it is not stored (an error, `_meta`, a commit meanwhile), they run.
// - An answer is stored only when no notification arrived while it was computed.
// - The processed head is also read every `verifyIntervalMs` while answers are held, and a head
//   other than the last one announced (or seen) clears them. That covers a database whose commits
//   are not announced to this process (a streaming standby: NOTIFY is not replicated), so staleness
//   there is bounded by the interval.
// - Only queries are stored: HTTP 200, no errors, and no `_meta` (which reads the chain head and the
//   clock). Subscriptions (text/event-stream) and chunked or oversized bodies go to yoga untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiDb } from './db';
import type { LiveHub } from './live/hub';
import { accountScope, documentFragments } from './cacheScope';
import { loadChangedAccountIds } from './live/topics';
import { fieldNamesIn } from './lookahead';
import { loadProcessedHead, type ProcessedHead } from './processedHead';
import { captureResponse, type CapturedResponse } from './responseCapture';

/** Default size bound of the cached answers (API_RESPONSE_CACHE_MB). */
export const DEFAULT_RESPONSE_CACHE_MB = 64;
/** Default period of the processed-head check while answers are held (API_RESPONSE_CACHE_VERIFY_MS). */
export const DEFAULT_RESPONSE_CACHE_VERIFY_MS = 1000;

/** Rounds of the held-back pages' check (a commit arrived during each) before they are dropped. */
const MAX_CHECK_ROUNDS = 3;

/** Root fields whose answer depends on more than the database (the chain head, the clock). */
const UNCACHEABLE_ROOT_FIELDS = new Set(['_meta']);

/** One stored answer: the response as yoga sent it, and what it was an answer to. */
interface Entry extends CapturedResponse {
  /** The operation's name, for the request metrics. */
  operationName: string;
  /** The accounts it depends on alone (cacheScope.ts), or null: it depends on anything. */
  accounts: string[] | null;
}

/** What the cache did so far (tests, benchmarks and /metrics read it). */
export interface ResponseCacheStats {
  hits: number;
  misses: number;
  /** Answers stored. */
  stores: number;
  /** Times it was cleared (commits, LISTEN connection changes, a new head found by the check). */
  clears: number;
  /** Contributor pages kept across a commit that did not change their accounts. */
  kept: number;
  /** Hits that waited for the same answer being computed by an identical request (counted in hits too). */
  coalesced: number;
  /** Contributor pages held back now, while a statement checks whether the last commit changed them. */
  suspects: number;
  entries: number;
  bytes: number;
}

/** Parameters of {@link createResponseCache}. */
export interface ResponseCacheParameters {
  /** Bytes of answers held at most (least recently used go first); 0 disables the cache. */
  maxBytes: number;
  live: LiveHub;
  db: ApiDb;
  /** Largest request body read for a key (GRAPHQL_MAX_BODY_BYTES): a larger one goes to yoga as is. */
  maxBodyBytes: number;
  /** Period of the processed-head check while answers are held, ms (default 1000). */
  verifyIntervalMs?: number;
  /** Called for each request answered from the cache, with its operation's name (metrics). */
  onHit?: (req: IncomingMessage, operationName: string) => void;
}

/** The cache of one API process. */
export interface ResponseCache {
  /**
   * Serves `req` from the cache, or hands it to `next` (yoga), with its body already read and its
   * answer recorded for storing when it may be stored.
   */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** The yoga plugin that marks the requests whose answers may be stored. */
  plugin(): Plugin;
  stats(): ResponseCacheStats;
  /** Clears it and stops the head check. */
  close(): void;
}

/** Where a request that may be stored stands, on the IncomingMessage. */
interface Pending {
  key: string;
  generation: number;
  /** Set by the plugin once the result is known to be storable: the operation's name. */
  storable?: string;
  /** Set with `storable`: the accounts the answer depends on alone, or null. */
  accounts?: string[] | null;
  /** The requests for the same key waiting for this answer, when this request leads them. */
  flight: Flight | null;
}

/** The first miss of a key in a generation computes the answer; identical requests meanwhile wait for it. */
interface Flight {
  generation: number;
  /** Called with the stored answer, or null when it was not stored (they then execute themselves). */
  waiters: ((landed: Entry | null) => void)[];
}
const PENDING = Symbol('responseCache.pending');
type Tracked = IncomingMessage & { [PENDING]?: Pending; body?: unknown };

/** Reads API_RESPONSE_CACHE_MB and API_RESPONSE_CACHE_VERIFY_MS; throws naming a bad value. */
export function readResponseCacheConfig(env: NodeJS.ProcessEnv = process.env): {
  maxBytes: number;
  verifyIntervalMs: number;
} {
  const read = (name: string, fallback: number, min: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) {
      throw new Error(`${name} must be an integer of at least ${min} (got "${env[name]}")`);
    }
    return n;
  };
  return {
    maxBytes: read('API_RESPONSE_CACHE_MB', DEFAULT_RESPONSE_CACHE_MB, 0) * 1024 * 1024,
    verifyIntervalMs: read('API_RESPONSE_CACHE_VERIFY_MS', DEFAULT_RESPONSE_CACHE_VERIFY_MS, 10),
  };
}

/** The request's path without its query string. */
const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?', 1)[0];

/** Creates the cache over the hub's notifications; with maxBytes 0 it passes every request through. */
export function createResponseCache({
  maxBytes,
  live,
  db,
  maxBodyBytes,
  verifyIntervalMs = DEFAULT_RESPONSE_CACHE_VERIFY_MS,
  onHit,
}: ResponseCacheParameters): ResponseCache {
  const entries = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0, stores: 0, clears: 0, kept: 0, coalesced: 0 };
  /** The answers being computed, by key (see Flight). */
  const flights = new Map<string, Flight>();
  /** Hands a flight's outcome to its waiters (once: later calls find none). */
  const land = (key: string, flight: Flight, landed: Entry | null) => {
    if (flights.get(key) === flight) flights.delete(key);
    for (const waiter of flight.waiters.splice(0)) waiter(landed);
  };
  /** Account-scoped answers held back after a commit until {@link checkSuspects} clears them. */
  const suspects = new Map<string, Entry>();
  /** The lowest first block of the commits the suspects were held back on. */
  let suspectFrom = Infinity;
  /** Set while the check runs; resolves when it ends (requests for held-back answers wait for it). */
  let checked: Promise<void> | null = null;
  let bytes = 0;
  let generation = 0;
  let closed = false;
  let verifyTimer: NodeJS.Timeout | undefined;
  /** The head the answers held were computed at or after; null: not known (the first check clears). */
  let knownHead: string | null = null;
  const maxEntryBytes = Math.max(1, Math.floor(maxBytes / 16));
  const headKey = (head: ProcessedHead | null) => (head ? `${head.height}:${head.hash}` : 'none');

  const dropSuspects = () => {
    suspects.clear();
    suspectFrom = Infinity;
  };
  /** Forgets every answer: a new generation, so none computed before it is stored either. */
  const clear = () => {
    generation++;
    if (entries.size > 0 || suspects.size > 0) stats.clears++;
    entries.clear();
    bytes = 0;
    dropSuspects();
  };
  const sizeOf = (key: string, entry: Entry) => entry.body.length + key.length;
  /** Evicts the least recently used entries down to the bound. */
  const evict = () => {
    for (const [k, e] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(k);
      bytes -= sizeOf(k, e);
    }
  };

  /**
   * A commit extended the head by the blocks from `from` on: the answers that depend on anything are
   * dropped, the account-scoped ones are held back (not served) until the check tells which to keep.
   */
  const suspend = (from: number) => {
    const held = [...suspects, ...[...entries].filter(([, e]) => e.accounts)];
    const heldFrom = Math.min(suspectFrom, from);
    clear();
    if (held.length === 0) return;
    for (const [k, e] of held) suspects.set(k, e);
    suspectFrom = heldFrom;
    void checkSuspects();
  };

  /**
   * One statement per round: the held-back answers whose accounts no commit since changed go back
   * (behind the answers stored meanwhile, which are newer). A commit during the statement means
   * another round, from the lowest first block (3 rounds at most, then they are dropped); an error
   * drops them.
   */
  const checkSuspects = async () => {
    if (checked) return;
    let done = () => {};
    checked = new Promise((resolve) => (done = resolve));
    try {
      for (let round = 1; suspects.size > 0 && !closed; round++) {
        const at = generation;
        const held = [...suspects];
        const addresses = [...new Set(held.flatMap(([, e]) => e.accounts ?? []))];
        let changed: Set<string>;
        try {
          changed = new Set(await loadChangedAccountIds(db, addresses, suspectFrom));
        } catch {
          dropSuspects();
          break;
        }
        // Commits faster than the statement: after a few rounds, drop them rather than keep their
        // requests waiting.
        if (at !== generation && round < MAX_CHECK_ROUNDS) continue;
        dropSuspects();
        if (at !== generation) break;
        const kept = held.filter(([k, e]) => !entries.has(k) && !e.accounts?.some((a) => changed.has(a)));
        if (kept.length === 0) break;
        const newer = [...entries];
        entries.clear();
        for (const [k, e] of [...kept, ...newer]) entries.set(k, e);
        for (const [k, e] of kept) bytes += sizeOf(k, e);
        stats.kept += kept.length;
        evict();
        scheduleVerify();
      }
    } finally {
      checked = null;
      done();
    }
  };

  const stopAnnounce = live.onAnnounce((head, range) => {
    if (range && !range.replaced && live.connected()) suspend(range.from);
    else clear();
    knownHead = head ? headKey(head) : null;
  });

  /** While answers are held: a head other than the known one clears them (commits this process was not told of). */
  const scheduleVerify = () => {
    if (verifyTimer || closed) return;
    verifyTimer = setTimeout(() => {
      void (async () => {
        const at = generation;
        try {
          const seen = headKey(await loadProcessedHead((sql) => db.query(sql, [], (r) => r)));
          if (at !== generation) return; // cleared meanwhile: the announcement's head is the known one
          if (seen !== knownHead) clear();
          knownHead = seen;
        } catch {
          clear(); // the head cannot be read: nothing held can be vouched for
        } finally {
          verifyTimer = undefined;
          if (entries.size > 0) scheduleVerify();
        }
      })();
    }, verifyIntervalMs);
    verifyTimer.unref?.();
  };

  /** Stores an answer; false when it is too large to keep. */
  const store = (key: string, entry: Entry): boolean => {
    const size = sizeOf(key, entry);
    if (size > maxEntryBytes) return false;
    const old = entries.get(key);
    if (old) {
      bytes -= sizeOf(key, old);
      entries.delete(key);
    }
    entries.set(key, entry);
    bytes += size;
    stats.stores++;
    evict();
    scheduleVerify();
    return entries.get(key) === entry;
  };

  const serve = (res: ServerResponse, entry: Entry) => {
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    res.statusCode = entry.status;
    res.end(entry.body);
  };

  /** Records what yoga answers to a pending request, and stores it when the plugin said it may. */
  const record = (req: Tracked, res: ServerResponse, pending: Pending) => {
    captureResponse(res, (status, sent) => {
      let stored: Entry | null = null;
      if (pending.storable !== undefined && status === 200 && pending.generation === generation) {
        const entry: Entry = {
          ...sent(),
          operationName: pending.storable,
          accounts: pending.accounts ?? null,
        };
        if (store(pending.key, entry)) stored = entry;
      }
      delete req[PENDING];
      if (pending.flight) land(pending.key, pending.flight, stored);
    });
    // A request that goes away unanswered leaves its waiters to execute themselves.
    if (pending.flight) {
      const flight = pending.flight;
      res.once('close', () => land(pending.key, flight, null));
    }
  };

  /** Executes a request that missed, recording its answer for storing (and for its flight's waiters). */
  const execute = (req: Tracked, res: ServerResponse, key: string, next: () => void, flight: Flight | null) => {
    const pending: Pending = { key, generation, flight };
    req[PENDING] = pending;
    record(req, res, pending);
    next();
  };

  /** The cache key of a request: what decides the answer (URL, body) and its headers (Accept, Origin). */
  const keyOf = (req: IncomingMessage, body: string) =>
    `${req.method} ${req.url}\n${req.headers.accept ?? ''}\n${req.headers.origin ?? ''}\n${req.headers['content-type'] ?? ''}\n${body}`;

  const lookUp = (req: Tracked, res: ServerResponse, body: string, next: () => void) => {
    const key = keyOf(req, body);
    const entry = entries.get(key);
    // Held back after a commit: a statement of a few ms will tell whether it may still be served.
    if (!entry && checked && suspects.has(key)) {
      void checked.then(() => lookUp(req, res, body, next));
      return;
    }
    if (entry && live.connected()) {
      // Most recently used last.
      entries.delete(key);
      entries.set(key, entry);
      stats.hits++;
      onHit?.(req, entry.operationName);
      return serve(res, entry);
    }
    if (!live.connected()) {
      stats.misses++;
      return next();
    }
    // The same answer is being computed for this generation: wait for it rather than compute it again.
    const flying = flights.get(key);
    if (flying && flying.generation === generation) {
      flying.waiters.push((landed) => {
        if (landed) {
          stats.hits++;
          stats.coalesced++;
          onHit?.(req, landed.operationName);
          return serve(res, landed);
        }
        stats.misses++;
        execute(req, res, key, next, null);
      });
      return;
    }
    stats.misses++;
    const flight: Flight = { generation, waiters: [] };
    flights.set(key, flight);
    execute(req, res, key, next, flight);
  };

  return {
    handle(req: Tracked, res, next) {
      const accept = req.headers.accept ?? '';
      if (maxBytes === 0 || closed || pathOf(req) !== '/graphql' || accept.includes('text/event-stream')) {
        return next();
      }
      if (req.method === 'GET') return lookUp(req, res, '', next);
      const length = Number(req.headers['content-length'] ?? NaN);
      const json = (req.headers['content-type'] ?? '').includes('application/json');
      if (req.method !== 'POST' || !json || !Number.isSafeInteger(length) || length > maxBodyBytes) return next();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.once('end', () => {
        const body = Buffer.concat(chunks);
        // yoga reads a body already read from `req.body` (@whatwg-node/server's normalizeNodeRequest).
        req.body = body;
        lookUp(req, res, body.toString('utf8'), next);
      });
      req.once('error', () => res.destroy());
    },
    plugin: (): Plugin => ({
      onExecute({ args }) {
        const req = (args.contextValue as { req?: Tracked }).req;
        const pending = req?.[PENDING];
        if (!pending) return;
        const operation = getOperationAST(args.document, args.operationName);
        if (operation?.operation !== 'query') return;
        const fragments = documentFragments(args.document as DocumentNode);
        for (const name of fieldNamesIn([operation.selectionSet], fragments)) {
          if (UNCACHEABLE_ROOT_FIELDS.has(name)) return;
        }
        return {
          onExecuteDone({ result }) {
            if (Symbol.asyncIterator in result || result.errors?.length) return;
            pending.storable = operation.name?.value ?? '';
            pending.accounts = accountScope(operation, fragments, args.variableValues);
          },
        };
      },
    }),
    stats: () => ({ ...stats, suspects: suspects.size, entries: entries.size, bytes }),
    close() {
      closed = true;
      clearTimeout(verifyTimer);
      stopAnnounce();
      clear();
    },
  };
}
