import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// Partial restores of one database of a backup of several, and the dry run's list.
struct PartialDatabaseTests {
  /// A backup of the fixture's database and `…_shop` (the shop schema): without
  /// `--database` the partial restore is refused (exit 2, both names), with it
  /// `--table shop.orders` comes from `…_shop` into a new database with its 300 rows.
  /// A `--dry-run` first says what would be restored into the new database and that none
  /// of it exists there, and makes nothing.
  @Test func aTableOfOneDatabaseOfSeveral() async throws {
    let fixture = try await BackupFixture.make("pmulti", compression: BackupFixture.quickCompression)
    let shop = fixture.database + "_shop"
    try await MultiDatabase.make(shop, sql: "SELECT 1")
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    let reader = try await admin.query("SELECT 1 FROM pg_roles WHERE rolname = \(SQL.literal(PartialShop.reader))")
    if reader.isEmpty { _ = try? await admin.query("CREATE ROLE \(PartialShop.reader) NOLOGIN") }
    _ = try await PGConnection.connect(try MultiDatabase.userURL(shop)).query(PartialShop.schema)
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), databases: MultiDatabase.yamlList([fixture.database, shop]))
    let id = try await fixture.backup()
    let target = try PartialShop.target("pmulti_t")

    let unnamed = try await fixture.run(["restore", "--target", target.url, "--table", "shop.orders"])
    #expect(unnamed.status == 2, "\(unnamed.combined)")
    #expect(unnamed.standardError.contains(shop), "\(unnamed.standardError)")

    let dry = try await fixture.run(
      ["restore", "--target", target.url, "--database", shop, "--table", "shop.orders", "--dry-run"])
    #expect(dry.status == 0, "\(dry.combined)")
    #expect(dry.standardOutput.contains("would restore"), "\(dry.standardOutput)")
    #expect(dry.standardOutput.contains("into a new database"), "\(dry.standardOutput)")
    #expect(dry.standardOutput.contains("TABLE shop.orders"), "\(dry.standardOutput)")
    #expect(dry.standardOutput.contains("none of them exists in the target"), "\(dry.standardOutput)")
    #expect(dry.standardOutput.contains("WARN left_out"), "\(dry.standardOutput)")
    #expect(try await PartialShop.exists(database: target.name) == false)

    let result = try await fixture.run(
      ["restore", "--target", target.url, "--backup", id, "--database", shop, "--table", "shop.orders", "--json"])
    #expect(result.status == 0, "\(result.combined)")
    let restored = try await PartialShop.connect(target.url)
    #expect(try await PartialShop.value(restored, "SELECT count(*) FROM shop.orders") == "300")
    #expect(try await PartialShop.value(restored, "SELECT to_regclass('sales.orders') IS NULL") == "t")
    await TestDatabases.drop(target.name)
    await TestDatabases.drop(shop)
    await fixture.remove()
  }
}
