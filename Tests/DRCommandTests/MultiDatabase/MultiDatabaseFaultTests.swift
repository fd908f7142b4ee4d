import DRBackup
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A backup of several databases is one backup: one database failing fails it all and
/// leaves nothing listed; a listed database the server lacks stops it before anything is
/// written. Without `database.databases`, a backup is as it always was (format 1).
@Suite(.scenarioGate)
struct MultiDatabaseFaultTests {
  /// Injected: the last of three listed databases refuses the backup's role (CONNECT
  /// revoked from PUBLIC): it exists and allows connections, so the check before the
  /// backup passes and the first two are dumped and uploaded first. Asserted: exit 1 naming
  /// that database, the two dumps were made, nothing is listed (not even with --all), no
  /// object or upload is left under the backup; once CONNECT is granted again the end
  /// state holds (prune, the next backup of the three succeeds).
  @Test func aDatabaseRefusingTheRoleFailsTheWholeBackupAndNothingIsListed() async throws {
    let fixture = try await BackupFixture.make("multifail", compression: BackupFixture.quickCompression)
    let second = fixture.database + "_second"
    try await MultiDatabase.make(second, sql: "CREATE TABLE t AS SELECT n FROM generate_series(1, 50) n;")
    // Owned by the superuser: the backup's role connects through PUBLIC's CONNECT alone.
    let (refusing, _) = try await TestDatabases.create("multirefuse")
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("REVOKE CONNECT ON DATABASE \(refusing) FROM PUBLIC")
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), databases: MultiDatabase.yamlList([fixture.database, second, refusing]))
    let failed = try await fixture.run(["backup"])
    #expect(failed.status == 1, "\(failed.combined)")
    #expect(failed.standardError.contains(refusing), "\(failed.standardError)")
    #expect(failed.standardError.contains("dumping database \(second)"), "its dump ran first: \(failed.standardError)")
    #expect(try await fixture.listedIDs(all: true).isEmpty, "nothing listed")
    let contents = try await fixture.bucketContents()
    #expect(contents.keys.filter { $0.hasPrefix(fixture.layout.backupsPrefix) }.isEmpty, "\(contents.keys)")
    #expect(contents.uploads == 0)
    _ = try await admin.query("GRANT CONNECT ON DATABASE \(refusing) TO PUBLIC")
    var tally = FaultTally("a database of several refusing the backup's role")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await TestDatabases.drop(second)
    await TestDatabases.drop(refusing)
    await fixture.remove()
  }

  /// Injected: nothing; a backup of two databases verified on `verify.scratch_url` (the
  /// shared server). Asserted: passed, each database compared in a scratch database of its
  /// own (its check run there), and none of the backup's scratch databases is left.
  @Test func aVerificationOnAServerMakesAndDropsAScratchDatabaseForEach() async throws {
    let fixture = try await BackupFixture.make("multiscratch", compression: BackupFixture.quickCompression)
    let second = fixture.database + "_second"
    try await MultiDatabase.make(second, sql: "CREATE TABLE t AS SELECT n FROM generate_series(1, 50) n;")
    let extra = """
      verify:
        scratch_url: "\(try TestServices.superuserURL())"
        checks:
          - {name: second, sql: "SELECT count(*) = 50 FROM t", database: "\(second)"}

      """
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: extra,
      databases: MultiDatabase.yamlList([fixture.database, second]))
    let id = try await fixture.backup()
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    let record = try #require(try await VerifyOutcomeTests.records(fixture, id).first)
    #expect(record["outcome"] as? String == "passed", "\(record)")
    #expect(record["scratch"] as? String == "server")
    let counts = MultiDatabase.counts(in: try await MultiDatabase.manifest(fixture, id))
    #expect(counts[second] == ["public.t": 50])
    #expect(record["tables_compared"] as? Int == counts.values.reduce(0) { $0 + $1.count }, "every database's tables")
    let stem = "dr_verify_" + String(id.lowercased().filter { $0.isLetter || $0.isNumber }.suffix(24))
    let left = try await TestDatabases.value(
      try TestServices.superuserURL(),
      "SELECT count(*) FROM pg_database WHERE starts_with(datname, \(SQL.literal(stem)))")
    #expect(left == "0", "scratch databases left")
    await TestDatabases.drop(second)
    await fixture.remove()
  }

  /// Injected: a policy listing a database the server does not have. Asserted: exit 2, the
  /// message names the policy file, `database.databases` and the database; the bucket is
  /// untouched (no object, not even the backup's lease, no upload); `dr check` fails its
  /// `databases` check naming it.
  @Test func aListedDatabaseTheServerLacksStopsTheBackupBeforeAnythingIsWritten() async throws {
    let fixture = try await BackupFixture.make("multimissing")
    let missing = TestDatabases.uniqueName("nosuch")
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), databases: MultiDatabase.yamlList([fixture.database, missing]))
    let refused = try await fixture.run(["backup"])
    #expect(refused.status == 2, "\(refused.combined)")
    for text in [fixture.policyFile, "database.databases", "\(missing) does not exist"] {
      #expect(refused.standardError.contains(text), "\(text): \(refused.standardError)")
    }
    let contents = try await fixture.bucketContents()
    #expect(contents.keys.isEmpty && contents.uploads == 0, "\(contents)")
    // dr check finds it before a backup does.
    let checked = try await fixture.run(["check", "--json"])
    #expect(checked.status == 1, "\(checked.combined)")
    let check = (try checked.jsonObject()["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "databases" }
    #expect(check?["status"] as? String == "failed", "\(checked.standardOutput)")
    #expect((check?["detail"] as? String)?.contains(missing) == true, "\(checked.standardOutput)")
    await fixture.remove()
  }

  /// Injected: nothing; the fixture's policy without `database.databases`. Asserted: the
  /// manifest is format 1 with no `databases` and no object naming a database, the dump is
  /// `dump.pgc.bz2` as before, and `dr backup --json` says the one database.
  @Test func withoutTheKeyABackupIsFormatOneAsBefore() async throws {
    let fixture = try await BackupFixture.make("multinone")
    let backedUp = try await fixture.run(["backup", "--json"])
    let id = try BackupFixture.backupID(of: backedUp)
    #expect(try backedUp.jsonObject()["databases"] as? [String] == [fixture.database])
    let manifest = try await MultiDatabase.manifest(fixture, id)
    #expect(manifest["format_version"] as? Int == 1)
    #expect(manifest["databases"] == nil)
    #expect((manifest["objects"] as? [[String: Any]])?.allSatisfy { $0["database"] == nil } == true)
    #expect(MultiDatabase.objectNames(in: manifest).sorted() == ["dump.pgc.bz2", "globals.sql.bz2"])
    await fixture.remove()
  }
}
