import DRCore
import DRPostgres
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `database.databases: [...]` on the shared server, encrypted and copied in the same
/// pass: the databases in the listed order, each dump named after its database (one
/// with a space, a slash and a dot in its name), `dr show` human and `--json`, a
/// verification running a check in the database it names, and `dr restore --target`
/// refusing without `--database` and restoring the one named.
@Suite(.scenarioGate)
struct MultiDatabaseListTests {
  struct Setup {
    let fixture: BackupFixture
    let names: [String]
    let copyBucket: String
    let keyID: String

    var billing: String { names[1] }
    var odd: String { names[2] }

    func remove() async {
      for name in names.dropFirst() { await TestDatabases.drop(name) }
      await TestS3.remove(fixture.client, copyBucket)
      await fixture.remove()
    }
  }

  /// The fixture's database, `…_billing` (300 invoices, its own `work_mem`) and
  /// `… Odd/Name.v2` (42 notes); an encrypted policy listing them, with a copy.
  static func setUp(_ label: String) async throws -> Setup {
    let fixture = try await BackupFixture.make(label, compression: BackupFixture.quickCompression)
    let names = [fixture.database, fixture.database + "_billing", fixture.database + " Odd/Name.v2"]
    try await MultiDatabase.make(
      names[1],
      sql: "CREATE SCHEMA billing; CREATE TABLE billing.invoices AS SELECT n FROM generate_series(1, 300) n;")
    _ = try await PGConnection.connect(try TestServices.superuserURL()).query(
      "ALTER DATABASE \(names[1]) SET work_mem = '5MB'")
    try await MultiDatabase.make(names[2], sql: "CREATE TABLE notes AS SELECT n FROM generate_series(1, 42) n;")
    let copyBucket = fixture.bucket + "-copy"
    try await fixture.client.createBucket(copyBucket)
    let (_, keyID) = try await EncryptionFixture.generate("\(fixture.directory)/backup.key")
    let endpoint = try TestServices.s3Endpoint()
    let policy = """
      name: \(BackupFixture.policyName)
      database: {url: "\(try fixture.userURL())", databases: \(MultiDatabase.yamlList(names))}
      storage:
        url: "s3://\(fixture.bucket)/\(BackupFixture.storagePrefix)"
        endpoint: "\(endpoint)"
        region: us-east-1
        copies: [{url: "s3://\(copyBucket)/\(BackupFixture.storagePrefix)"}]
      backup:
        compression: \(BackupFixture.quickCompression)
        globals: true
        encryption: {key_file: "\(fixture.directory)/backup.key"}
      verify:
        checks:
          - {name: orders exist, sql: "SELECT count(*) = 2000 FROM sales.orders"}
          - {name: invoices, sql: "SELECT count(*) = 300 FROM billing.invoices", database: "\(names[1])"}

      """
    try policy.write(toFile: fixture.policyFile, atomically: true, encoding: .utf8)
    return Setup(fixture: fixture, names: names, copyBucket: copyBucket, keyID: keyID)
  }

  /// Injected: nothing. Asserted: the backup's databases in the listed order, its objects
  /// named after them (the odd name percent-encoded into one plain file name), the same
  /// objects in the copy; `dr list` shows them; `dr show --json` has every table with its
  /// rows, each object's size and SHA-256 as the manifest has them, the key ID, the copy
  /// complete and no verification; after `dr verify` (a check run in billing), `dr show`
  /// for people lists the databases, their tables, the copy and the passed verification.
  @Test func listedDatabasesAreBackedUpShownAndVerified() async throws {
    let setup = try await Self.setUp("multilist")
    let fixture = setup.fixture
    let backedUp = try await fixture.run(["backup", "--json"])
    let id = try BackupFixture.backupID(of: backedUp)
    let result = try backedUp.jsonObject()
    #expect(result["databases"] as? [String] == setup.names)
    #expect(result["encryption_key_id"] as? String == setup.keyID)
    let manifest = try await MultiDatabase.manifest(fixture, id)
    let files = MultiDatabase.objectNames(in: manifest)
    let oddFile = "dump-" + fixture.database + "%20Odd%2FName%2Ev2.pgc.bz2.enc"
    #expect(files.contains(oddFile), "\(files)")
    #expect(files.contains("dump-\(setup.billing).pgc.bz2.enc"), "\(files)")
    let copied = try await fixture.client.listAllObjects(bucket: setup.copyBucket).map(\.key)
    #expect(Set(copied.compactMap { $0.split(separator: "/").last.map(String.init) }) == Set(files + ["manifest.json"]))
    let listed = try await fixture.list().first { $0["id"] as? String == id }
    #expect(listed?["databases"] as? [String] == setup.names)
    let table = try await fixture.run(["list"])
    // The column holds about 60 characters: the first two names fit, the third is counted.
    let row = "\(setup.names[0]), \(setup.billing), …(+1)"
    #expect(table.standardOutput.contains("DATABASES") && table.standardOutput.contains(row), "\(table)")
    try await Self.expectShown(setup, id: id, manifest: manifest)
    let verified = try await fixture.run(["verify", "--backup", id])
    #expect(verified.status == 0, "\(verified.combined)")
    let shown = try await fixture.run(["show", id])
    #expect(shown.status == 0, "\(shown.combined)")
    for text in [
      "database \(setup.billing)", "billing.invoices", "300 rows", "database \(setup.odd)", "public.notes",
      "42 rows", "sales.orders", "2000 rows", "copy-1: complete", "verifications (passed)", "key ID \(setup.keyID)",
    ] {
      #expect(shown.standardOutput.contains(text), "\(text) in \(shown.standardOutput)")
    }
    await setup.remove()
  }

  /// `dr show --json` of `id` against its manifest.
  static func expectShown(_ setup: Setup, id: String, manifest: [String: Any]) async throws {
    let shown = try await setup.fixture.run(["show", id, "--json"])
    let details = try shown.jsonObject()
    #expect(details["id"] as? String == id)
    let databases = details["databases"] as? [[String: Any]] ?? []
    #expect(databases.map { $0["name"] as? String } == setup.names)
    let billing = databases.first { $0["name"] as? String == setup.billing }
    let tables = billing?["tables"] as? [[String: Any]] ?? []
    #expect(
      tables.count == 1 && tables.first?["table"] as? String == "invoices" && tables.first?["rows"] as? Int == 300)
    let objects = details["objects"] as? [[String: Any]] ?? []
    let stored = manifest["objects"] as? [[String: Any]] ?? []
    #expect(objects.count == stored.count && objects.count == 4)
    for object in stored {
      let shownObject = objects.first { $0["key"] as? String == object["key"] as? String }
      #expect(shownObject?["sha256"] as? String == object["sha256"] as? String)
      #expect(shownObject?["size_bytes"] as? Int == object["size"] as? Int)
    }
    #expect((details["encryption"] as? [String: Any])?["key_id"] as? String == setup.keyID)
    let copies = details["copies"] as? [[String: Any]] ?? []
    #expect(copies.count == 1 && copies.first?["destination"] as? String == "copy-1")
    #expect(copies.first?["state"] as? String == "complete")
    #expect(details["verification"] as? String == "none")
    #expect((details["verifications"] as? [Any])?.isEmpty == true)
    let server = details["server"] as? [String: Any]
    #expect((server?["version"] as? String)?.hasPrefix("15") == true, "\(String(describing: server))")
    #expect((details["pg_dump"] as? [String: Any])?["major_version"] as? Int == 15)
  }

  /// Injected: a restore of the backup of three databases into a database holding a table
  /// of its own, without `--database`, then naming a database the backup lacks. Asserted:
  /// exit 2 each time (also for `--dry-run`), the message lists the three databases, the
  /// target keeps its 123 rows. A dry run of `--database billing` into a new database finds
  /// nothing that stops it; the restore then exits 0, its 300 invoices there,
  /// and billing's own setting (sealed in the manifest under its name) applied.
  @Test func aRestoreNeedsTheDatabaseNamedAndRestoresThatOne() async throws {
    let setup = try await Self.setUp("multirestore")
    let fixture = setup.fixture
    let id = try await fixture.backup()
    let (kept, keptURL) = try await TestDatabases.create("multikept", sql: TestDatabases.preciousTable)
    for extra in [[], ["--database", "dr_no_such_database"], ["--dry-run"]] {
      let refused = try await fixture.run(["restore", "--target", keptURL, "--backup", id, "--clean", "--yes"] + extra)
      #expect(refused.status == 2, "\(refused.combined)")
      for name in setup.names { #expect(refused.standardError.contains(name), "\(name): \(refused.standardError)") }
      #expect(try await TestDatabases.rows(keptURL, "precious") == 123)
    }
    let target = TestDatabases.uniqueName("multibilling")
    let looked = try await fixture.run(
      [
        "--json", "restore", "--target", try TestServices.superuserURL(database: target), "--backup", id, "--database",
        setup.billing, "--dry-run",
      ])
    #expect(looked.status == 0, "\(looked.combined)")
    #expect(looked.standardOutput.contains("\"findings\""), "\(looked.standardOutput)")
    let restored = try await fixture.run(
      [
        "restore", "--target", try TestServices.superuserURL(database: target), "--backup", id, "--database",
        setup.billing,
      ])
    #expect(restored.status == 0, "\(restored.combined)")
    let url = try TestServices.superuserURL(database: target)
    #expect(try await TestDatabases.rows(url, "billing.invoices") == 300)
    #expect(try await TestDatabases.value(url, "SELECT to_regclass('sales.orders') IS NULL") == "t", "billing alone")
    #expect(try await TestDatabases.value(url, "SHOW work_mem") == "5MB", "billing's own setting")
    await TestDatabases.drop(target)
    await TestDatabases.drop(kept)
    await setup.remove()
  }
}
