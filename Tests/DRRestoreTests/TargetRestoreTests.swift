import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRRestore
import DRTestSupport
import Foundation
import Logging
import Testing

/// `Restorer` and `TargetRestore` below the binary, against the real PostgreSQL and RGW,
/// with a backup of the fixture made by `BackupRunner`: into a new database (streamed, and
/// through a file with two jobs), and over a non-empty database through a side database.
struct TargetRestoreTests {
  /// A fixture, its policy, the catalogue of its bucket and the manifest of one backup.
  func backedUp(_ label: String) async throws -> (BackupFixture, Policy, Catalogue, BackupManifest) {
    let fixture = try await BackupFixture.make(label)
    try fixture.writeLibraryPolicy()
    let policy = try fixture.policy()
    let id = try await fixture.backUp(policy).id
    let catalogue = try await fixture.catalogue(policy)
    return (fixture, policy, catalogue, try await catalogue.manifest(of: id))
  }

  func target(_ name: String) throws -> PostgresURL {
    try #require(PostgresURL(try TestServices.superuserURL(database: name)))
  }

  /// Asserted: the restore made the database (it did not exist), replaced nothing, and every
  /// table holds the rows the manifest counted in the dump's snapshot.
  @Test func aBackupRestoresIntoANewDatabaseWithTheManifestsRowCounts() async throws {
    let (fixture, policy, catalogue, manifest) = try await backedUp("libtarget")
    let name = TestDatabases.uniqueName("libtarget_new")
    let restore = TargetRestore(
      catalogue: catalogue, environment: try fixture.environment(), keys: KeyRing(policy: policy))
    let prepared = try await restore.prepare(.latest, target: try target(name))
    #expect(prepared.manifest.id == manifest.id)
    #expect(prepared.replacedObjects == nil)
    #expect(!(try await TestDatabases.exists(name)), "prepare changes nothing")
    let result = try await restore.run(prepared, mode: .stream, replace: false, noOwner: true)
    #expect(result.id == manifest.id.rawValue)
    #expect(result.outcome == "restored")
    #expect(!result.replaced)
    let url = try TestServices.superuserURL(database: name)
    #expect(try await TestDatabases.rowCountDifferences(manifest, in: url).isEmpty)
    #expect(try await TestDatabases.rows(url, "sales.orders") == 2_000)
    #expect(manifest.rowCounts.tables.count == 6)
    await TestDatabases.drop(name)
    await fixture.remove()
  }

  /// `Restorer` alone, the way `dr restore --jobs 2` goes: the dump written to a temporary
  /// file, then `pg_restore -j 2`. Asserted: the row counts, the bytes downloaded are the
  /// stored dump's, and the temporary file is gone.
  @Test func theRestorerLoadsADumpThroughAFileWithTwoJobs() async throws {
    let (fixture, _, catalogue, manifest) = try await backedUp("librestorer")
    let (name, url) = try await TestDatabases.create("librestorer_file")
    let environment = try fixture.environment()
    let tool = try await PGToolLocator(environment: environment).locate("pg_restore", forServerMajor: 15)
    let restorer = Restorer(
      fetcher: ObjectFetcher(client: catalogue.client, bucket: catalogue.bucket), manifest: manifest,
      bindir: (tool.path as NSString).deletingLastPathComponent, environment: environment)
    let temporary = TemporaryDirectory.unique("dr-librestorer-tmp")
    let (connection, password) = try target(name).withoutPassword
    let timings = try await restorer.restoreDump(
      into: connection, password: password,
      options: .init(mode: .file(jobs: 2), noOwner: true, temporaryDirectory: temporary))
    #expect(timings.bytesDownloaded == manifest.object(.dump)?.size)
    #expect(timings.bytesRestored > 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "the dump file is left")
    #expect(try await TestDatabases.rowCountDifferences(manifest, in: url).isEmpty)
    #expect(try await TestDatabases.rows(url, "\"Audit Log\".\"Events\"") == 500)
    await TestDatabases.drop(name)
    try? FileManager.default.removeItem(atPath: temporary)
    await fixture.remove()
  }

  /// Injected: a target database holding a table of its own (123 rows). Asserted: without
  /// `replace` the run is refused before anything is made beside it, and the rows stay;
  /// with it, the backup goes into a side database that then takes the target's name, the
  /// old data is dropped (no side or replaced database is left), and the counts match.
  @Test func aNonEmptyTargetIsReplacedThroughASideDatabaseOnlyWhenAsked() async throws {
    let (fixture, policy, catalogue, manifest) = try await backedUp("libreplace")
    let (name, url) = try await TestDatabases.create("libreplace_target", sql: TestDatabases.preciousTable)
    let log = LogCapture(level: .info)
    let restore = TargetRestore(
      catalogue: catalogue, environment: try fixture.environment(), keys: KeyRing(policy: policy), logger: log.logger)
    let prepared = try await restore.prepare(.latest, target: try target(name))
    #expect(prepared.replacedObjects == 1)

    let refused = await #expect(throws: RestoreError.self) {
      try await restore.run(prepared, mode: .stream, replace: false, noOwner: true)
    }
    #expect(refused?.code == .target)
    #expect(refused?.message.contains("is not empty (1 objects)") == true, "\(String(describing: refused))")
    #expect(try await TestDatabases.rows(url, "precious") == 123)
    #expect(TestDatabases.named("dr_restore_", in: log.messages.joined(separator: "\n")) == nil, "a side was made")

    let result = try await restore.run(prepared, mode: .stream, replace: true, noOwner: true)
    #expect(result.replaced)
    #expect(try await TestDatabases.rowCountDifferences(manifest, in: url).isEmpty)
    #expect(try await TestDatabases.value(url, "SELECT to_regclass('public.precious') IS NULL") == "t")
    let said = log.messages.joined(separator: "\n")
    let side = try #require(TestDatabases.named("dr_restore_", in: said), "\(said)")
    let replaced = try #require(TestDatabases.named("dr_replaced_", in: said), "\(said)")
    #expect(!(try await TestDatabases.exists(side)), "the side database now has the target's name")
    #expect(!(try await TestDatabases.exists(replaced)), "the replaced data is dropped once the new copy is in")
    await TestDatabases.drop(name)
    await fixture.remove()
  }
}
