/**
 * The analytics contract itself: every view and column documented (COMMENT and docs/analytics.md,
 * which must equal the database), and every column following the conventions the docs promise.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { documentedReference, loadAnalyticsCatalog, renderAnalyticsReference, type CatalogView } from './catalog';
import { resolveAnalystDatabaseLogin } from './login';
import { openSqlSession } from './session';

const DOC = path.resolve(__dirname, '../../docs/analytics.md');

let db: TestDatabase;
let views: CatalogView[];
before(async () => {
  db = await setupTestDatabase();
  views = await loadAnalyticsCatalog((sql) => db.query(sql));
});
after(async () => {
  await db?.stop();
});

/** Every (view, column) pair, for checks over all columns. */
const columns = () => views.flatMap((v) => v.columns.map((c) => ({ view: v.name, ...c })));

describe('the analytics schema', () => {
  test('holds the documented views: contributions to daily stats, and what an analyst needs beside them', () => {
    const names = views.map((v) => v.name);
    for (const required of [
      'contributions',
      'reviews',
      'inferences',
      'attributions',
      'payouts',
      'accruals',
      'accruals_by_role',
      'epochs',
      'claims',
      'reputation',
      'reputation_history',
      'bridge_transfers',
      'daily_stats',
      'datanets',
      'models',
      'accounts',
    ]) {
      assert.ok(names.includes(required), `analytics.${required}`);
    }
  });

  test('the schema, every view and every column carry a comment', async () => {
    const [schema] = await db.query<{ comment: string | null }>(
      "SELECT obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = 'analytics'",
    );
    assert.match(schema.comment ?? '', /Version 1/);
    assert.deepEqual(
      views.filter((v) => !v.comment?.trim()).map((v) => v.name),
      [],
    );
    assert.deepEqual(
      columns()
        .filter((c) => !c.comment?.trim())
        .map((c) => `${c.view}.${c.name}`),
      [],
    );
  });

  test('docs/analytics.md lists exactly these views and columns, with their types and comments', () => {
    const documented = documentedReference(fs.readFileSync(DOC, 'utf8'));
    assert.ok(documented, 'docs/analytics.md has the generated reference');
    // On a difference: npm run build && node lib/sql/analyticsDoc.js, and review the diff.
    assert.equal(documented, renderAnalyticsReference(views));
  });

  test('types follow the conventions: wei amounts numeric, ids numeric, addresses text, times timestamptz, no varchar', () => {
    const broken: string[] = [];
    const expect = (c: ReturnType<typeof columns>[number], type: string, why: string) => {
      if (c.type !== type) broken.push(`${c.view}.${c.name} is ${c.type}, not ${type} (${why})`);
    };
    const allowed = new Set(['boolean', 'date', 'integer', 'numeric', 'numeric[]', 'text', 'timestamp with time zone']);
    for (const c of columns()) {
      if (!allowed.has(c.type)) broken.push(`${c.view}.${c.name} has type ${c.type}`);
      if (/\(wei|base unit/.test(c.comment ?? '')) expect(c, 'numeric', 'an amount');
      if (c.name === 'block_number' || c.name.endsWith('_block')) expect(c, 'integer', 'a block number');
      if (['block_time', 'created_at', 'day_start', 'hour_start'].includes(c.name))
        expect(c, 'timestamp with time zone', 'a time');
      if (c.name.endsWith('_id')) {
        expect(c, ['inference_id', 'transfer_id', 'transaction_id'].includes(c.name) ? 'text' : 'numeric', 'an id');
      }
      if (c.name === 'epoch') expect(c, 'numeric', 'an epoch number');
      // Counts are integers; the all-time event count may outgrow one and is numeric (a BigInt).
      if (c.name.endsWith('_count')) expect(c, c.name === 'event_count' ? 'numeric' : 'integer', 'a count');
      if (
        /^(address|owner|account|contributor|validator|payer|buyer|model_owner|last_reviewer|from_address|to_address|l2_account|token|l1_token|contract)$/.test(
          c.name,
        )
      ) {
        expect(c, 'text', 'an address');
      }
      if (/(^|_)hash$|_root$/.test(c.name)) expect(c, 'text', 'a hash');
      if (
        ['status', 'role', 'direction', 'asset', 'scope', 'kind', 'outcome', 'status_at_attribution'].includes(c.name)
      ) {
        expect(c, 'text', 'an enum value');
      }
    }
    assert.deepEqual(broken, []);
  });

  test('the analyst can read every view (functions behind them included), even on an empty index', async () => {
    const session = await openSqlSession({ url: await resolveAnalystDatabaseLogin({ url: db.url, env: {} }) });
    try {
      for (const v of views) {
        const outcome = await session.run(`SELECT * FROM analytics.${v.name} LIMIT 1`);
        assert.equal(outcome.error, undefined, `analytics.${v.name}: ${outcome.error}`);
      }
    } finally {
      await session.close();
    }
  });
});
