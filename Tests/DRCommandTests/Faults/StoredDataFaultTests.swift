import DRBackup
import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Stored-data faults: what the bucket holds no longer matches what was backed up, or
/// lies about it. `dr verify` fails it (exit 3) with the reason and records it, `dr
/// restore` refuses it and leaves no database behind, a broken manifest is never listed as
/// restorable (it is listed as unknown, and prune keeps it and says so: nothing is deleted
/// on a manifest dr cannot read), a failed backup is never restored by default, and the
/// next backup is good again.
@Suite(.scenarioGate)
struct StoredDataFaultTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let label: String
    /// Breaks the backup `id`; returns the ID to verify and restore (a fake one may be made).
    let breakIt: @Sendable (BackupFixture, String) async throws -> String
    /// Still listed as complete (the manifest reads, its keys are the backup's); otherwise
    /// listed as unknown.
    let listed: Bool
    let reason: String
    /// Whether `dr restore --no-owner` meets the fault (it skips the globals).
    var restoreMeetsIt = true
    var testDescription: String { label }
  }

  static let cases: [Case] = [
    Case(
      label: "manifest lies about the SHA-256",
      breakIt: editManifest { $0["sha256"] = String(repeating: "0", count: 64) },
      listed: true, reason: "does not match its SHA-256"),
    Case(
      label: "manifest lies about the size", breakIt: editManifest { $0["size"] = (($0["size"] as? Int) ?? 0) + 1 },
      listed: true, reason: "the manifest says"),
    Case(
      label: "truncated dump", breakIt: editDump { Array($0.prefix($0.count / 2)) }, listed: true,
      reason: "the manifest says"),
    Case(
      label: "dump missing",
      breakIt: { fixture, id in
        try await fixture.client.deleteObject(bucket: fixture.bucket, key: try fixture.dumpKey(id))
        return id
      }, listed: true, reason: "missing from the bucket"),
    Case(
      label: "flipped byte in the globals",
      breakIt: editObject("globals.sql.bz2") { bytes in
        var bytes = bytes
        bytes[bytes.count / 2] ^= 0x20
        return bytes
      }, listed: true, reason: "globals.sql.bz2", restoreMeetsIt: false),
    Case(
      label: "manifest names a key outside the backup",
      breakIt: editManifest { $0["key"] = BackupFixture.layout.backupsPrefix + "x/../../../elsewhere/dump.pgc.bz2" },
      listed: false, reason: "outside the backup"),
    Case(
      label: "manifest names a key with control characters",
      breakIt: { fixture, id in
        let hostile = try fixture.key(id, "dump\u{1B}[2J.pgc.bz2")
        return try await editManifest { $0["key"] = hostile }(fixture, id)
      },
      listed: false, reason: "outside the backup"),
    Case(
      label: "manifest is not JSON",
      breakIt: { fixture, id in
        try await fixture.replace(try fixture.manifestKey(id), with: Array("{not json".utf8))
        return id
      }, listed: false, reason: "cannot be read"),
    Case(
      label: "another backup's manifest",
      breakIt: { fixture, id in
        let other = "20200101T000000Z-0bad"
        let manifest = try await fixture.object(try fixture.manifestKey(id))
        try await fixture.replace(try fixture.manifestKey(other), with: manifest)
        return other
      }, listed: false, reason: "outside the backup"),
  ]

  @Test(arguments: cases)
  func aBrokenBackupIsFailedRefusedAndNeverTheDefault(_ testCase: Case) async throws {
    let fixture = try await BackupFixture.make("stored")
    let good = try await fixture.backup()
    let id = try await testCase.breakIt(fixture, good)
    let state = EndState(fixture)
    let entry = try await state.entries().first { $0["id"] as? String == id }
    #expect((entry?["complete"] as? Bool == true) == testCase.listed, "\(String(describing: entry))")
    if !testCase.listed { #expect(entry?["state"] as? String == "unknown", "\(String(describing: entry))") }

    let temporary = TemporaryDirectory.unique("dr-stored-tmp")
    let verified = try await fixture.run(["verify", "--backup", id], ["TMPDIR": temporary])
    #expect(verified.status == 3, "\(verified.combined)")
    #expect(verified.standardOutput.contains("FAILED"), "\(verified.standardOutput)")
    #expect(verified.standardOutput.contains(testCase.reason), "\(verified.standardOutput)")
    #expect(!verified.standardOutput.contains("\u{1B}"), "control characters reach the terminal")
    var tally = FaultTally("stored data: \(testCase.label)")
    tally.faults = 1
    tally.scratchLeftovers += await EndState(fixture, temporary: temporary).scratchLeftovers()

    if testCase.restoreMeetsIt {
      let target = TestDatabases.uniqueName("stored", length: 6)
      let restore = try await fixture.run(
        ["restore", "--target", try TestServices.superuserURL(database: target), "--backup", id, "--no-owner"])
      #expect(restore.status == 1, "\(restore.combined)")
      #expect(restore.standardError.contains(testCase.reason), "\(restore.standardError)")
      tally.scratchLeftovers += try await databaseCount(target)
    }
    if testCase.listed {
      // Known bad now: the default restore refuses it rather than restore it.
      let target = TestDatabases.uniqueName("stored", length: 6)
      let latest = try await fixture.run(
        ["restore", "--target", try TestServices.superuserURL(database: target), "--no-owner"])
      #expect(latest.status == 1, "\(latest.combined)")
      #expect(latest.standardError.contains("failed their verification"), "\(latest.standardError)")
      tally.scratchLeftovers += try await databaseCount(target)
    }
    if !testCase.listed {
      // Unknown, not incomplete: prune keeps it and says why. Its removal is a person's call.
      let before = try await fixture.bucketContents().keys
      let pruned = try await fixture.run(["prune", "--incomplete-grace", "1s"])
      #expect(pruned.status == 1, "\(pruned.combined)")
      #expect(pruned.standardOutput.contains("UNKNOWN \(id)"), "\(pruned.standardOutput)")
      let after = try await fixture.bucketContents().keys
      tally.destroyed = Set(before).subtracting(after).count
      #expect(tally.destroyed == 0)
      let broken = try await fixture.keys(under: try fixture.key(id, ""))
      _ = try await fixture.client.deleteObjects(bucket: fixture.bucket, keys: broken)
    }
    try await state.check(tally)
    try FileManager.default.removeItem(atPath: temporary)
    await fixture.remove()
  }

  func databaseCount(_ name: String) async throws -> Int {
    let left = try await TestDatabases.exists(name)
    #expect(!left, "database \(name) is left")
    return left ? 1 : 0
  }

  /// Rewrites the dump's entry in the manifest.
  static func editManifest(_ change: @escaping @Sendable (inout [String: Any]) -> Void)
    -> @Sendable (BackupFixture, String) async throws -> String
  {
    { fixture, id in
      let bytes = try await fixture.object(try fixture.manifestKey(id))
      var manifest = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
      var objects = try #require(manifest["objects"] as? [[String: Any]])
      let index = try #require(objects.firstIndex { $0["role"] as? String == "dump" })
      change(&objects[index])
      manifest["objects"] = objects
      let edited = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
      try await fixture.replace(try fixture.manifestKey(id), with: Array(edited))
      return id
    }
  }

  static func editDump(_ change: @escaping @Sendable ([UInt8]) -> [UInt8])
    -> @Sendable (BackupFixture, String)
    async throws -> String
  { editObject("dump.pgc.bz2", change) }

  static func editObject(_ name: String, _ change: @escaping @Sendable ([UInt8]) -> [UInt8])
    -> @Sendable (BackupFixture, String) async throws -> String
  {
    { fixture, id in
      let key = try fixture.key(id, name)
      try await fixture.replace(key, with: change(try await fixture.object(key)))
      return id
    }
  }
}
