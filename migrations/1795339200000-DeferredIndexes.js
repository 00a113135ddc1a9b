// `deferred_index`: definitions of the secondary indexes a backfill from an empty database dropped and
// builds again before it reaches the chain head (see src/store/deferredIndexes.ts). Empty except
// during such a backfill.

module.exports = class DeferredIndexes1795339200000 {
  name = 'DeferredIndexes1795339200000';

  async up(db) {
    await db.query(`
      CREATE TABLE IF NOT EXISTS public.deferred_index (
        name text PRIMARY KEY,
        table_name text NOT NULL,
        definition text NOT NULL
      )`);
  }

  async down(db) {
    const rows = await db.query('SELECT definition FROM public.deferred_index');
    for (const { definition } of rows) await db.query(definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    await db.query('DROP TABLE IF EXISTS public.deferred_index');
  }
};
