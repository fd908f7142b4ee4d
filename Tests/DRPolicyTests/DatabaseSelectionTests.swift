import DRCore
import DRPolicy
import Foundation
import Testing

/// `database.databases` (issue 18): the URL's database alone by default, `all`, or a list
/// in its order; each check runs in the database it names, which must be one the policy
/// backs up (refused at its line otherwise).
struct DatabaseSelectionTests {
  static func policy(databases: String?, checks: String = "") throws -> Policy {
    let yaml = """
      name: t
      database:
        url: "postgresql://u@127.0.0.1:5432/summit"
      \(databases.map { "  databases: \($0)" } ?? "")
      storage: {url: "s3://bucket-1/p/"}
      \(checks)
      """
    return try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "policies/t.yaml")
  }

  @Test func withoutTheKeyTheURLsDatabaseAlone() throws {
    let policy = try Self.policy(databases: nil)
    #expect(policy.database.databases == .urlDatabase)
  }

  @Test func allOrAListInItsOrder() throws {
    #expect(try Self.policy(databases: "all").database.databases == .all)
    #expect(
      try Self.policy(databases: "[summit, billing, \"Odd Name\"]").database.databases
        == .named(["summit", "billing", "Odd Name"]))
    #expect(try Self.policy(databases: "[all]").database.databases == .named(["all"]), "a database called all")
  }

  @Test func aCheckNamesItsDatabase() throws {
    let checks = """
      verify:
        checks:
          - {name: first, sql: "SELECT true"}
          - {name: invoices, sql: "SELECT true", database: billing}
      """
    let policy = try Self.policy(databases: "[summit, billing]", checks: checks)
    #expect(policy.verify.checks.map(\.database) == [nil, "billing"])
    #expect(try Self.policy(databases: "all", checks: checks).verify.checks.count == 2, "all: the server decides")
  }

  @Test func aCheckInADatabaseNotBackedUpIsRefusedAtItsLine() throws {
    let checks = """
      verify:
        checks:
          - {name: first, sql: "SELECT true"}
          - name: invoices
            sql: "SELECT true"
            database: billing
      """
    let error = #expect(throws: PolicyError.self) { try Self.policy(databases: "[summit, other]", checks: checks) }
    #expect(error?.keyPath == "verify.checks[1].database")
    #expect(error?.line == 11, "\(error?.description ?? "")")
    #expect(error?.description.contains("\"billing\" is not backed up") == true, "\(error?.description ?? "")")
  }
}
