import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `dr restore --schema` into an existing database, the refusals that change nothing, and
/// `--into-schema` beside the live table.
struct PartialSchemaTests {
  /// An existing database holding a table of its own: `--schema shop` adds shop with both
  /// tables, their rows and the foreign key between them (both restored, so kept), and the
  /// database's own table is untouched. Run again, and with `--table shop.orders`, it is
  /// refused (exit 1, naming TABLE shop.orders) and nothing changes; `--dry-run` says the
  /// same as a failed finding.
  @Test func aSchemaGoesIntoAnExistingDatabaseOnceAndIsThenRefused() async throws {
    let (fixture, _) = try await PartialShop.backedUp("pschema")
    let target = try PartialShop.target("pschema_t")
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE DATABASE \(target.name)")
    let live = try await PartialShop.connect(target.url)
    _ = try await live.query("CREATE TABLE public.keep (id int); INSERT INTO public.keep SELECT generate_series(1, 7)")

    let result = try await fixture.run(["restore", "--target", target.url, "--schema", "shop", "--json"])
    #expect(result.status == 0, "\(result.combined)")
    #expect(try result.jsonObject()["created"] as? Bool == false)
    #expect((try result.jsonObject()["left_out"] as? [String])?.isEmpty == true, "\(result.standardOutput)")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM shop.orders") == "300")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM shop.customers") == "20")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM public.keep") == "7")
    #expect(
      try await PartialShop.value(
        live, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'shop.orders'::regclass AND contype = 'f'") == "1")
    let before = try await PartialShop.relations(live)

    let again = try await fixture.run(["restore", "--target", target.url, "--schema", "shop"])
    #expect(again.status == 1, "\(again.combined)")
    #expect(again.standardError.contains("TABLE shop.orders"), "\(again.standardError)")
    #expect(again.standardError.contains("Nothing was changed"), "\(again.standardError)")
    let table = try await fixture.run(["restore", "--target", target.url, "--table", "shop.orders"])
    #expect(table.status == 1, "\(table.combined)")
    #expect(table.standardError.contains("TABLE shop.orders"), "\(table.standardError)")
    let dry = try await fixture.run([
      "restore", "--target", target.url, "--table", "shop.orders", "--dry-run", "--json",
    ])
    #expect(dry.status == 1, "\(dry.combined)")
    let findings = try dry.jsonObject()["findings"] as? [[String: Any]] ?? []
    let exists = findings.first { $0["check"] as? String == "exists" }
    #expect(exists?["status"] as? String == "fail", "\(findings)")
    #expect((exists?["detail"] as? String)?.contains("TABLE shop.orders") == true, "\(findings)")

    #expect(try await PartialShop.relations(live) == before)
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM shop.orders") == "300")
    await TestDatabases.drop(target.name)
    await fixture.remove()
  }

  /// `--into-schema`: the backup's shop.orders restored into the live source database as
  /// shop_restored.orders, beside the live table whose rows were since deleted: the copy
  /// has the 300 rows, its index, trigger and the trigger's function in the new schema;
  /// the live schema keeps its name, its rows and its function. A second run is refused
  /// (the schema exists) and changes nothing.
  @Test func intoSchemaPutsTheTableBesideTheLiveOne() async throws {
    let (fixture, _) = try await PartialShop.backedUp("pinto")
    let url = try MultiDatabase.superuserURL(fixture.database)
    let live = try await PartialShop.connect(url)
    _ = try await live.query("DELETE FROM shop.orders WHERE id > 100")

    let result = try await fixture.run(
      ["restore", "--target", url, "--table", "shop.orders", "--into-schema", "shop_restored", "--json"])
    #expect(result.status == 0, "\(result.combined)")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM shop_restored.orders") == "300")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM shop.orders") == "100")
    #expect(try await PartialShop.value(live, "SELECT to_regclass('shop_restored.orders_note_idx') IS NOT NULL") == "t")
    #expect(
      try await PartialShop.value(live, "SELECT to_regprocedure('shop_restored.stamp_note()') IS NOT NULL") == "t")
    #expect(try await PartialShop.value(live, "SELECT to_regprocedure('shop.stamp_note()') IS NOT NULL") == "t")
    #expect(try await PartialShop.value(live, "SELECT to_regclass('shop.customers') IS NOT NULL") == "t")
    let trigger = try await PartialShop.value(
      live, "SELECT tgfoid::regprocedure::text FROM pg_trigger WHERE tgrelid = 'shop_restored.orders'::regclass")
    #expect(trigger == "shop_restored.stamp_note()", "\(String(describing: trigger))")
    let schemas = try await live.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dr\\_aside%'")
    #expect(schemas.isEmpty, "\(schemas)")
    let before = try await PartialShop.relations(live)

    let again = try await fixture.run(
      ["restore", "--target", url, "--table", "shop.orders", "--into-schema", "shop_restored"])
    #expect(again.status == 1, "\(again.combined)")
    #expect(again.standardError.contains("SCHEMA shop_restored"), "\(again.standardError)")
    #expect(try await PartialShop.relations(live) == before)
    await fixture.remove()
  }

  /// Names the backup lacks: exit 2 with the backup's closest names, and no database made.
  @Test func unknownNamesAreRefusedWithTheClosestNames() async throws {
    let (fixture, _) = try await PartialShop.backedUp("punknown")
    var tally = FaultTally("partial restore: unknown names")
    let target = try PartialShop.target("punknown_t")
    let table = try await fixture.run(["restore", "--target", target.url, "--table", "shop.order"])
    tally.badInputs += 1
    #expect(table.status == 2, "\(table.combined)")
    #expect(table.standardError.contains("no table shop.order in the backup"), "\(table.standardError)")
    #expect(table.standardError.contains("shop.orders"), "\(table.standardError)")
    let schema = try await fixture.run(["restore", "--target", target.url, "--schema", "shopp"])
    tally.badInputs += 1
    #expect(schema.status == 2, "\(schema.combined)")
    #expect(schema.standardError.contains("closest: shop"), "\(schema.standardError)")
    let malformed = try await fixture.run(["restore", "--target", target.url, "--table", "orders"])
    tally.badInputs += 1
    #expect(malformed.status == 2, "\(malformed.combined)")
    #expect(try await PartialShop.exists(database: target.name) == false)
    await FaultLedger.record(tally)
    await fixture.remove()
  }

  /// A manifest whose row count for shop.orders says 299 (rewritten in the bucket): the
  /// restore into an existing database runs, the count differs inside its transaction, it
  /// exits 1 naming the table, and the target holds nothing of it (rolled back).
  @Test func aRowCountThatDiffersExitsOneAndKeepsNothing() async throws {
    let (fixture, id) = try await PartialShop.backedUp("pcount")
    var tally = FaultTally("partial restore: a row count that differs")
    let key = try fixture.manifestKey(id)
    let text = String(decoding: try await fixture.object(key), as: UTF8.self)
    let changed = try PartialRestoreManifest.settingRows(of: "shop", "orders", to: 299, in: text)
    try await fixture.replace(key, with: Array(changed.utf8))
    tally.faults += 1
    let target = try PartialShop.target("pcount_t")
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE DATABASE \(target.name)")
    let live = try await PartialShop.connect(target.url)
    let before = try await PartialShop.relations(live)

    let result = try await fixture.run(["restore", "--target", target.url, "--backup", id, "--table", "shop.orders"])
    #expect(result.status == 1, "\(result.combined)")
    #expect(
      result.standardError.contains("shop.orders: 299 rows in the manifest, 300 restored"), "\(result.standardError)")
    let after = try await PartialShop.relations(live)
    tally.destroyed += before == after ? 0 : 1
    #expect(after == before, "\(after)")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'") == "0")
    await FaultLedger.record(tally)
    await TestDatabases.drop(target.name)
    await fixture.remove()
  }
}

extension PartialSchemaTests {
  /// The backup grants SELECT on shop.orders to a role dropped since: the restore into an
  /// existing database fails in psql on that grant (exit 1, the server's words), and the
  /// whole transaction is rolled back: the target has none of shop.
  @Test func aStatementTheTargetRefusesRollsEverythingBack() async throws {
    let fixture = try await BackupFixture.make("pgone")
    try await PartialShop.prepare(fixture)
    let gone = TestDatabases.uniqueName("gone")
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE ROLE \(gone) NOLOGIN")
    let source = try await PGConnection.connect(try MultiDatabase.superuserURL(fixture.database))
    _ = try await source.query("GRANT SELECT ON shop.orders TO \(gone)")
    let id = try await fixture.backup()
    _ = try await source.query("REVOKE SELECT ON shop.orders FROM \(gone)")
    _ = try await admin.query("DROP ROLE \(gone)")
    var tally = FaultTally("partial restore: a statement the target refuses")
    tally.faults += 1
    let target = try PartialShop.target("pgone_t")
    _ = try await admin.query("CREATE DATABASE \(target.name)")
    let live = try await PartialShop.connect(target.url)
    let before = try await PartialShop.relations(live)

    let result = try await fixture.run(["restore", "--target", target.url, "--backup", id, "--table", "shop.orders"])
    #expect(result.status == 1, "\(result.combined)")
    #expect(result.standardError.contains("role \"\(gone)\" does not exist"), "\(result.standardError)")
    #expect(result.standardError.contains("nothing was changed"), "\(result.standardError)")
    let after = try await PartialShop.relations(live)
    tally.destroyed += after == before ? 0 : 1
    #expect(after == before, "\(after)")
    #expect(try await PartialShop.value(live, "SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'") == "0")
    await FaultLedger.record(tally)
    await TestDatabases.drop(target.name)
    await fixture.remove()
  }
}

/// Rewrites a manifest's row count (the fault of the count test).
enum PartialRestoreManifest {
  static func settingRows(of schema: String, _ table: String, to rows: Int, in text: String) throws -> String {
    var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    var counts = try #require(object["row_counts"] as? [String: Any])
    var tables = try #require(counts["tables"] as? [[String: Any]])
    let index = try #require(tables.firstIndex { $0["schema"] as? String == schema && $0["table"] as? String == table })
    tables[index]["rows"] = rows
    counts["tables"] = tables
    object["row_counts"] = counts
    return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }
}
