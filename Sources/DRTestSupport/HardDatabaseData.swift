extension HardDatabaseScript {
  /// Functions, triggers (one disabled), views, materialized views (one never populated),
  /// row-level security.
  var code: String {
    """
    CREATE FUNCTION "Sales Q1"."Audit Customer"() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
    BEGIN
      INSERT INTO "Sales Q1"."Audit Log" (at, what, customer)
      VALUES ('2024-06-01 12:00+00', TG_OP || ' ' || NEW."Name", NEW.id);
      RETURN NEW;
    END
    $body$;
    CREATE TRIGGER "audit customers" AFTER INSERT OR UPDATE OF "Name" ON "Sales Q1"."Customers"
      FOR EACH ROW WHEN (NEW."Name" IS NOT NULL) EXECUTE FUNCTION "Sales Q1"."Audit Customer"();
    CREATE FUNCTION "日本"."拒否"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'disabled trigger fired'; END $$;
    CREATE TRIGGER "never fires" BEFORE DELETE ON "日本"."テーブル"
      FOR EACH ROW EXECUTE FUNCTION "日本"."拒否"();
    ALTER TABLE "日本"."テーブル" DISABLE TRIGGER "never fires";
    REVOKE EXECUTE ON FUNCTION "日本"."拒否"() FROM PUBLIC;

    CREATE VIEW "Sales Q1"."Customer Totals" WITH (security_barrier) AS
      SELECT c.id, c."Name", sum(l.amount) AS "Total €", count(*) AS lines
      FROM "Sales Q1"."Customers" c JOIN "Sales Q1"."Ördér Lines" l ON l.customer_id = c.id
      GROUP BY c.id, c."Name";
    CREATE MATERIALIZED VIEW "Sales Q1"."Monthly Summary" AS
      SELECT date_trunc('month', taken AT TIME ZONE 'UTC') AS month, count(*) AS n, avg(value) AS mean
      FROM "Sales Q1"."Measurements" GROUP BY 1;
    CREATE UNIQUE INDEX ON "Sales Q1"."Monthly Summary" (month);
    CREATE MATERIALIZED VIEW "日本"."未実行" AS SELECT "名前" FROM "日本"."テーブル" WITH NO DATA;

    ALTER TABLE "Sales Q1"."Customers" ENABLE ROW LEVEL SECURITY;
    CREATE POLICY "readers see named" ON "Sales Q1"."Customers" FOR SELECT TO \(reader)
      USING ("Name" LIKE 'C%');
    """
  }

  /// Rows, with edge values of every type; large objects with fixed OIDs; sequence values.
  var data: String {
    #"""
    INSERT INTO "Sales Q1"."Customers" ("Name", email, tags, "Status History", home, created, note)
    SELECT 'Customer ' || i
             || CASE i % 5 WHEN 0 THEN E' \\. \n\t"quoted"' WHEN 1 THEN ' Ünïcødé 🦆 שלום' ELSE '' END,
           CASE WHEN i % 4 = 0 THEN NULL ELSE 'c' || i || '@example.com' END,
           ARRAY['t' || i, NULL, 'a,b', '{}', ''],
           ARRAY['new', 'päid partly', 'paid']::"Sales Q1"."Order Status"[],
           ROW('Street ' || i, lpad(i::text, 5, '0'))::"Sales Q1".address,
           '2024-01-01 00:00+00'::timestamptz + i * interval '1 day 1 hour',
           CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('x', i) END
    FROM generate_series(1, 50) i;
    UPDATE "Sales Q1"."Customers" SET referrer_id = 1000 + 7 * (((id - 1000) / 7 + 1) % 50) WHERE id % 2 = 0;
    INSERT INTO "Sales Q1"."Ördér Lines" ("Order ID", "Line #", customer_id, amount, quantity, exact, ratio,
      matrix, payload, blob, during)
    SELECT i / 4, i % 4, 1000 + 7 * (i % 50), (i % 997) + 0.0001 * (i % 10000),
      i * 12345.678901234567890123 / 7,
      CASE i % 7 WHEN 0 THEN 'NaN' WHEN 1 THEN 'Infinity' WHEN 2 THEN '-Infinity'
        WHEN 3 THEN 1e-300 ELSE (i::numeric ^ 12) / 3 END,
      CASE i % 5 WHEN 0 THEN '-0' WHEN 1 THEN 'NaN' WHEN 2 THEN 1e308 WHEN 3 THEN 5e-324 ELSE i / 3.0 END,
      ARRAY[[i, i + 1], [NULL, -i]],
      jsonb_build_object(
        'i', i, 'nested', jsonb_build_object('ключ', ARRAY[i, NULL]), 'f', i / 7.0, 's', E'a\u0001b"\\'),
      decode(lpad(to_hex(i), 8, '0') || '00ff80fe0d0a5c', 'hex'),
      tsrange('2024-01-01'::timestamp + i * interval '1 minute', NULL)
    FROM generate_series(1, 20000) i;
    INSERT INTO "Sales Q1"."Measurements" (taken, value)
    SELECT ts, extract(epoch FROM ts) / 1000
    FROM unnest(ARRAY[
      '2023-03-01 10:00+00', '2023-12-31 23:59:59.999999+00', '2024-02-29 12:00+05:30', '2024-12-31 23:59:59+00',
      '2025-01-01 00:00+00', 'infinity', '-infinity', '4713-01-01 00:00+00 BC']::timestamptz[]) ts;
    INSERT INTO "日本"."テーブル" VALUES
      ('富士', '赤', ARRAY['赤', '青']::"日本"."色"[], '[2024-01-01 00:00+09, 2024-02-01 00:00+09)'),
      ('桜', DEFAULT, '{}', NULL),
      (E'改行\n入り', '青', ARRAY[NULL, '緑']::"日本"."色"[], 'empty');
    INSERT INTO "日本"."地域" VALUES ('東京', 1), ('Ōsaka', 2), (NULL, 3), ('北海道', 4);
    INSERT INTO "Sales Q1"."Audit Archive" VALUES ('2020-01-01 00:00+00', 'archived', NULL, 'someone');
    INSERT INTO "Sales Q1"."Session Cache" VALUES
      ('k1', '\x00', NULL), ('k2', NULL, '2030-01-01 00:00+00'), ('k3', '\xdeadbeef', '2000-01-01 00:00+00');
    -- k3 breaks the constraint: pg_dump must add it after the data, still NOT VALID.
    ALTER TABLE "Sales Q1"."Session Cache"
      ADD CONSTRAINT "expires in future" CHECK (expires > '2025-01-01') NOT VALID;
    INSERT INTO "Sales Q1"."Documents" VALUES
      (1, 'binary', lo_from_bytea(424242, decode('00ff00fe' || repeat('0102030405060708', 2000), 'hex'))),
      (2, 'empty', lo_from_bytea(424243, '')),
      (3, 'none', NULL);
    SELECT setval('"Sales Q1"."Big Sequence"', 4611686018427387904 + 12345);
    SELECT setval('"Sales Q1"."Descending"', -4611686018427387000, false);
    REFRESH MATERIALIZED VIEW "Sales Q1"."Monthly Summary";
    """#
  }
}
