/**
 * Developer tool: rewrites the reference part of docs/analytics.md (after its marker) from a scratch
 * database with every migration applied, so the documented columns are the database's own.
 * Usage: npm run build && node lib/sql/analyticsDoc.js
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../db/embedded';
import { PROJECT_ROOT, runMigrations } from '../store/dataSource';
import { DOC_MARKER, loadAnalyticsCatalog, renderAnalyticsReference } from './catalog';

/** docs/analytics.md. */
const ANALYTICS_DOC = path.join(PROJECT_ROOT, 'docs', 'analytics.md');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-analytics-doc-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the 'postgres' user
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
  try {
    await runMigrations(pg.url);
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    let reference: string;
    try {
      reference = renderAnalyticsReference(await loadAnalyticsCatalog(async (sql) => (await client.query(sql)).rows));
    } finally {
      await client.end();
    }
    const doc = fs.readFileSync(ANALYTICS_DOC, 'utf8');
    const at = doc.indexOf(DOC_MARKER);
    if (at < 0) throw new Error(`${ANALYTICS_DOC} has no marker line "${DOC_MARKER}"`);
    fs.writeFileSync(ANALYTICS_DOC, doc.slice(0, at) + reference);
    process.stdout.write(`wrote the reference of ${path.relative(process.cwd(), ANALYTICS_DOC)}\n`);
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
