import DRS3
import DRTestSupport
import Foundation
import Testing

/// The version matrix against the suite's real servers of PostgreSQL 15, 17 and 18 (one
/// small database per case, the servers shared): a backup of each major, its verification in
/// a scratch cluster of that major, its restore into every newer server, and its refusal by
/// every older one before anything changes.
struct VersionMatrixTests {
  /// Asserted: pg_dump of the server's own major is chosen and named (`--verbose`) and
  /// recorded in the manifest; the verification passes in a scratch cluster of that major;
  /// `dr restore --target` into each newer server restores every row; into each older one it
  /// exits 2 naming both versions and the way out, and the target keeps its data with no side
  /// database left.
  @Test(arguments: VersionServer.majors)
  func aBackupOfEachMajorVerifiesInItsOwnAndRestoresOnlyForward(source: Int) async throws {
    let fixture = try await VersionFixture.make("matrix", on: source)
    let (id, backup) = try await fixture.backup(["--verbose"])
    #expect(backup.standardError.contains("pg_dump \(source)."), "\(backup.standardError)")
    #expect(backup.standardError.contains("\(fixture.server.bindir)/pg_dump"), "\(backup.standardError)")
    let manifest = try await fixture.manifest(id)
    let pgDump = manifest["pg_dump"] as? [String: Any] ?? [:]
    #expect(pgDump["major_version"] as? Int == source, "\(pgDump)")
    let serverVersion = (manifest["database"] as? [String: Any])?["server_version_num"] as? Int ?? 0
    #expect(serverVersion / 10_000 == source, "\(manifest)")

    let verified = try await fixture.run(["verify", "--backup", id, "--verbose"])
    #expect(verified.status == 0, "\(verified.combined)")
    #expect(verified.standardError.contains("scratch cluster of PostgreSQL \(source)."), "\(verified.standardError)")
    let record = try #require(try await fixture.verificationRecords(id).first)
    #expect((record["restored_into"] as? String)?.hasPrefix("\(source).") == true, "\(record)")

    for target in VersionServer.majors where target > source {
      try await restoresForward(fixture, id, into: try VersionServer.major(target))
    }
    for target in VersionServer.majors where target < source {
      try await isRefused(fixture, id, by: try VersionServer.major(target))
    }
    await fixture.remove()
  }

  /// A newer server takes the dump: every table of the fixture's schema has its rows there.
  func restoresForward(_ fixture: VersionFixture, _ id: String, into server: VersionServer) async throws {
    let name = TestDatabases.uniqueName("forward\(fixture.server.major)to\(server.major)")
    let url = server.superuserURL(database: name)
    let restored = try await fixture.run(["restore", "--target", url, "--backup", id])
    #expect(restored.status == 0, "\(fixture.server.major) → \(server.major): \(restored.combined)")
    for (table, rows) in BackupFixture.schemaRows {
      #expect(try await TestDatabases.rows(url, table) == rows, "\(table) in \(server.major)")
    }
    await server.drop(name)
  }

  /// An older server is refused before anything changes: exit 2, both versions and the way
  /// out named, the target's own table untouched, no side database made.
  func isRefused(_ fixture: VersionFixture, _ id: String, by server: VersionServer) async throws {
    let name = TestDatabases.uniqueName("back\(fixture.server.major)to\(server.major)")
    try await server.createDatabase(name, sql: TestDatabases.preciousTable)
    let url = server.superuserURL(database: name)
    let refused = try await fixture.run(["restore", "--target", url, "--backup", id, "--clean", "--yes"])
    #expect(refused.status == 2, "\(fixture.server.major) → \(server.major): \(refused.combined)")
    let said = refused.standardError
    #expect(said.contains("a dump of PostgreSQL \(fixture.server.major)"), "\(said)")
    #expect(said.contains("runs PostgreSQL \(server.major)."), "\(said)")
    #expect(said.contains("--allow-older-server") && said.contains("Nothing was changed"), "\(said)")
    #expect(try await TestDatabases.rows(url, "precious") == 123)
    // Refused before a side database was made (its name would be logged).
    #expect(!refused.combined.contains("dr_restore_"), "\(refused.combined)")
    await server.drop(name)
  }

  /// `--allow-older-server` attempts a 17 dump into 15 and says it is unsupported;
  /// pg_restore 17 sends `SET transaction_timeout`, which 15 refuses, so it fails (exit 1)
  /// and the target keeps its data, with no side database left.
  @Test func theOverrideAttemptsAnOlderServerAndSaysItIsUnsupported() async throws {
    let fixture = try await VersionFixture.make("override", on: 17)
    let (id, _) = try await fixture.backup()
    let older = try VersionServer.major(15)
    let name = TestDatabases.uniqueName("override")
    try await older.createDatabase(name, sql: TestDatabases.preciousTable)
    let url = older.superuserURL(database: name)
    let attempted = try await fixture.run(
      ["restore", "--target", url, "--backup", id, "--clean", "--yes", "--allow-older-server"])
    #expect(attempted.status == 1, "\(attempted.combined)")
    #expect(attempted.standardError.contains("unsupported"), "\(attempted.standardError)")
    #expect(attempted.standardError.contains("transaction_timeout"), "\(attempted.standardError)")
    #expect(try await TestDatabases.rows(url, "precious") == 123)
    let side = try #require(TestDatabases.named("dr_restore_", in: attempted.combined), "\(attempted.combined)")
    #expect(try await older.databases(prefix: side).isEmpty, "the side database \(side) was dropped")
    await older.drop(name)
    await fixture.remove()
  }

  /// `verify.scratch_url` on a server older than the dump (15 for a 17 dump): the
  /// verification is inconclusive (the verifier's settings, not the backup, are at fault),
  /// naming both versions, and no scratch database is made there.
  @Test func aScratchServerOlderThanTheDumpMakesTheVerificationInconclusive() async throws {
    let fixture = try await VersionFixture.make(
      "oldscratch", on: 17, extra: "verify: {scratch_url: \"${DR_TEST_PG_URL}\"}\n")
    let (id, _) = try await fixture.backup()
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 1, "\(verified.combined)")
    #expect(verified.standardOutput.contains("INCONCLUSIVE"), "\(verified.standardOutput)")
    #expect(
      verified.combined.contains("runs PostgreSQL 15, older than the dump (PostgreSQL 17)"), "\(verified.combined)")
    let record = try #require(try await fixture.verificationRecords(id).first)
    #expect(record["outcome"] as? String == "inconclusive", "\(record)")
    let scratch = "dr_verify_" + id.lowercased().filter { $0.isLetter || $0.isNumber }.suffix(24)
    #expect(try await VersionServer.major(15).databases(prefix: scratch).isEmpty)
    await fixture.remove()
  }

  /// A server newer than every pg_dump on the search path (18, without DR_PG_BINDIR: only
  /// Debian's 15) is refused before anything is uploaded, naming what was found.
  @Test func aServerNewerThanEveryPgDumpIsRefusedBeforeAnythingIsUploaded() async throws {
    let fixture = try await VersionFixture.make("oldtools", on: 18)
    let refused = try await fixture.run(["backup"], ["DR_PG_BINDIR": nil])
    #expect(refused.status == 1, "\(refused.combined)")
    #expect(refused.standardError.contains("older than the server (PostgreSQL 18)"), "\(refused.standardError)")
    #expect(refused.standardError.contains("postgresql-client-18"), "\(refused.standardError)")
    #expect(refused.standardError.contains("15."), "the Debian pg_dump is listed: \(refused.standardError)")
    #expect(try await fixture.client.listAllObjects(bucket: fixture.bucket).isEmpty)
    #expect(try await fixture.client.listMultipartUploads(bucket: fixture.bucket).isEmpty)
    await fixture.remove()
  }
}
