import DRBackup
import DRPolicy
import DRTestSupport
import DRVerify
import Foundation
import Logging
import Testing

/// `Verifier` below the binary, against the real PostgreSQL and RGW: a backup of the
/// fixture made by `BackupRunner`, test-restored into a local scratch cluster, and the
/// verification record it writes to the bucket.
struct VerifierTests {
  /// A fixture whose policy checks the orders, its policy, and one backup of it.
  func backedUp(_ label: String) async throws -> (BackupFixture, Policy, BackupID) {
    let fixture = try await BackupFixture.make(label)
    try fixture.writeLibraryPolicy(extra: BackupFixture.ordersCheck)
    let policy = try fixture.policy()
    return (fixture, policy, try await fixture.backUp(policy).id)
  }

  /// A verifier of the policy that logs at debug level into `log`.
  func verifier(_ fixture: BackupFixture, _ policy: Policy, log: LogCapture) async throws -> Verifier {
    Verifier(
      policy: policy, storage: try await fixture.storage(policy), environment: try fixture.environment(),
      logger: log.logger)
  }

  /// The scratch cluster's directory, as the verification logged it.
  func scratchDirectory(_ log: LogCapture) -> String? {
    for message in log.messages {
      if let range = message.range(of: " ready in ") { return String(message[range.upperBound...]) }
    }
    return nil
  }

  /// The records stored for `id` in the bucket, as the catalogue reads them.
  func stored(_ verifier: Verifier, _ id: BackupID) async throws -> [VerificationRecord] {
    try await verifier.catalogue.verifications(latestOnly: false)[id] ?? []
  }

  /// Asserted: the record passes with every table compared and the policy's check run, the
  /// scratch cluster is gone, the bucket holds the same record, and the catalogue lists the
  /// backup as verified.
  @Test func aFixtureBackupPassesAndItsRecordIsWritten() async throws {
    let (fixture, policy, id) = try await backedUp("libverifyok")
    let log = LogCapture(level: .debug)
    let verifier = try await verifier(fixture, policy, log: log)
    let record = try await verifier.verify(id)
    #expect(record.outcome == .passed, "\(record.failures)")
    #expect(record.failures.isEmpty)
    #expect(record.backup == id)
    #expect(record.policy == BackupFixture.policyName)
    #expect(record.tablesCompared == 6)
    #expect(record.checksRun == 1)
    #expect(record.scratch == "local")
    #expect(record.restoredInto.hasPrefix("15"), "\(record.restoredInto)")
    let scratch = try #require(scratchDirectory(log), "\(log.messages)")
    #expect(!FileManager.default.fileExists(atPath: scratch), "the scratch cluster \(scratch) is left")

    let records = try await stored(verifier, id)
    #expect(records.count == 1)
    #expect(records.first?.outcome == .passed)
    #expect(records.first?.tablesCompared == 6)
    #expect(try await fixture.keys(under: fixture.layout.verificationsPrefix + id.rawValue + "/").count == 1)
    let entry = try await verifier.catalogue.entries().first { $0.id == id }
    #expect(entry?.verification == "passed")
    await fixture.remove()
  }

  /// Injected: the manifest says sales.orders has 1999 rows (2000 were dumped). Asserted:
  /// the record fails on exactly that table, saying both numbers; the bucket holds that
  /// failed record, the catalogue lists the backup as failed, and the scratch cluster is gone.
  @Test func aManifestWhoseRowCountLiesFailsAndTheRecordSaysWhere() async throws {
    let (fixture, policy, id) = try await backedUp("libverifylie")
    let key = fixture.layout.manifestKey(id)
    let manifest = String(decoding: try await fixture.object(key), as: UTF8.self)
    let lying = manifest.replacingOccurrences(of: "\"rows\" : 2000", with: "\"rows\" : 1999")
    try #require(lying != manifest, "the manifest does not count 2000 rows: \(manifest)")
    try await fixture.replace(key, with: Array(lying.utf8))

    let log = LogCapture(level: .debug)
    let verifier = try await verifier(fixture, policy, log: log)
    let record = try await verifier.verify(id)
    let failure = VerificationRecord.Failure(
      kind: "row_count", subject: "sales.orders", detail: "1999 rows in the manifest, 2000 restored")
    #expect(record.outcome == .failed)
    #expect(record.failures == [failure])
    let scratch = try #require(scratchDirectory(log), "\(log.messages)")
    #expect(!FileManager.default.fileExists(atPath: scratch), "the scratch cluster \(scratch) is left")

    let records = try await stored(verifier, id)
    #expect(records.count == 1)
    #expect(records.first?.outcome == .failed)
    #expect(records.first?.failures == [failure])
    let entry = try await verifier.catalogue.entries().first { $0.id == id }
    #expect(entry?.verification == "failed")
    await fixture.remove()
  }
}
