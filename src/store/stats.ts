import type { Store } from '@subsquid/typeorm-store';
import { In, type EntityManager } from 'typeorm';
import {
  INTERVAL_MS,
  STATS_AMOUNTS,
  STATS_COUNTS,
  bucketStart,
  emptyStatsMetrics,
  type StatsIntervalName,
  type StatsScopeName,
} from '../domain/stats';
import { StatsBucket, StatsInterval, StatsScope } from '../model';
import type { PreparedWrite } from './bulk';
import { Table } from './table';

const SCOPE_CODE: Record<StatsScopeName, string> = { GLOBAL: 'g', DATANET: 'd', MODEL: 'm', TOKEN: 't' };
const INTERVAL_CODE: Record<StatsIntervalName, string> = { HOUR: 'H', DAY: 'D' };

/** The id of a StatsBucket row: scope code and key, interval code, start in unix seconds (e.g. `d12:H:1764626400`). */
export function statsBucketId(
  scope: StatsScopeName,
  key: string,
  interval: StatsIntervalName,
  startMs: number,
): string {
  return `${SCOPE_CODE[scope]}${key}:${INTERVAL_CODE[interval]}:${startMs / 1000}`;
}

/** A bucket row with nothing in it yet: the scope's metrics at 0, the others null. */
export function emptyStatsBucket(
  scope: StatsScopeName,
  key: string,
  interval: StatsIntervalName,
  startMs: number,
): StatsBucket {
  return new StatsBucket({
    id: statsBucketId(scope, key, interval, startMs),
    interval: StatsInterval[interval],
    scope: StatsScope[scope],
    scopeKey: key,
    start: new Date(startMs),
    ...emptyStatsMetrics(scope),
  });
}

/** Adds every metric of `from` into `into` (same scope: the same metrics are non-null). */
function addInto(into: StatsBucket, from: StatsBucket): void {
  for (const m of STATS_COUNTS) if (from[m] != null) into[m] = (into[m] ?? 0) + from[m]!;
  for (const m of STATS_AMOUNTS) if (from[m] != null) into[m] = (into[m] ?? 0n) + from[m]!;
}

function settled(r: StatsBucket, fee: bigint, toModelOwner: bigint, toProtocol: bigint): void {
  r.inferences!++;
  r.fees! += fee;
  r.toModelOwners! += toModelOwner;
  r.toProtocol! += toProtocol;
}

function paid(r: StatsBucket, toContributors: bigint, toDatanetOwners: bigint): void {
  r.toContributors! += toContributors;
  r.toDatanetOwners! += toDatanetOwners;
  r.toProtocol! -= toContributors + toDatanetOwners;
}

/** The rows of the bucket of one interval that the latest event fell in, by scope (a cache over the Table). */
class Slot {
  start = NaN;
  end = NaN;
  global: StatsBucket | null = null;
  readonly datanets = new Map<string, StatsBucket>();
  readonly models = new Map<string, StatsBucket>();
  readonly tokens = new Map<string, StatsBucket>();

  constructor(readonly interval: StatsIntervalName) {}

  /** Points the slot at the bucket holding `ts`. */
  move(ts: number): void {
    this.start = bucketStart(this.interval, ts);
    this.end = this.start + INTERVAL_MS[this.interval];
    this.forget();
  }

  /** Drops the cached rows (they stay in the Table). */
  forget(): void {
    this.global = null;
    this.datanets.clear();
    this.models.clear();
    this.tokens.clear();
  }
}

type ScopedMap = 'datanets' | 'models' | 'tokens';

/**
 * The stats buckets (UTC hour and day, per scope) a batch adds to, folded event by event and written
 * with the batch like any other kind (see BatchState). Per event the cost is a comparison of the block
 * time with the current hour and day, for a Datanet, model or token one Map lookup per interval, and a
 * few adds; a row is looked up in the Table (and its id built) once per bucket and commit.
 *
 * Rows are kept in memory until time has moved past their bucket (block timestamps only grow), so a
 * batch finds every row it adds to in memory, with one exception: when this state began, the database
 * may already hold rows of the buckets holding the last committed block (a restart, or a state rebuilt
 * after a rollback). A row created for such a bucket starts from zero and is marked pending; `resolve`
 * then adds what the database holds (one query by id) before the batch is written.
 */
export class StatsBuckets {
  readonly table = new Table(StatsBucket);
  private readonly hour = new Slot('HOUR');
  private readonly day = new Slot('DAY');
  private readonly slots: readonly Slot[] = [this.hour, this.day];
  /** Timestamp (ms) of the last block committed before this state began; -Infinity when none; undefined until known. */
  private committedUntil: number | undefined;
  private pending: StatsBucket[] = [];
  /** The latest block time folded (ms). */
  private latest = -Infinity;

  /** Sets, once per state, the timestamp of the last block committed before it began (null: nothing committed). */
  begin(lastCommitted: Date | null | undefined): void {
    if (this.committedUntil === undefined) this.committedUntil = lastCommitted ? lastCommitted.getTime() : -Infinity;
  }

  /** A contribution submitted to a Datanet. */
  contributionSubmitted(ts: number, datanetId: string): void {
    for (const slot of this.at(ts)) {
      this.global(slot).contributions!++;
      this.scoped(slot, 'datanets', 'DATANET', datanetId).contributions!++;
    }
  }

  /** A review of a contribution of a Datanet. */
  reviewed(ts: number, datanetId: string, accepted: boolean): void {
    for (const slot of this.at(ts)) {
      const g = this.global(slot);
      const d = this.scoped(slot, 'datanets', 'DATANET', datanetId);
      if (accepted) {
        g.reviewsAccepted!++;
        d.reviewsAccepted!++;
      } else {
        g.reviewsRejected!++;
        d.reviewsRejected!++;
      }
    }
  }

  /** An inference settled (for a known model or not): its fee, the model owner's M and what the protocol keeps so far. */
  inferenceSettled(ts: number, modelId: string | null, fee: bigint, toModelOwner: bigint, toProtocol: bigint): void {
    for (const slot of this.at(ts)) {
      settled(this.global(slot), fee, toModelOwner, toProtocol);
      if (modelId !== null) settled(this.scoped(slot, 'models', 'MODEL', modelId), fee, toModelOwner, toProtocol);
    }
  }

  /** An attribution's payments to contributors and Datanet owners (taken from what the protocol kept). */
  attributed(ts: number, modelId: string | null, toContributors: bigint, toDatanetOwners: bigint): void {
    for (const slot of this.at(ts)) {
      paid(this.global(slot), toContributors, toDatanetOwners);
      if (modelId !== null) paid(this.scoped(slot, 'models', 'MODEL', modelId), toContributors, toDatanetOwners);
    }
  }

  /** A payment to a contributor of a Datanet's contribution. */
  datanetContributorPaid(ts: number, datanetId: string, amount: bigint): void {
    for (const slot of this.at(ts)) this.scoped(slot, 'datanets', 'DATANET', datanetId).toContributors! += amount;
  }

  /** An inference with an eligible attribution to a Datanet's contributions, and what its owner was paid. */
  datanetAttributed(ts: number, datanetId: string, toOwner: bigint): void {
    for (const slot of this.at(ts)) {
      const d = this.scoped(slot, 'datanets', 'DATANET', datanetId);
      d.inferences!++;
      d.toDatanetOwners! += toOwner;
    }
  }

  /** A bridge transfer of a token (L2 address; zero address for native OPEN). */
  bridged(ts: number, direction: 'IN' | 'OUT', token: string, amount: bigint): void {
    for (const slot of this.at(ts)) {
      const g = this.global(slot);
      const t = this.scoped(slot, 'tokens', 'TOKEN', token);
      if (direction === 'IN') {
        g.bridgeDepositCount!++;
        t.bridgeDepositCount!++;
        t.bridgeDepositedAmount! += amount;
      } else {
        g.bridgeWithdrawalCount!++;
        t.bridgeWithdrawalCount!++;
        t.bridgeWithdrawnAmount! += amount;
      }
    }
  }

  /** Adds what the database holds to the rows created for buckets it may already have rows of; call after each fold. */
  async resolve(store: Store): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const stored = await store.find(StatsBucket, { where: { id: In(rows.map((r) => r.id)) } });
    for (const old of stored) {
      const row = this.table.adopt(old);
      if (row !== old) addInto(row, old);
    }
  }

  /** Forgets the rows of buckets that ended before the latest block time (no later batch adds to them). Between batches. */
  retain(): void {
    this.table.retain((r) => r.start.getTime() + INTERVAL_MS[r.interval as StatsIntervalName] > this.latest);
    for (const slot of this.slots) slot.forget();
  }

  /** Writes the changed rows (see Table.persist). */
  async persist(store: Store): Promise<number> {
    const n = await this.table.persist(store);
    this.written();
    return n;
  }

  /** Formats the changed rows (see Table.prepare). */
  async prepare(em: EntityManager, maybeYield: () => Promise<void> | undefined): Promise<PreparedWrite[]> {
    const writes = await this.table.prepare(em, maybeYield);
    this.written();
    return writes;
  }

  /** Rows written are no longer dirty: the slots look them up (and mark them) again on their next use. */
  private written(): void {
    for (const slot of this.slots) slot.forget();
  }

  private at(ts: number): readonly Slot[] {
    if (!(ts >= this.hour.start && ts < this.hour.end)) this.hour.move(ts);
    if (!(ts >= this.day.start && ts < this.day.end)) this.day.move(ts);
    if (ts > this.latest) this.latest = ts;
    return this.slots;
  }

  private global(slot: Slot): StatsBucket {
    return slot.global ?? (slot.global = this.row(slot, 'GLOBAL', ''));
  }

  private scoped(slot: Slot, map: ScopedMap, scope: StatsScopeName, key: string): StatsBucket {
    let row = slot[map].get(key);
    if (row === undefined) slot[map].set(key, (row = this.row(slot, scope, key)));
    return row;
  }

  /** The Table's row of this bucket and scope, marked changed; a new one when absent (pending when the database may hold it). */
  private row(slot: Slot, scope: StatsScopeName, key: string): StatsBucket {
    const id = statsBucketId(scope, key, slot.interval, slot.start);
    const have = this.table.get(id);
    if (have) return this.table.touch(have);
    if (this.committedUntil === undefined) throw new Error('StatsBuckets.begin() must be called before folding');
    const row = this.table.put(emptyStatsBucket(scope, key, slot.interval, slot.start));
    if (slot.start <= this.committedUntil) this.pending.push(row);
    return row;
  }
}
