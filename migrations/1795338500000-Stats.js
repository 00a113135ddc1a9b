module.exports = class Stats1795338500000 {
  name = 'Stats1795338500000'

  // A database indexed before this migration has no stats buckets and zero review and bridge counts:
  // re-index it (npm run db:reset) for them to be right. The defaults only let the columns be added.
  async up(db) {
    await db.query("CREATE TABLE \"stats_bucket\" (\"id\" character varying NOT NULL, \"interval\" character varying(4) NOT NULL, \"scope\" character varying(7) NOT NULL, \"scope_key\" text NOT NULL, \"start\" TIMESTAMP WITH TIME ZONE NOT NULL, \"inferences\" integer, \"fees\" numeric, \"to_contributors\" numeric, \"to_datanet_owners\" numeric, \"to_model_owners\" numeric, \"to_protocol\" numeric, \"contributions\" integer, \"reviews_accepted\" integer, \"reviews_rejected\" integer, \"bridge_deposit_count\" integer, \"bridge_withdrawal_count\" integer, \"bridge_deposited_amount\" numeric, \"bridge_withdrawn_amount\" numeric, CONSTRAINT \"PK_8e8f1b7dd00bb5f843d08639f7b\" PRIMARY KEY (\"id\"))")
    await db.query("CREATE INDEX \"IDX_85427bd293f8c68500537dbe71\" ON \"stats_bucket\" (\"scope\", \"scope_key\", \"interval\", \"start\") ")
    await db.query("CREATE TABLE \"bridge_token_total\" (\"id\" character varying NOT NULL, \"deposit_count\" integer NOT NULL, \"deposited_amount\" numeric NOT NULL, \"withdrawal_count\" integer NOT NULL, \"withdrawn_amount\" numeric NOT NULL, CONSTRAINT \"PK_f1e93a1d50dc6b63fad16e91cad\" PRIMARY KEY (\"id\"))")
    await db.query("ALTER TABLE \"protocol_state\" ADD \"review_accepted_count\" integer NOT NULL DEFAULT 0")
    await db.query("ALTER TABLE \"protocol_state\" ALTER COLUMN \"review_accepted_count\" DROP DEFAULT")
    await db.query("ALTER TABLE \"protocol_state\" ADD \"review_rejected_count\" integer NOT NULL DEFAULT 0")
    await db.query("ALTER TABLE \"protocol_state\" ALTER COLUMN \"review_rejected_count\" DROP DEFAULT")
    await db.query("ALTER TABLE \"protocol_state\" ADD \"bridge_deposit_count\" integer NOT NULL DEFAULT 0")
    await db.query("ALTER TABLE \"protocol_state\" ALTER COLUMN \"bridge_deposit_count\" DROP DEFAULT")
    await db.query("ALTER TABLE \"protocol_state\" ADD \"bridge_withdrawal_count\" integer NOT NULL DEFAULT 0")
    await db.query("ALTER TABLE \"protocol_state\" ALTER COLUMN \"bridge_withdrawal_count\" DROP DEFAULT")
  }

  async down(db) {
    await db.query("ALTER TABLE \"protocol_state\" DROP COLUMN \"bridge_withdrawal_count\"")
    await db.query("ALTER TABLE \"protocol_state\" DROP COLUMN \"bridge_deposit_count\"")
    await db.query("ALTER TABLE \"protocol_state\" DROP COLUMN \"review_rejected_count\"")
    await db.query("ALTER TABLE \"protocol_state\" DROP COLUMN \"review_accepted_count\"")
    await db.query("DROP TABLE \"bridge_token_total\"")
    await db.query("DROP INDEX \"public\".\"IDX_85427bd293f8c68500537dbe71\"")
    await db.query("DROP TABLE \"stats_bucket\"")
  }
}
