import type { Store } from '@subsquid/typeorm-store';
import { In, type FindOptionsRelations } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { InsertFormatter, bulkWrite, existingIds, prepareWrite, tableIsEmpty, type PreparedWrite } from './bulk';

type Entity = { id: string };

/** The property holding a row's dirty mark (see Table.mark). */
const DIRTY = Symbol('dirty');
type Marked = { [DIRTY]?: number };
let rounds = 0;
/** A marking round number no Table has used yet. */
const nextRound = () => ++rounds;
type EntityClass<E> = { new (props?: Partial<E>): E; name: string };

/** Largest id list sent in one `IN (...)` (Postgres allows 65,535 parameters per statement). */
const LOAD_CHUNK = 10_000;

/**
 * The batch's working copy of one entity kind: loaded once per batch (by id, in chunks), mutated in
 * memory, and written once (only the rows marked dirty).
 *
 * The table also knows which ids exist in the database: rows it loaded (`load`, `adopt`) and rows an
 * earlier `persist` of this instance wrote (BatchState keeps Tables across committed batches). A dirty
 * row with any other id is new and is inserted (COPY straight into the table, no conflict handling);
 * known ids are upserted. This relies on the batch code's rule of reading before writing: a row is
 * only created with `put` after `get` found no row with its id, and `get` sees every row of the
 * database the batch may touch because the prefetch loaded them. `put` may also replace a row that
 * exists (a validator, the status row): those ids were loaded first, so they are known and upserted.
 * Should a row be created without having been loaded although it exists, the insert fails with a
 * duplicate key (the batch aborts) instead of silently overwriting the stored row.
 */
export class Table<E extends Entity> {
  readonly map = new Map<string, E>();
  /** Rows marked changed since the last write, in marking order (see `mark`). */
  private dirty: E[] = [];
  /** The current marking round: a row is dirty when its DIRTY mark equals it (see `mark`). */
  private round = nextRound();
  /** Ids written by the latest persist or prepare. */
  private lastWritten = new Set<string>();
  /** Ids known to exist in the database (loaded, adopted, or written by an earlier persist). */
  private readonly known = new Set<string>();
  /**
   * True while every row of the table in the database is held here: the table was empty when this
   * instance first looked (a backfill from an empty database) and no row has been dropped since
   * (`retain` dropping one or `clear` reset it). Then an id not held does not exist and `load` asks
   * the database nothing. Undefined until the first load that misses.
   */
  private complete: boolean | undefined = undefined;

  constructor(
    readonly cls: EntityClass<E>,
    private readonly relations?: FindOptionsRelations<E>,
  ) {}

  /** Loads the given ids that are not in memory yet; returns the rows loaded. */
  async load(store: Store, ids: Iterable<string>): Promise<E[]> {
    if (this.complete) return [];
    const missing = [...new Set(ids)].filter((id) => !this.map.has(id));
    const loaded: E[] = [];
    if (missing.length === 0) return loaded;
    this.complete ??= await tableIsEmpty(store, this.cls);
    if (this.complete) return loaded;
    for (let i = 0; i < missing.length; i += LOAD_CHUNK) {
      const chunk = await existingIds(store, this.cls, missing.slice(i, i + LOAD_CHUNK));
      if (chunk.length === 0) continue;
      const rows = await store.find(this.cls, {
        where: { id: In(chunk) } as never,
        relations: this.relations,
      });
      for (const row of rows) {
        this.map.set(row.id, row);
        this.known.add(row.id);
        loaded.push(row);
      }
    }
    return loaded;
  }

  /**
   * Whether every row of the table in the database is held here (see `complete`): then `load` has
   * nothing to do, and callers may skip collecting the ids they would pass it.
   */
  holdsAll(): boolean {
    return this.complete === true;
  }

  /** Returns the in-memory row with this id, if loaded or created in this batch. */
  get(id: string): E | undefined {
    return this.map.get(id);
  }

  /** Adopts a row loaded through a relation join unless the batch already holds that id; returns the batch's copy. */
  adopt(row: E): E {
    // The row came from the database: its id exists there, whichever copy the batch keeps.
    this.known.add(row.id);
    const have = this.map.get(row.id);
    if (have) return have;
    this.map.set(row.id, row);
    return row;
  }

  /** Adds (or replaces) a row and marks it to be written. */
  put(row: E): E {
    const replaced = this.map.get(row.id);
    if (replaced !== undefined && replaced !== row) (replaced as Marked)[DIRTY] = 0;
    this.map.set(row.id, row);
    return this.mark(row);
  }

  /** Marks a row as changed. */
  touch(row: E): E {
    return this.mark(row);
  }

  /**
   * Rows to write, in the order they were first marked. A row `put` replaced is not written (its
   * replacement is). A changed row that is not the one held under its id is a bug of the caller (it
   * changed a copy the table does not hold, so the change would be lost): it throws.
   */
  changed(): E[] {
    const out: E[] = [];
    for (const row of this.dirty) {
      if ((row as Marked)[DIRTY] !== this.round) continue;
      if (this.map.get(row.id) !== row) {
        throw new Error(
          `${this.cls.name} ${row.id} was changed, but the table holds another row (or none) with its id`,
        );
      }
      out.push(row);
    }
    return out;
  }

  /**
   * Marks on the row itself instead of adding its id to a set: touching is the fold's most frequent
   * operation, and a store into an object it is already using costs far less than hashing into a set
   * as large as the rows changed since the last commit. The mark is non-enumerable, so copies of a
   * row (spread, Object.assign) do not inherit it.
   */
  private mark(row: E): E {
    const r = row as Marked;
    if (r[DIRTY] === this.round) return row;
    if (r[DIRTY] === undefined)
      Object.defineProperty(r, DIRTY, { value: this.round, writable: true, enumerable: false });
    else r[DIRTY] = this.round;
    this.dirty.push(row);
    return row;
  }

  /** Nothing is dirty any more (a new marking round). */
  private clean(): void {
    this.dirty = [];
    this.round = nextRound();
  }

  /** Whether this id is known to exist in the database. */
  isKnown(id: string): boolean {
    return this.known.has(id);
  }

  /** Keeps only the held rows `keep` accepts; the others are forgotten (held and known). Call between batches. */
  retain(keep: (row: E) => boolean): void {
    for (const [id, row] of this.map) {
      // Rows the last persist wrote stay: that write may still be in flight (pipelined commits), so
      // the database cannot be asked for them yet.
      if (keep(row) || this.lastWritten.has(id)) continue;
      this.map.delete(id);
      this.known.delete(id);
      this.complete = false;
    }
    this.clean();
  }

  /** Forgets every row (held, dirty and known), e.g. to drop a kind not kept across batches. */
  clear(): void {
    this.complete = false;
    this.map.clear();
    this.clean();
    this.known.clear();
    this.lastWritten.clear();
  }

  /**
   * Writes the changed rows: new ones inserted, known ones upserted (see the class comment), and
   * clears the dirty set.
   */
  async persist(store: Store): Promise<number> {
    const { fresh, existing } = this.split();
    await bulkWrite(store, fresh, 'insert');
    await bulkWrite(store, existing, 'upsert');
    this.written(fresh, existing);
    return fresh.length + existing.length;
  }

  /** Like persist, but only formats the writes (see PreparedWrite); the caller executes them. */
  async prepare(em: EntityManager, maybeYield: () => Promise<void> | undefined): Promise<PreparedWrite[]> {
    const { fresh, existing } = this.split();
    const writes: PreparedWrite[] = [];
    if (fresh.length) writes.push(await prepareWrite(em, fresh, 'insert', maybeYield));
    if (existing.length) writes.push(await prepareWrite(em, existing, 'upsert', maybeYield));
    this.written(fresh, existing);
    return writes;
  }

  private split(): { fresh: E[]; existing: E[] } {
    const fresh: E[] = [];
    const existing: E[] = [];
    for (const row of this.changed()) (this.known.has(row.id) ? existing : fresh).push(row);
    return { fresh, existing };
  }

  private written(fresh: E[], existing: E[]): void {
    this.lastWritten = new Set();
    for (const row of fresh) {
      this.known.add(row.id);
      this.lastWritten.add(row.id);
    }
    for (const row of existing) this.lastWritten.add(row.id);
    this.clean();
  }
}

/**
 * Rows that are only ever created (events): collected and inserted once. While `formatWith` has given
 * an EntityManager (pipelined batches), each row is formatted as COPY text when added and then let go:
 * a held batch keeps bytes, not objects the garbage collector must trace until the commit. Without one
 * (hot blocks, tests) rows are kept for `persist`, which the store's change tracking needs.
 */
export class AppendOnly<E extends Entity> {
  readonly rows: E[] = [];
  private formatter: InsertFormatter | null = null;
  private em: EntityManager | null = null;

  /** Formats rows as they are added (`em`) or keeps them (`null`). Call between batches only. */
  formatWith(em: EntityManager | null): void {
    if (!em && this.formatter?.rows) throw new Error('formatted rows are waiting for prepare()');
    this.em = em;
    if (!em) this.formatter = null;
  }

  /** Queues a new row. */
  add(row: E): E {
    if (this.em) {
      this.formatter ??= new InsertFormatter(this.em, (row as object).constructor as new () => unknown);
      this.formatter.add(row);
    } else {
      this.rows.push(row);
    }
    return row;
  }

  /** Rows queued (kept or formatted). */
  get size(): number {
    return this.rows.length + (this.formatter?.rows ?? 0);
  }

  /** Inserts the queued rows. */
  async persist(store: Store): Promise<number> {
    if (this.formatter?.rows) throw new Error('formatted rows can only be written through prepare()');
    const n = this.rows.length;
    await bulkWrite(store, this.rows, 'insert');
    this.rows.length = 0;
    return n;
  }

  /** Like persist, but only formats the insert (see PreparedWrite); the caller executes it. */
  async prepare(em: EntityManager, maybeYield: () => Promise<void> | undefined): Promise<PreparedWrite[]> {
    const writes: PreparedWrite[] = [];
    if (this.formatter?.rows) writes.push(this.formatter.finish());
    this.formatter = null;
    if (this.rows.length) writes.push(await prepareWrite(em, this.rows, 'insert', maybeYield));
    this.rows.length = 0;
    return writes;
  }
}
