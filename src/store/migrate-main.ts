/** `npm run migrate`: applies pending migrations to DB_URL (or the embedded database). */
import { resolveDatabase } from '../db/resolve';
import { runMigrations } from './dataSource';

async function main(): Promise<void> {
  const db = await resolveDatabase();
  try {
    const applied = await runMigrations(db.url);
    process.stdout.write(
      applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'database is up to date\n',
    );
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`migration failed: ${err?.message ?? err}\n`);
  process.exit(1);
});
