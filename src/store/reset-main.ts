/**
 * `npm run db:reset`: drops the indexed data and the processor's state from DB_URL (or the embedded
 * database), then applies the migrations: the next processor start re-indexes from the start block.
 * The recovery for a reorg deeper than the finality confirmation, or for a database of another chain.
 */
import { resolveDatabase } from '../db/resolve';
import { wipeIndexedData } from '../start/wipe';
import { runMigrations } from './dataSource';

async function main(): Promise<void> {
  const db = await resolveDatabase();
  try {
    await wipeIndexedData(db.url);
    const applied = await runMigrations(db.url);
    process.stdout.write(
      `indexed data dropped; ${applied.length} migration(s) applied: the next start re-indexes from the start block\n`,
    );
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`reset failed: ${err?.message ?? err}\n`);
  process.exit(1);
});
