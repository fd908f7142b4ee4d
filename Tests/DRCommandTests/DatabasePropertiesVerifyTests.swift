import DRCore
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// A verification restores the database's own properties (owner, encoding and locale,
/// settings, privileges, comment) and compares them with the manifest (issue 16): one the
/// backup's roles cannot give fails it, a locale the verify host lacks is a note, and an
/// encrypted backup keeps them sealed.
@Suite(.scenarioGate)
struct DatabasePropertiesVerifyTests {
  /// Properties of the fixture's own database, set as the superuser before the backup.
  static func properties(_ database: String, secret: String = "not-a-secret") -> String {
    """
    ALTER DATABASE \(database) SET work_mem = '3MB';
    ALTER DATABASE \(database) SET search_path = "$user", public, sales;
    ALTER DATABASE \(database) SET app.token = '\(secret)';
    COMMENT ON DATABASE \(database) IS 'orders and events';
    REVOKE TEMPORARY ON DATABASE \(database) FROM PUBLIC;
    """
  }

  /// A fixture database with `properties`, backed up; the backup's ID.
  static func backedUp(_ label: String) async throws -> (BackupFixture, String) {
    let fixture = try await BackupFixture.make(label)
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query(properties(fixture.database))
    return (fixture, try await fixture.backup())
  }

  /// Rewrites the `database.properties` of `id`'s manifest (the manifest is not
  /// authenticated: whoever can write the bucket can do this).
  static func alterProperties(
    _ fixture: BackupFixture, _ id: String, _ change: (inout [String: Any]) -> Void
  ) async throws {
    let key = try fixture.manifestKey(id)
    var manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(try await fixture.object(key))) as? [String: Any])
    var database = try #require(manifest["database"] as? [String: Any])
    var properties = try #require(database["properties"] as? [String: Any])
    change(&properties)
    database["properties"] = properties
    manifest["database"] = database
    try await fixture.replace(key, with: Array(try JSONSerialization.data(withJSONObject: manifest)))
  }

  /// Injected: the manifest names an owner that the backup's roles (its globals) do not
  /// have. Asserted: exit 3, FAILED, the record's failure of kind `database_property` on
  /// the owner, `dr list` shows the verification failed; the end state holds.
  @Test func anOwnerTheBackupsRolesLackFailsTheVerification() async throws {
    let (fixture, id) = try await Self.backedUp("propowner")
    try await Self.alterProperties(fixture, id) { $0["owner"] = "dr_owner_nobody_has" }
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(verified.standardOutput.contains("FAILED"), "\(verified.standardOutput)")
    let record = try #require(try await VerifyOutcomeTests.records(fixture, id).first)
    #expect(record["outcome"] as? String == "failed")
    let failures = record["failures"] as? [[String: Any]] ?? []
    #expect(
      failures.contains { $0["kind"] as? String == "database_property" && $0["subject"] as? String == "owner" },
      "\(failures)")
    #expect(failures.allSatisfy { $0["kind"] as? String == "database_property" }, "only the owner: \(failures)")
    #expect(
      try await EndState(fixture).entries().first { $0["id"] as? String == id }?["verification"] as? String == "failed")
    var tally = FaultTally("verify of a backup whose manifest names an owner its roles lack")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  /// Injected: the manifest's locale is one this host does not have. Asserted: exit 0,
  /// passed, a note naming the locale and the C locale used instead, no failure; the end
  /// state holds.
  @Test func aLocaleTheVerifyHostLacksIsANoteNotAFailure() async throws {
    let (fixture, id) = try await Self.backedUp("proplocale")
    try await Self.alterProperties(fixture, id) {
      $0["collate"] = "xx_XX.UTF-8"
      $0["ctype"] = "xx_XX.UTF-8"
    }
    let verified = try await fixture.run(["verify", "--backup", id, "--json"])
    #expect(verified.status == 0, "\(verified.combined)")
    let summary = try verified.jsonObject()
    #expect(summary["outcome"] as? String == "passed")
    #expect((summary["failures"] as? [Any])?.isEmpty == true, "\(summary)")
    let notes = summary["notes"] as? [String] ?? []
    #expect(notes.contains { $0.contains("xx_XX.UTF-8") && $0.contains("C locale") }, "\(notes)")
    var tally = FaultTally("verify of a backup whose locale the verify host lacks")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  /// An encrypted backup's manifest holds its properties sealed (a setting's value may be
  /// a secret): the value appears nowhere in the manifest or dr's output, and the
  /// verification opens, applies and compares them.
  @Test func anEncryptedBackupSealsItsPropertiesAndVerifiesThem() async throws {
    let encrypted = try await EncryptionFixture.make("propsealed")
    let fixture = encrypted.fixture
    let secret = "tok-" + UUID().uuidString.lowercased()
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query(Self.properties(fixture.database, secret: secret))
    let (id, _) = try await encrypted.backup()
    let manifest = String(decoding: try await fixture.object(try fixture.manifestKey(id)), as: UTF8.self)
    #expect(manifest.contains("sealed_properties") && !manifest.contains("\"properties\""))
    #expect(!manifest.contains(secret) && !manifest.contains("work_mem"))
    let verified = try await fixture.run(["verify", "--backup", id, "--json", "--verbose"])
    #expect(verified.status == 0, "\(verified.combined)")
    #expect(!verified.combined.contains(secret))
    let summary = try verified.jsonObject()
    #expect(summary["outcome"] as? String == "passed", "\(verified.combined)")
    let notes = summary["notes"] as? [String] ?? []
    #expect(!notes.contains { $0.contains("database") }, "applied and compared: \(notes)")
    await fixture.remove()
  }
}
