import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Logging
import Testing

/// What dr must match: a hard database through pg_dumpall --globals-only and pg_dump -Fc,
/// restored with psql and pg_restore into a new cluster, has the same fingerprint.
struct StockRoundTripTests {
  /// Kept by `pg_restore --create` only: pg_dump puts the database's own properties in the
  /// archive, and pg_restore without --create leaves the database it is given as it was
  /// made (here with the scratch cluster's locale, C.UTF-8, where the original has C).
  static let lostWithoutCreate: Set<String> = [
    "comment on database", "database settings", "privileges on database", "database encoding and locale",
    "database options",
  ]

  @Test func stockToolsRestoreEverything() async throws {
    try await withHardDatabase { hard in
      let original = try await DatabaseFingerprint.take(hard.url)
      let work = TemporaryDirectory.unique("dr-hard-dump")
      defer { try? FileManager.default.removeItem(atPath: work) }
      let globals = work + "/globals.sql"
      let dump = work + "/dump.pgc"
      // pg_dumpall has no snapshot across its queries: roles another test makes meanwhile
      // may be granted but not created. Taken again then, as dr's backup does (bounded).
      _ = try await GlobalsScript.consistent(logger: Logger(label: "test")) {
        try await runTool("pg_dumpall", ["--globals-only", "--file=\(globals)", "--dbname=\(hard.serverURL)"])
        return try String(contentsOfFile: globals, encoding: .utf8)
      }
      try await runTool("pg_dump", ["--format=custom", "--file=\(dump)", "--dbname=\(hard.url)"])
      let bin = try TestServices.require("DR_TEST_PG_BINDIR")
      try await TestCluster.with(binDirectory: bin) { cluster in
        try await restoreGlobals(globals, into: cluster)
        try await expectRestoreIntoNewDatabase(dump, cluster, original, hard)
        try await expectRestoreWithCreate(dump, cluster, original, hard)
        try await expectRestoreWithoutOwnership(dump, cluster, original)
      }
    }
  }

  /// The roles; `CREATE ROLE postgres` fails (initdb made it), nothing else may.
  private func restoreGlobals(_ globals: String, into cluster: TestCluster) async throws {
    let output = try await cluster.client("psql", ["-X", "-q", "-f", globals])
    let errors = output.standardError.split(separator: "\n").filter { $0.contains("ERROR") }
    #expect(output.status == 0)
    #expect(errors.allSatisfy { $0.hasSuffix(#"ERROR:  role "postgres" already exists"#) }, "\(errors)")
  }

  /// `CREATE DATABASE` then `pg_restore -d`: everything but the database's own properties.
  private func expectRestoreIntoNewDatabase(
    _ dump: String, _ cluster: TestCluster, _ original: DatabaseFingerprint, _ hard: HardDatabase
  ) async throws {
    try await cluster.createDatabase("restored")
    let output = try await cluster.client("pg_restore", ["--dbname=restored", dump])
    #expect(output.status == 0 && output.standardError.isEmpty, "\(output.standardError)")
    let restored = try await DatabaseFingerprint.take(cluster.connectionString(database: "restored"))
    #expect(restored.differences(from: original, ignoring: [.databaseProperties]) == [])
    let lost = Set(restored.differences(from: original).map(Self.factName))
    let lostNames = Self.lostWithoutCreate.union(["database settings for role \(hard.readerRole)"])
    #expect(lost == lostNames, "\(restored.differences(from: original))")
  }

  /// `pg_restore --create`: the database's properties too, under its original name.
  private func expectRestoreWithCreate(
    _ dump: String, _ cluster: TestCluster, _ original: DatabaseFingerprint, _ hard: HardDatabase
  ) async throws {
    let output = try await cluster.client("pg_restore", ["--create", "--dbname=postgres", dump])
    #expect(output.status == 0 && output.standardError.isEmpty, "\(output.standardError)")
    let restored = try await DatabaseFingerprint.take(cluster.connectionString(database: hard.name))
    #expect(restored.differences(from: original) == [])
  }

  /// `pg_restore --no-owner --no-privileges`, as into a server without the roles: the
  /// contents are the same.
  private func expectRestoreWithoutOwnership(
    _ dump: String, _ cluster: TestCluster, _ original: DatabaseFingerprint
  ) async throws {
    try await cluster.createDatabase("no owner")
    let output = try await cluster.client("pg_restore", ["--no-owner", "--no-privileges", "--dbname=no owner", dump])
    #expect(output.status == 0 && output.standardError.isEmpty, "\(output.standardError)")
    let restored = try await DatabaseFingerprint.take(cluster.connectionString(database: "no owner"))
    #expect(restored.differences(from: original, ignoring: [.ownership, .databaseProperties]) == [])
  }

  /// `changed NAME: …`, `missing NAME (was …)`, `extra NAME: …` → NAME.
  static func factName(_ difference: String) -> String {
    let afterKind = difference.drop { $0 != " " }.dropFirst()
    let end = afterKind.range(of: ": ")?.lowerBound ?? afterKind.range(of: " (was ")?.lowerBound ?? afterKind.endIndex
    return String(afterKind[..<end])
  }
}
