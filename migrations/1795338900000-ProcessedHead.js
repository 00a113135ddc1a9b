// `processed_head()`: the last block the processor committed, from its own state schema (the highest
// hot block, else the finalized head of `status`; see src/api/processedHead.ts), for readers that may
// not read that schema (the API's role `api`). SECURITY DEFINER, owned by the migrating user, exposing
// only (height, hash); NULLs before the processor created its state. The tables are looked up at call
// time, so the function keeps working when the processor (re)creates its schema after this migration.

module.exports = class ProcessedHead1795338900000 {
  name = 'ProcessedHead1795338900000';

  async up(db) {
    await db.query(`
      CREATE OR REPLACE FUNCTION public.processed_head(OUT height integer, OUT hash text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        IF to_regclass('squid_processor.hot_block') IS NOT NULL THEN
          EXECUTE 'SELECT height, hash FROM squid_processor.hot_block ORDER BY height DESC LIMIT 1' INTO height, hash;
          IF height IS NOT NULL THEN RETURN; END IF;
        END IF;
        IF to_regclass('squid_processor.status') IS NOT NULL THEN
          EXECUTE 'SELECT height, hash FROM squid_processor.status WHERE id = 0 AND height >= 0' INTO height, hash;
        END IF;
      END $$`);
    await db.query('REVOKE ALL ON FUNCTION public.processed_head() FROM PUBLIC');
    const [role] = await db.query(`SELECT 1 FROM pg_roles WHERE rolname = 'api'`);
    if (role) await db.query('GRANT EXECUTE ON FUNCTION public.processed_head() TO api');
  }

  async down(db) {
    await db.query('DROP FUNCTION IF EXISTS public.processed_head()');
  }
};
