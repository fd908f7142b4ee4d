import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `dr restore --table` against the real PostgreSQL and RGW: the table comes back with what
/// it needs to work, and what it cannot have is left out and said.
struct PartialTableTests {
  /// `--table shop.orders` into a database that does not exist: it is made and holds
  /// shop.orders with its 300 rows (counted against the manifest), its primary key and
  /// secondary index, its sequence at the backup's value (the next id is 301), its trigger
  /// and the function it calls (which the new database lacked), its grant and comment; the
  /// foreign key to shop.customers (not restored) is left out, named in a warning and in
  /// `left_out`; no other table of the backup is there.
  @Test func aTableComesBackWithWhatItNeedsAndTheForeignKeyLeftOutIsSaid() async throws {
    let (fixture, id) = try await PartialShop.backedUp("ptable")
    let target = try PartialShop.target("ptable_t")
    let result = try await fixture.run(["restore", "--target", target.url, "--table", "shop.orders", "--json"])
    #expect(result.status == 0, "\(result.combined)")
    let json = try result.jsonObject()
    #expect(json["id"] as? String == id)
    #expect(json["created"] as? Bool == true)
    let leftOut = json["left_out"] as? [String] ?? []
    #expect(leftOut.count == 1 && leftOut.first?.contains("orders_customer_id_fkey") == true, "\(json)")
    #expect((json["warnings"] as? [String] ?? []).contains { $0.contains("orders_customer_id_fkey") }, "\(json)")
    let tables = json["tables"] as? [[String: Any]] ?? []
    #expect(tables.first?["table"] as? String == "shop.orders" && tables.first?["rows"] as? Int == 300, "\(json)")

    let restored = try await PartialShop.connect(target.url)
    #expect(
      try await PartialShop.relations(restored) == [
        "shop.orders", "shop.orders_id_seq", "shop.orders_note_idx", "shop.orders_pkey",
      ])
    #expect(try await PartialShop.value(restored, "SELECT count(*) FROM shop.orders") == "300")
    let constraints = try await restored.query(
      "SELECT conname, contype FROM pg_constraint WHERE conrelid = 'shop.orders'::regclass ORDER BY 1")
    #expect(constraints.map { $0.compactMap { $0 } } == [["orders_pkey", "p"]], "\(constraints)")
    #expect(try await PartialShop.value(restored, "SELECT last_value FROM shop.orders_id_seq") == "300")
    #expect(try await PartialShop.value(restored, "SELECT obj_description('shop.orders'::regclass)") == "every order")
    #expect(
      try await PartialShop.value(
        restored, "SELECT has_table_privilege('\(PartialShop.reader)', 'shop.orders', 'SELECT')") == "t")
    // The trigger and its function work: a new row gets the next id and a stamped note.
    let inserted = try await restored.query("INSERT INTO shop.orders (customer_id) VALUES (999) RETURNING id, note")
    #expect(inserted.first == ["301", "stamped"], "\(inserted)")
    #expect(try await PartialShop.value(restored, "SELECT to_regclass('shop.customers') IS NULL") == "t")
    #expect(try await PartialShop.value(restored, "SELECT to_regclass('sales.orders') IS NULL") == "t")
    await TestDatabases.drop(target.name)
    await fixture.remove()
  }

  /// The human output says what was left out on a warning line, and lists what was restored.
  @Test func theHumanOutputNamesWhatWasLeftOut() async throws {
    let (fixture, _) = try await PartialShop.backedUp("phuman")
    let target = try PartialShop.target("phuman_t")
    let result = try await fixture.run(["restore", "--target", target.url, "--table", "shop.orders"])
    #expect(result.status == 0, "\(result.combined)")
    #expect(
      result.standardOutput.contains("warning: FK CONSTRAINT shop.orders orders_customer_id_fkey left out"),
      "\(result.standardOutput)")
    #expect(result.standardOutput.contains("shop.orders (300 rows)"), "\(result.standardOutput)")
    #expect(result.standardOutput.contains("INDEX shop.orders_note_idx"), "\(result.standardOutput)")
    #expect(
      try await PartialShop.value(try await PartialShop.connect(target.url), "SELECT count(*) FROM shop.orders")
        == "300")
    await TestDatabases.drop(target.name)
    await fixture.remove()
  }

  /// A backup encrypted with a key of the policy: `--table sales.orders --table
  /// public.measurements` reads the TOC and restores through the same decryption; 2,000
  /// rows and the primary key come back, the partitioned table with its two partitions and
  /// 500 rows, and the other tables of the backup do not.
  @Test func anEncryptedBackupRestoresOneTable() async throws {
    let encrypted = try await EncryptionFixture.make("pcrypt")
    let (id, _) = try await encrypted.backup()
    let target = try PartialShop.target("pcrypt_t")
    let result = try await encrypted.fixture.run(
      [
        "restore", "--target", target.url, "--backup", id, "--table", "sales.orders", "--table",
        "public.measurements", "--json",
      ])
    #expect(result.status == 0, "\(result.combined)")
    #expect(!result.combined.contains(encrypted.keyText))
    let restored = try await PartialShop.connect(target.url)
    #expect(
      try await PartialShop.relations(restored) == [
        "public.measurements", "public.measurements_2025", "public.measurements_2026", "sales.orders",
        "sales.orders_pkey",
      ])
    #expect(try await PartialShop.value(restored, "SELECT count(*) FROM sales.orders") == "2000")
    #expect(try await PartialShop.value(restored, "SELECT count(*) FROM public.measurements") == "500")
    await TestDatabases.drop(target.name)
    await encrypted.fixture.remove()
  }
}
