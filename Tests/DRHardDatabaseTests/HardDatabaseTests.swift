import DRTestSupport
import Foundation
import Testing

/// Against the real PostgreSQL that scripts/services starts.
struct HardDatabaseTests {
  @Test func createsEverything() async throws {
    let hard = try await HardDatabase.create(name: uniqueDatabaseName())
    do {
      let facts = try await DatabaseFingerprint.take(hard.url)
      #expect(facts[#"rows "Sales Q1"."Ördér Lines""#]?.hasPrefix("\(HardDatabase.largeTableRows) rows,") == true)
      #expect(facts[#"rows "日本"."空のテーブル""#]?.hasPrefix("0 rows,") == true)
      #expect(facts[#"rows "Sales Q1"."Monthly Summary""#]?.hasPrefix("8 rows,") == true)
      #expect(facts[#"rows "日本"."未実行""#] == "not populated")
      #expect(facts[#"value of sequence "Sales Q1"."Big Sequence""#] == "last value 4611686018427400249, called t")
      #expect(facts["large object 424242"]?.hasPrefix("16004 bytes,") == true)
      #expect(facts[#"type "Sales Q1"."Order Status""#] == "enum: 'new', 'päid partly', 'paid', 'shipped'")
      #expect(facts[#"relation "Sales Q1"."Session Cache""#]?.contains("persistence u") == true)
      #expect(facts[#"owner of schema "Owned Ω""#] == hard.ownerRole)
      #expect(facts["role \(hard.readerRole)"]?.contains("login f") == true)
      #expect(facts["membership of \(hard.ownerRole) in \(hard.readerRole)"] != nil)
      #expect(facts["database settings"] == #"TimeZone=Asia/Tokyo, search_path="Sales Q1", public"#)
    } catch {
      try? await hard.drop()
      throw error
    }
    try await hard.drop()
  }

  @Test func dropRemovesTheDatabaseAndRoles() async throws {
    let hard = try await HardDatabase.create(name: uniqueDatabaseName())
    try await hard.drop()
    try await hard.drop()
    let server = try TestServices.superuserURL()
    #expect(!(try await TestDatabases.exists(hard.name)))
    let roles = try await TestDatabases.value(
      server, "SELECT count(*) FROM pg_roles WHERE rolname IN ('\(hard.ownerRole)', '\(hard.readerRole)')")
    #expect(roles == "0")
  }

  /// Owned by the non-superuser dr_user, who can then back it up with pg_dump.
  @Test func nonSuperuserOwnerCanDumpIt() async throws {
    try await withHardDatabase(owner: "dr_user") { hard in
      let facts = try await DatabaseFingerprint.take(hard.url)
      #expect(facts["database owner"] == "dr_user")
      #expect(facts[#"owner of relation "Sales Q1"."Customers""#] == "dr_user")
      #expect(facts[#"owner of relation "Sales Q1"."Ördér Lines""#] == hard.ownerRole)
      let url = HardDatabase.url(try TestServices.userURL(), database: hard.name)
      try await runTool(
        "pg_dump", ["--format=custom", "--no-sync", "--file=/dev/null", "--dbname=\(url)"],
        environment: ["PGPASSWORD": try TestServices.userPassword()])
    }
  }
}
