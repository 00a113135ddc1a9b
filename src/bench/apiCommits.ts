/**
 * Commits of the chain head for the API benchmark, as a processor at the head makes them: every
 * `seconds`, one transaction adds the next block to the processor's state (a hot block above the
 * indexed head), marks the accounts that block changed (their `last_activity_block`) and sends the
 * batch notification. The cached server then drops what the commit may have changed and keeps the
 * contributor pages of the other accounts, as it would at a live head.
 *
 * The data stays the indexed data: no amount changes, only `last_activity_block` of the touched
 * accounts and the hot blocks; both are put back when the benchmark ends, and the originals are
 * written to `recoveryFile` first, so that a run that died is put right by the next one.
 */
import fs from 'node:fs';
import type { Client } from 'pg';
import { loadProcessedHead } from '../api/processedHead';
import { createPrng } from '../devnet/scenario/prng';
import { notifyCommitted } from '../store/notify';

/**
 * Accounts one simulated block changes. Measured on the `small` devnet with its live traffic (3 steps
 * a second, `.bench`-style count of accounts whose row changed per 2 s over 60 s): median 16, mean
 * 17, largest 39 of 69 accounts. The benchmark uses the largest.
 */
export const DEFAULT_TOUCHED_PER_COMMIT = 40;

/** What a run changed, to put back: the head it started from and the touched accounts' originals. */
interface Recovery {
  baseHeight: number;
  lastActivity: Record<string, number>;
}

/** Puts back what an earlier run left in the database (hot blocks above its base, touched accounts). */
export async function restoreSimulatedCommits(db: Client, recoveryFile: string): Promise<boolean> {
  if (!fs.existsSync(recoveryFile)) return false;
  const r = JSON.parse(fs.readFileSync(recoveryFile, 'utf8')) as Recovery;
  await db.query('BEGIN');
  try {
    await db.query('DELETE FROM squid_processor.hot_block WHERE height > $1', [r.baseHeight]);
    await db.query(
      `UPDATE account a SET last_activity_block = o.b FROM unnest($1::text[], $2::int[]) AS o(id, b) WHERE a.id = o.id`,
      [Object.keys(r.lastActivity), Object.values(r.lastActivity)],
    );
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
  fs.rmSync(recoveryFile);
  return true;
}

/** Parameters of {@link simulateCommits}. */
export interface SimulateCommitsParameters {
  /** The owner's connection (writes). */
  db: Client;
  seconds: number;
  /** Accounts each block changes, drawn from `accounts` (seeded, without repeats within a block). */
  touched: number;
  accounts: readonly string[];
  recoveryFile: string;
  seed?: number;
}

/** A running simulation: `stop` ends it and puts the database back. */
export interface SimulatedCommits {
  commits(): number;
  stop(): Promise<void>;
}

/** Starts committing a block every `seconds` (0: never; `stop` still works). */
export async function simulateCommits(p: SimulateCommitsParameters): Promise<SimulatedCommits> {
  if (p.seconds <= 0) return { commits: () => 0, stop: async () => {} };
  const base = await loadProcessedHead(async (sql) => (await p.db.query(sql)).rows);
  if (!base) throw new Error('the benchmark database has no processed head to commit on');
  const recovery: Recovery = { baseHeight: base.height, lastActivity: {} };
  let height = base.height;
  const prng = createPrng(p.seed ?? 1);
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const commitOne = async () => {
    const block = height + 1;
    const ids = prng.sample(p.accounts, Math.min(p.touched, p.accounts.length));
    const fresh = ids.filter((id) => !(id in recovery.lastActivity));
    if (fresh.length > 0) {
      const rows = await p.db.query<{ id: string; b: number }>(
        'SELECT id, last_activity_block AS b FROM account WHERE id = ANY($1::text[])',
        [fresh],
      );
      for (const r of rows.rows) recovery.lastActivity[r.id] = r.b;
    }
    fs.writeFileSync(p.recoveryFile, JSON.stringify(recovery));
    const hash = `0x${block.toString(16).padStart(64, 'b')}`;
    await p.db.query('BEGIN');
    try {
      await p.db.query('INSERT INTO squid_processor.hot_block (height, hash) VALUES ($1, $2)', [block, hash]);
      await p.db.query('UPDATE account SET last_activity_block = $2 WHERE id = ANY($1::text[])', [ids, block]);
      await notifyCommitted(p.db, { from: block, to: block, hash });
      await p.db.query('COMMIT');
      height = block;
    } catch (err) {
      await p.db.query('ROLLBACK');
      throw err;
    }
  };
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? undefined : commitOne())).catch(() => {});
  }, p.seconds * 1000);
  return {
    commits: () => height - base.height,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await restoreSimulatedCommits(p.db, p.recoveryFile);
    },
  };
}
