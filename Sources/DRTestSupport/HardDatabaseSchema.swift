extension HardDatabaseScript {
  /// Schemas, types, tables, partitions, indexes and sequences.
  var schema: String {
    """
    CREATE SCHEMA "Sales Q1";
    CREATE SCHEMA "日本";
    CREATE SCHEMA "Owned Ω" AUTHORIZATION \(owner);
    CREATE SCHEMA "Empty";

    CREATE TYPE "Sales Q1"."Order Status" AS ENUM ('new', 'paid', 'shipped');
    CREATE TYPE "日本"."色" AS ENUM ('赤', '緑', '青');
    CREATE TYPE "Sales Q1".address AS (street text, "ZIP" text);
    CREATE DOMAIN "Sales Q1".positive_money AS numeric(20, 4) NOT NULL CHECK (VALUE > 0);
    CREATE DOMAIN "Sales Q1"."Email" AS text COLLATE "C" DEFAULT 'nobody@example.com'
      CONSTRAINT "Email has @" CHECK (VALUE ~ '^[^@]+@[^@]+$');

    CREATE TABLE "Sales Q1"."Customers" (
      id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000 INCREMENT BY 7) PRIMARY KEY,
      "Name" text NOT NULL CHECK ("Name" <> ''),
      email "Sales Q1"."Email" UNIQUE,
      referrer_id bigint REFERENCES "Sales Q1"."Customers" (id) ON DELETE SET NULL,
      tags text[],
      "Status History" "Sales Q1"."Order Status"[],
      home "Sales Q1".address,
      obsolete int,
      created timestamptz NOT NULL DEFAULT now(),
      note text COLLATE "C"
    ) WITH (fillfactor = 70);
    ALTER TABLE "Sales Q1"."Customers" DROP COLUMN obsolete;
    ALTER TABLE "Sales Q1"."Customers" REPLICA IDENTITY FULL;
    ALTER TABLE "Sales Q1"."Customers" ALTER COLUMN "Name" SET STATISTICS 500;

    CREATE TABLE "Sales Q1"."Ördér Lines" (
      "Order ID" bigint NOT NULL,
      "Line #" int NOT NULL,
      customer_id bigint NOT NULL REFERENCES "Sales Q1"."Customers" (id) DEFERRABLE INITIALLY DEFERRED,
      amount "Sales Q1".positive_money,
      quantity numeric(40, 20),
      exact numeric,
      ratio double precision,
      matrix int[][],
      payload jsonb,
      blob bytea,
      during tsrange,
      total numeric GENERATED ALWAYS AS (amount * 2) STORED,
      PRIMARY KEY ("Order ID", "Line #")
    );
    CREATE INDEX "Ördér Lines by payload" ON "Sales Q1"."Ördér Lines" USING gin (payload jsonb_path_ops);
    CREATE INDEX "big orders" ON "Sales Q1"."Ördér Lines" (amount DESC NULLS LAST) INCLUDE (quantity)
      WHERE amount > 1000;
    CREATE UNIQUE INDEX "one email per customer, nulls equal" ON "Sales Q1"."Customers" (lower(email), note)
      NULLS NOT DISTINCT WHERE email IS NOT NULL;
    CREATE INDEX "customers by name" ON "Sales Q1"."Customers" ("Name" text_pattern_ops);
    ALTER TABLE "Sales Q1"."Customers" CLUSTER ON "customers by name";
    CREATE STATISTICS "Sales Q1"."lines stats" (dependencies)
      ON customer_id, amount FROM "Sales Q1"."Ördér Lines";

    CREATE TABLE "Sales Q1"."Measurements" (
      id bigserial,
      taken timestamptz NOT NULL,
      value double precision,
      PRIMARY KEY (id, taken)
    ) PARTITION BY RANGE (taken);
    CREATE TABLE "Sales Q1"."Measurements 2024" PARTITION OF "Sales Q1"."Measurements"
      FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
    CREATE TABLE "Sales Q1"."Measurements default" PARTITION OF "Sales Q1"."Measurements" DEFAULT;
    -- Attached with its own column order, which a restore must keep.
    CREATE TABLE "Sales Q1"."Measurements 2023" (
      value double precision, taken timestamptz NOT NULL, id bigint NOT NULL);
    ALTER TABLE "Sales Q1"."Measurements" ATTACH PARTITION "Sales Q1"."Measurements 2023"
      FOR VALUES FROM ('2023-01-01 00:00+00') TO ('2024-01-01 00:00+00');
    CREATE INDEX "measurements by value" ON "Sales Q1"."Measurements" (value);

    CREATE TABLE "日本"."テーブル" (
      "名前" text PRIMARY KEY,
      "色" "日本"."色" NOT NULL DEFAULT '緑',
      "色々" "日本"."色"[],
      "期間" tstzrange,
      EXCLUDE USING gist ("期間" WITH &&)
    );
    CREATE TABLE "日本"."地域" (region text, n int NOT NULL) PARTITION BY LIST (region);
    CREATE TABLE "日本"."地域 東京" PARTITION OF "日本"."地域" FOR VALUES IN ('東京');
    CREATE TABLE "日本"."地域 その他" PARTITION OF "日本"."地域" FOR VALUES IN ('Ōsaka', '北海道', NULL);
    CREATE TABLE "日本"."空のテーブル" (
      id int PRIMARY KEY, parent int REFERENCES "日本"."空のテーブル" DEFERRABLE);

    CREATE TABLE "Sales Q1"."Audit Log" (at timestamptz NOT NULL, what text NOT NULL, customer bigint);
    CREATE TABLE "Sales Q1"."Audit Archive" (archived_by text) INHERITS ("Sales Q1"."Audit Log");
    CREATE UNLOGGED TABLE "Sales Q1"."Session Cache" (
      key text PRIMARY KEY, value bytea, expires timestamptz);
    CREATE TABLE "Sales Q1"."Documents" (id int PRIMARY KEY, title text NOT NULL, content oid);

    CREATE SEQUENCE "Sales Q1"."Big Sequence" AS bigint INCREMENT BY 1000 CACHE 20 CYCLE;
    CREATE SEQUENCE "Sales Q1"."Descending"
      INCREMENT BY -3 MINVALUE -4611686018427387904 MAXVALUE 0 START WITH 0;
    CREATE SEQUENCE "Sales Q1"."Not Called";
    """
  }
}
