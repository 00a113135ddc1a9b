/**
 * Developer tool: diffs the generated entities against a scratch embedded database with all
 * current migrations applied, and writes the difference as a new file in `migrations/`.
 * Usage: npm run migration:generate -- Name
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded';
import { MIGRATIONS_DIR, createDataSource, runMigrations } from './dataSource';

async function main(): Promise<void> {
  const name = (process.argv[2] ?? 'Data').replace(/[^A-Za-z0-9]/g, '');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-migrate-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the 'postgres' user
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
  try {
    await runMigrations(pg.url);
    const ds = createDataSource(pg.url);
    await ds.initialize();
    const sql = await ds.driver.createSchemaBuilder().log();
    await ds.destroy();
    // No foreign-key constraints: relations stay indexed columns. Every row is written by one
    // processor in chain order, odd chain data is kept as anomalies instead of dangling references,
    // and the per-row constraint checks cost a large share of write throughput.
    const isFk = (q: string) => /FOREIGN KEY|DROP CONSTRAINT "FK_/.test(q);
    sql.upQueries = sql.upQueries.filter((x) => !isFk(x.query));
    sql.downQueries = sql.downQueries.filter((x) => !isFk(x.query));
    if (sql.upQueries.length === 0) {
      process.stdout.write('entities and migrations agree: nothing to generate\n');
      return;
    }
    const ts = Date.now();
    const q = (s: string) => JSON.stringify(s);
    const up = sql.upQueries.map((x) => `    await db.query(${q(x.query)})`).join('\n');
    const down = sql.downQueries
      .reverse()
      .map((x) => `    await db.query(${q(x.query)})`)
      .join('\n');
    const file = path.join(MIGRATIONS_DIR, `${ts}-${name}.js`);
    fs.mkdirSync(MIGRATIONS_DIR, { recursive: true });
    fs.writeFileSync(
      file,
      `module.exports = class ${name}${ts} {\n  name = '${name}${ts}'\n\n  async up(db) {\n${up}\n  }\n\n  async down(db) {\n${down}\n  }\n}\n`,
    );
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
