/** `npm run migrate`: applies pending migrations to DB_URL (or the embedded database); logs JSON lines. */
import { resolveDatabase } from '../db/resolve';
import { createJsonLogger, readLogLevel } from '../util/log';
import { runMigrations } from './dataSource';

let log = createJsonLogger();

async function main(): Promise<void> {
  log = createJsonLogger({ level: readLogLevel() });
  const db = await resolveDatabase();
  try {
    const started = Date.now();
    const applied = await runMigrations(db.url);
    log('info', {
      msg: applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date',
      applied,
      duration_ms: Date.now() - started,
    });
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  log('fatal', { msg: 'migration failed', err });
  process.exit(1);
});
