import DRCore
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Verification blames only the backup's own faults (issue 16): a mistyped ID, a verify
/// host that lacks an extension, roles left out of the backup, a tablespace, partitions
/// whose rows move on load: each gets the outcome, exit status and record it deserves.
@Suite(.scenarioGate)
struct VerifyOutcomeTests {
  static func backedUp(_ label: String, schema: String = "", backup: String? = nil) async throws -> (
    BackupFixture, String
  ) {
    let fixture = try await BackupFixture.make(label)
    if !schema.isEmpty {
      let owner = try await PGConnection.connect(try fixture.userURL(withPassword: true))
      _ = try await owner.query(schema)
    }
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), backup: backup)
    let made = try await fixture.run(["backup", "--json"])
    #expect(made.status == 0, "\(made.combined)")
    let object = try JSONSerialization.jsonObject(with: Data(made.standardOutput.utf8)) as? [String: Any]
    return (fixture, try #require(object?["id"] as? String))
  }

  /// The verification records of `id` in the bucket, newest first.
  static func records(_ fixture: BackupFixture, _ id: String) async throws -> [[String: Any]] {
    let keys = try await fixture.client.listAllObjects(
      bucket: fixture.bucket, prefix: "prefix/backup-test/verifications/\(id)/"
    ).map(\.key).sorted(by: >)
    var records: [[String: Any]] = []
    for key in keys {
      let body = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
      records.append(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:])
    }
    return records
  }

  @Test func aMistypedIDIsNoSuchBackupAndNothingIsRecorded() async throws {
    let (fixture, id) = try await Self.backedUp("typo")
    let typo = "20991231T000000Z-abcd"
    let verified = try await fixture.run(["verify", "--backup", typo])
    #expect(verified.status == 1, "\(verified.combined)")
    #expect(verified.standardError.contains("no such backup: \(typo)"), "\(verified.standardError)")
    #expect(verified.standardError.contains(id), "the newest backup is named: \(verified.standardError)")
    let keys = try await fixture.client.listAllObjects(
      bucket: fixture.bucket, prefix: "prefix/backup-test/verifications/")
    #expect(keys.isEmpty, "\(keys.map(\.key))")
    var tally = FaultTally("verify of a backup ID that does not exist")
    tally.badInputs = 1
    await FaultLedger.record(tally)
    await fixture.remove()
  }

  @Test func aBackupWithoutRolesVerifiesWithoutOwners() async throws {
    let (fixture, id) = try await Self.backedUp(
      "noglobals", backup: "{compression: {codec: bzip2, level: 9, threads: 2}, globals: false}")
    let verified = try await fixture.run(["verify", "--json"])
    #expect(verified.status == 0, "\(verified.combined)")
    let summary = try JSONSerialization.jsonObject(with: Data(verified.standardOutput.utf8)) as? [String: Any]
    #expect(summary?["outcome"] as? String == "passed")
    let notes = summary?["notes"] as? [String] ?? []
    #expect(notes.contains { $0.contains("restored without owners and privileges") }, "\(notes)")
    #expect((try await Self.records(fixture, id).first?["notes"] as? [String] ?? []) == notes)
    await fixture.remove()
  }

  /// Hash partitions on an enum key: pg_dump loads them through the root, and the new
  /// cluster's enum OIDs hash rows into other leaves; the table is whole all the same.
  @Test func partitionTreesAreComparedAtTheirRoot() async throws {
    let schema = """
      CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
      CREATE TABLE public.feelings (id int, m mood) PARTITION BY HASH (m);
      CREATE TABLE public.feelings_0 PARTITION OF public.feelings FOR VALUES WITH (MODULUS 3, REMAINDER 0);
      CREATE TABLE public.feelings_1 PARTITION OF public.feelings FOR VALUES WITH (MODULUS 3, REMAINDER 1);
      CREATE TABLE public.feelings_2 PARTITION OF public.feelings FOR VALUES WITH (MODULUS 3, REMAINDER 2);
      INSERT INTO public.feelings SELECT n, (ARRAY['sad', 'ok', 'ok', 'happy', 'happy', 'happy', 'ecstatic',
        'ecstatic', 'ecstatic', 'ecstatic'])[1 + n % 10]::mood FROM generate_series(1, 4000) n;
      CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);
      CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      INSERT INTO public.events SELECT n, date '2025-03-01' + n FROM generate_series(1, 600) n;
      """
    let (fixture, id) = try await Self.backedUp("partitions", schema: schema)
    let verified = try await fixture.run(["verify"])
    #expect(verified.status == 0, "\(verified.combined)")
    let record = try #require(try await Self.records(fixture, id).first)
    #expect(record["outcome"] as? String == "passed")
    #expect((record["failures"] as? [Any])?.isEmpty == true, "\(record)")
    // Uneven values (400, 800, 1200, 1600 rows) under new OIDs land in other leaves: noted.
    let notes = record["notes"] as? [String] ?? []
    #expect(notes.contains { $0.hasPrefix("partition public.feelings_") }, "\(notes)")
    #expect(!notes.contains { $0.contains("events_") }, "a range partition keeps its rows: \(notes)")
    await fixture.remove()
  }

  /// The verify host's PostgreSQL lacks an extension the dump needs (a copy of the
  /// installation without hstore's control file): not the backup's fault.
  @Test func anExtensionTheVerifyHostLacksIsInconclusive() async throws {
    let (fixture, id) = try await Self.backedUp(
      "noext", schema: "CREATE EXTENSION hstore; CREATE TABLE public.tagged (id int, tags hstore);")
    let installation = try Self.installationWithout(extension: "hstore")
    defer { try? FileManager.default.removeItem(atPath: installation.root) }
    let verified = try await fixture.run(["verify"], ["DR_PG_BINDIR": installation.bin])
    #expect(verified.status == 1, "\(verified.combined)")
    #expect(verified.standardOutput.contains("INCONCLUSIVE"), "\(verified.standardOutput)")
    #expect(verified.standardOutput.contains("the extension hstore"), "\(verified.standardOutput)")
    let record = try #require(try await Self.records(fixture, id).first)
    #expect(record["outcome"] as? String == "inconclusive")
    let listed = try await EndState(fixture).entries()
    #expect(listed.first?["verification"] as? String == "none", "the backup is not blamed")
    #expect(listed.first?["last_attempt"] as? String == "inconclusive")
    // With the whole installation, the same backup passes.
    #expect(try await fixture.run(["verify"]).status == 0)
    var tally = FaultTally("verify host without an extension the dump needs")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func aTablespaceOfTheSourceIsMappedToTheDefaultOne() async throws {
    let directory = TemporaryDirectory.unique("dr-tablespace")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try LocalCluster.handOver(directory, to: try LocalCluster.serverUser())
    let name = "dr_ts_\(UUID().uuidString.prefix(6).lowercased())"
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE TABLESPACE \(name) LOCATION '\(directory)'")
    _ = try await admin.query("GRANT CREATE ON TABLESPACE \(name) TO dr_user")
    let (fixture, id) = try await Self.backedUp(
      "tablespace",
      schema: "CREATE TABLE public.placed (id int) TABLESPACE \(name); INSERT INTO public.placed VALUES (1), (2);")
    let verified = try await fixture.run(["verify", "--json"])
    #expect(verified.status == 0, "\(verified.combined)")
    let notes = try #require(try await Self.records(fixture, id).first)["notes"] as? [String] ?? []
    #expect(notes.contains { $0.contains("tablespace \(name) mapped to the default one") }, "\(notes)")
    await fixture.remove()
    _ = try await admin.query("DROP TABLESPACE \(name)")
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// A copy of this machine's PostgreSQL installation (it is relocatable) without one
  /// extension's control file.
  static func installationWithout(extension name: String) throws -> (root: String, bin: String) {
    let root = TemporaryDirectory.unique("dr-pg-copy")
    let bin = try TestServices.require("DR_TEST_PG_BINDIR")
    let lib = (bin as NSString).deletingLastPathComponent
    let major = (lib as NSString).lastPathComponent
    let share = "/usr/share/postgresql/\(major)"
    try FileManager.default.createDirectory(atPath: "\(root)/lib/postgresql", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: "\(root)/share/postgresql", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: lib, toPath: "\(root)/lib/postgresql/\(major)")
    try FileManager.default.copyItem(atPath: share, toPath: "\(root)/share/postgresql/\(major)")
    try FileManager.default.removeItem(atPath: "\(root)/share/postgresql/\(major)/extension/\(name).control")
    for path in [root, "\(root)/lib", "\(root)/share"] { chmod(path, 0o755) }
    return (root, "\(root)/lib/postgresql/\(major)/bin")
  }
}
