module.exports = class Leaderboards1795338700000 {
  name = 'Leaderboards1795338700000'

  async up(db) {
    await db.query("DROP INDEX \"public\".\"IDX_a37c8e9d21ecaaa520ba2cffeb\"")
    await db.query("DROP INDEX \"public\".\"IDX_f9a26e7c236bbc763a9724d382\"")
    await db.query("DROP INDEX \"public\".\"IDX_2b99bcffc6abc7d657d0295053\"")
    await db.query("DROP INDEX \"public\".\"IDX_cb4f14ed35051dea4d9c4fd1c3\"")
    await db.query("DROP INDEX \"public\".\"IDX_c4938e5b5652973c7dd12b0265\"")
    await db.query("CREATE TABLE \"datanet_account\" (\"id\" character varying NOT NULL, \"account\" text NOT NULL, \"earned\" numeric NOT NULL, \"paid_attribution_count\" integer NOT NULL, \"datanet_id\" character varying, CONSTRAINT \"PK_297cc7e5ac5e7e655d2781f330d\" PRIMARY KEY (\"id\"))")
    await db.query("CREATE INDEX \"IDX_c88b6e299d1337ef57f28a4f7f\" ON \"datanet_account\" (\"datanet_id\", \"earned\", \"account\") ")
    await db.query("ALTER TABLE \"datanet\" ADD \"earned_total\" numeric NOT NULL DEFAULT 0")
    await db.query("ALTER TABLE \"datanet\" ALTER COLUMN \"earned_total\" DROP DEFAULT")
    await db.query("ALTER TABLE \"account_epoch\" ADD \"last_accrued_at_block\" integer")
    // Hand-written: derive the new columns and table of a database indexed before this migration (no-ops
    // on a fresh one), so resuming an index serves the same figures as re-indexing.
    await db.query("UPDATE \"datanet\" SET \"earned_total\" = \"owner_earned\" + \"contributors_earned\"")
    await db.query(`INSERT INTO "datanet_account" ("id", "datanet_id", "account", "earned", "paid_attribution_count")
      SELECT a."datanet_id"::text || '-' || a."contributor", a."datanet_id"::text, a."contributor", sum(a."amount"), count(*)
        FROM "attribution" a WHERE a."eligible" AND a."amount" > 0 AND a."contributor" IS NOT NULL
       GROUP BY a."datanet_id", a."contributor"`)
    await db.query(`UPDATE "account_epoch" ae SET "last_accrued_at_block" = p."last"
      FROM (SELECT "account", "epoch", max("block_number") AS "last" FROM (
              SELECT "contributor" AS "account", "epoch", "block_number" FROM "attribution" WHERE "eligible" AND "amount" > 0 AND "contributor" IS NOT NULL
              UNION ALL SELECT "account", "epoch", "block_number" FROM "payout" WHERE "amount" > 0) x
            GROUP BY "account", "epoch") p
      WHERE ae."account" = p."account" AND ae."epoch" = p."epoch"`)
    await db.query("CREATE INDEX \"IDX_5f068565a979bd63838f029515\" ON \"account\" (\"reputation_score\", \"id\") ")
    await db.query("CREATE INDEX \"IDX_411cef4318d890c0518ca76002\" ON \"account\" (\"earned_total\", \"id\") ")
    await db.query("CREATE INDEX \"IDX_4c7f51f08767490b864581ec9c\" ON \"model\" (\"total_fees\", \"model_id\") ")
    await db.query("CREATE INDEX \"IDX_cf398059c60ffc3229090e07e8\" ON \"model\" (\"inference_count\", \"model_id\") ")
    await db.query("CREATE INDEX \"IDX_226489e02a4aa09d3dfb3e81c3\" ON \"datanet\" (\"contribution_count\", \"datanet_id\") ")
    await db.query("CREATE INDEX \"IDX_197fb84ab695b7aad83bbfc991\" ON \"datanet\" (\"earned_total\", \"datanet_id\") ")
    await db.query("CREATE INDEX \"IDX_2755585e05ef01d9be70b85682\" ON \"attribution\" (\"contributor\", \"block_number\") ")
    await db.query("CREATE INDEX \"IDX_c7d71d54a700ace36a26e7debd\" ON \"payout\" (\"account\", \"block_number\") ")
    await db.query("CREATE INDEX \"IDX_41a0a32bb6e572fb42c5478d02\" ON \"account_epoch\" (\"epoch\", \"total\", \"account\") ")
  }

  async down(db) {
    await db.query("DROP INDEX \"public\".\"IDX_41a0a32bb6e572fb42c5478d02\"")
    await db.query("DROP INDEX \"public\".\"IDX_c7d71d54a700ace36a26e7debd\"")
    await db.query("DROP INDEX \"public\".\"IDX_2755585e05ef01d9be70b85682\"")
    await db.query("DROP INDEX \"public\".\"IDX_197fb84ab695b7aad83bbfc991\"")
    await db.query("DROP INDEX \"public\".\"IDX_226489e02a4aa09d3dfb3e81c3\"")
    await db.query("DROP INDEX \"public\".\"IDX_cf398059c60ffc3229090e07e8\"")
    await db.query("DROP INDEX \"public\".\"IDX_4c7f51f08767490b864581ec9c\"")
    await db.query("DROP INDEX \"public\".\"IDX_411cef4318d890c0518ca76002\"")
    await db.query("DROP INDEX \"public\".\"IDX_5f068565a979bd63838f029515\"")
    await db.query("ALTER TABLE \"account_epoch\" DROP COLUMN \"last_accrued_at_block\"")
    await db.query("ALTER TABLE \"datanet\" DROP COLUMN \"earned_total\"")
    await db.query("DROP INDEX \"public\".\"IDX_c88b6e299d1337ef57f28a4f7f\"")
    await db.query("DROP TABLE \"datanet_account\"")
    await db.query("CREATE INDEX \"IDX_c4938e5b5652973c7dd12b0265\" ON \"account_epoch\" (\"epoch\", \"total\") ")
    await db.query("CREATE INDEX \"IDX_cb4f14ed35051dea4d9c4fd1c3\" ON \"payout\" (\"account\") ")
    await db.query("CREATE INDEX \"IDX_2b99bcffc6abc7d657d0295053\" ON \"attribution\" (\"contributor\") ")
    await db.query("CREATE INDEX \"IDX_f9a26e7c236bbc763a9724d382\" ON \"account\" (\"reputation_score\") ")
    await db.query("CREATE INDEX \"IDX_a37c8e9d21ecaaa520ba2cffeb\" ON \"account\" (\"earned_total\") ")
  }
}
