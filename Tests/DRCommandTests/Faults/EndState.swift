import DRBackup
import DRCore
import DRCrypto
import DRS3
import DRTestSupport
import Foundation
import Testing

/// The end state every fault scenario must reach (issue 8): no backup listed that is not
/// complete and intact, no stray pg_dump and no scratch cluster left, `dr prune` removes
/// the debris (incomplete backups, stale multipart uploads, abandoned leases), and the
/// next `dr backup` succeeds. Each check counts what it found into the scenario's tally,
/// asserts it is zero, and the tally goes to the ledger.
struct EndState {
  let fixture: BackupFixture
  /// A text that names the scenario's database in process titles and command lines.
  var database: String
  /// dr's TMPDIR in the scenario, where a scratch cluster left behind would be.
  var temporary: String?

  init(_ fixture: BackupFixture, database: String? = nil, temporary: String? = nil) {
    self.fixture = fixture
    self.database = database ?? fixture.database
    self.temporary = temporary
  }

  /// The whole sequence; `tally` arrives with the faults injected and leaves recorded.
  func check(_ tally: FaultTally, environment: [String: String] = [:]) async throws {
    var tally = tally
    tally.listedBroken += try await listedButBroken()
    tally.scratchLeftovers += await strayProcesses().count
    tally.scratchLeftovers += await scratchLeftovers()
    try await Task.sleep(for: .milliseconds(1_100))  // Backup IDs and upload times have second precision.
    let pruned = try await fixture.run(["prune", "--incomplete-grace", "1s"], environment)
    #expect(pruned.status == 0, "prune after the fault: \(pruned.combined)")
    let incomplete = try await entries(all: true).filter { $0["complete"] as? Bool != true }
    #expect(incomplete.isEmpty, "prune left incomplete backups: \(incomplete)")
    let contents = try await fixture.bucketContents()
    tally.orphanUploads += contents.uploads
    #expect(!contents.keys.contains(fixture.layout.lockKey), "a lease is left: \(contents.keys)")
    let next = try await fixture.run(["backup", "--json"], environment)
    #expect(next.status == 0, "the backup after the fault: \(next.combined)")
    tally.listedBroken += try await listedButBroken()
    #expect(tally.listedBroken == 0)
    #expect(tally.orphanUploads == 0)
    #expect(tally.scratchLeftovers == 0)
    await FaultLedger.record(tally)
  }

  /// What `dr list --json` (or `--all`) shows.
  func entries(all: Bool = false) async throws -> [[String: Any]] { try await fixture.list(all: all) }

  /// Backups `dr list` shows as restorable that are not complete, have no readable
  /// manifest, or whose objects are missing or of another size than the manifest says.
  /// One whose verification failed is shown as such, not as restorable.
  func listedButBroken() async throws -> Int {
    var broken = 0
    // An unknown backup (its manifest could not be read) is listed as unknown, not as restorable.
    for entry in try await entries()
    where entry["verification"] as? String != "failed" && entry["state"] as? String != "unknown" {
      guard let id = entry["id"] as? String, entry["complete"] as? Bool == true,
        let objects = try await manifestObjects(id), !objects.isEmpty
      else {
        broken += 1
        continue
      }
      for object in objects {
        let head = try await fixture.client.headObject(bucket: fixture.bucket, key: object["key"] as? String ?? "")
        if head?.size != (object["size"] as? NSNumber)?.int64Value {
          broken += 1
          break
        }
      }
    }
    return broken
  }

  /// The stored dump is the bytes the manifest describes (size and SHA-256).
  func expectDumpMatchesItsManifest(_ id: String) async throws {
    let objects = try #require(try await manifestObjects(id))
    for object in objects {
      let key = try #require(object["key"] as? String)
      let bytes = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
      let digest = try await runBlocking { Digest.sha256(bytes).hex }
      #expect(digest == object["sha256"] as? String, "\(key)")
    }
  }

  func manifestObjects(_ id: String) async throws -> [[String: Any]]? {
    guard let bytes = try? await fixture.object(try fixture.manifestKey(id)) else { return nil }
    let manifest = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    return manifest?["objects"] as? [[String: Any]]
  }

  /// pg_dump, pg_restore or a server process still working for the database, after a
  /// bounded wait (a backend ends a moment after its client).
  func strayProcesses() async -> [pid_t] {
    let database = self.database
    for _ in 0..<100 {
      if await ProcessTree.scan(mentioning: database).isEmpty { return [] }
      try? await Task.sleep(for: .milliseconds(100))
    }
    let strays = await ProcessTree.scan(mentioning: database)
    Issue.record("processes left for \(database): \(strays.map { ProcessTree.arguments(of: $0) })")
    return strays
  }

  /// Scratch cluster directories in dr's TMPDIR, and server processes started there.
  func scratchLeftovers() async -> Int {
    guard let temporary else { return 0 }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
    let directories = entries.filter { $0.hasPrefix("dr-scratch-") || $0.hasPrefix("dr-restore-") }
    let servers = await ProcessTree.scan(mentioning: temporary)
    #expect(directories.isEmpty && servers.isEmpty, "left in \(temporary): \(directories), processes \(servers)")
    return directories.count + servers.count
  }
}
