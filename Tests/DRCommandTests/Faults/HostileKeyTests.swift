import DRBackup
import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Hostile object keys and backup IDs in the bucket: `../`, control characters, very
/// long names, percent-encoding tricks, a hostile verification record. list, verify,
/// restore, prune, report and s3 never act outside the policy's prefix or dr's temporary
/// directory, print no control character, and refuse hostile IDs before asking the storage.
@Suite(.scenarioGate)
struct HostileKeyTests {
  static let layout = BackupFixture.layout
  static let backups = layout.backupsPrefix
  /// A valid ID that has no manifest: an incomplete backup, whose debris prune removes.
  static let debrisID = "20200101T000000Z-7f3a"

  /// Keys that are not dr's: never listed, never deleted, never read into a path.
  static let foreign = [
    backups + "../../../etc/passwd",
    backups + "..%2F..%2Fescape/manifest.json",
    backups + "%2e%2e/manifest.json",
    backups + "\u{1B}[2J\u{07}/manifest.json",
    backups + String(repeating: "9", count: 900) + "/manifest.json",
    backups + "20200101T000000Z-7F3A/manifest.json",
    backups + "20200101T000000Z-7f3a%2F..%2F/manifest.json",
    layout.verificationsPrefix + "../../x.json",
    backups + "x/..",
    BucketLayout(prefix: BackupFixture.storagePrefix, policyName: "other-policy").backupsPrefix
      + "20200101T000000Z-aaaa/manifest.json",
    "outside-the-prefix",
  ]

  /// Backup IDs given on the command line that must be refused as usage errors.
  static let hostileIDs = [
    "../../etc", "20200101T000000Z-7f3a/../../x", "\u{1B}[2J", String(repeating: "a", count: 2_000), "%2e%2e",
    "20200101T000000Z-7f3a%2F..", "20200101T000000Z-7F3A", "",
  ]

  @Test func hostileKeysAndIDsStayOutsideEverything() async throws {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    let fixture = try await BackupFixture.make("hostile", endpoint: proxy.endpoint)
    let good = try await fixture.backup()
    for key in Self.foreign { try await plant(key, in: fixture) }
    try await fixture.client.putObject(
      bucket: fixture.bucket, key: Self.backups + "\(Self.debrisID)/../../../../outside.json", body: [1])
    try await plantHostileRecord(fixture, good: good)
    var tally = FaultTally("hostile keys and backup IDs")
    tally.badInputs = Self.foreign.count + 2 + Self.hostileIDs.count * 3

    // dr's temporary directory sits alone in a parent of its own: nothing may appear beside it.
    let parent = TemporaryDirectory.unique("dr-hostile-parent")
    let temporary = parent + "/tmp"
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    let env = ["TMPDIR": temporary]

    let listed = try await fixture.run(["list", "--all"], env)
    #expect(listed.status == 0, "\(listed.combined)")
    #expect(listed.standardOutput.contains(good) && listed.standardOutput.contains(Self.debrisID))
    #expect(listed.standardOutput.split(separator: "\n").count == 3, "header and two backups: \(listed.standardOutput)")
    let complete = try await fixture.listedIDs()
    #expect(complete == [good])

    proxy.resetCounters()
    for id in Self.hostileIDs {
      for command in [["verify", "--backup", id], ["restore", "--backup", id, "--target", "postgresql://x@h/db"]] {
        let refused = try await fixture.run(command, env)
        #expect(refused.status == 2, "\(command): \(refused.combined)")
        #expect(!refused.combined.contains("\u{1B}"), "\(command)")
      }
      let prefix = try await fixture.run(["s3", "ls", "s3://\(fixture.bucket)/\(id)"], env)
      #expect(!prefix.combined.contains("\u{1B}"))
    }
    #expect(
      proxy.seenRequests.allSatisfy { $0.method == "GET" && !$0.target.contains("backups/") },
      "hostile IDs reached the storage")

    let verified = try await fixture.run(["verify", "--json"], env)
    #expect(verified.status == 0, "\(verified.combined)")
    let incomplete = try await fixture.run(["verify", "--backup", Self.debrisID], env)
    #expect(incomplete.status == 3, "\(incomplete.combined)")
    #expect(incomplete.standardOutput.contains("no manifest"), "\(incomplete.standardOutput)")
    let target = TestDatabases.uniqueName("hostile", length: 6)
    let restored = try await fixture.run(
      ["restore", "--target", try TestServices.superuserURL(database: target), "--no-owner", "--jobs", "2"], env)
    #expect(restored.status == 0, "\(restored.combined)")
    try await expectReportsAreInert(fixture, env: env, parent: parent)
    let listing = try await fixture.run(["s3", "ls", "--recursive", "s3://\(fixture.bucket)/"], env)
    #expect(listing.status == 0 && !listing.standardOutput.contains("\u{1B}"), "\(listing.combined)")
    #expect(listing.standardOutput.contains("\\u{1B}[2J\\u{7}"), "control characters are shown escaped")
    try await expectCopyStaysInItsDirectory(fixture, parent: parent)

    try await Task.sleep(for: .milliseconds(1_100))
    let pruned = try await fixture.run(["prune", "--incomplete-grace", "1s"], env)
    #expect(pruned.status == 0, "\(pruned.combined)")
    let keys = Set(try await fixture.bucketContents().keys)
    #expect(
      Set(Self.foreign).isSubset(of: keys),
      "prune deleted keys that are not dr's: \(Set(Self.foreign).subtracting(keys))")
    #expect(!keys.contains { $0.contains(Self.debrisID + "/") }, "the incomplete backup's debris is removed")
    #expect(keys.contains { $0.contains(good) })
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["tmp"], "written beside TMPDIR")
    tally.scratchLeftovers = await EndState(fixture, temporary: temporary).scratchLeftovers()
    await TestDatabases.drop(target)
    try FileManager.default.removeItem(atPath: parent)
    await FaultLedger.record(tally)
    await fixture.remove()
  }

  /// Writes a one-byte object; keys dr's own client refuses to write (control characters)
  /// go in with the AWS CLI.
  func plant(_ key: String, in fixture: BackupFixture) async throws {
    guard key.escapingControlCharacters != key else {
      _ = try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: [0x2A])
      return
    }
    let body = fixture.directory + "/one-byte"
    try Data([0x2A]).write(to: URL(fileURLWithPath: body))
    let put = try await ProcessRunner.run(
      "/usr/bin/env", ["aws", "s3api", "put-object", "--bucket", fixture.bucket, "--key", key, "--body", body])
    #expect(put.status == 0, "aws s3api put-object: \(put.standardError)")
  }

  /// A verification record of the good backup, dated before the real one, whose failure
  /// detail carries markup and terminal control sequences.
  func plantHostileRecord(_ fixture: BackupFixture, good: String) async throws {
    let record: [String: Any] = [
      "format_version": 1, "backup": good, "policy": "backup-test", "started_at": "2000-01-01T00:00:00.000Z",
      "finished_at": "2000-01-01T00:00:01.000Z", "outcome": "failed",
      "phases": ["download": 0, "decompress": 0, "restore": 0, "checks": 0],
      "failures": [
        [
          "kind": "restore", "subject": "<b>x</b>",
          "detail": "<script>alert(1)</script>\u{1B}[2J\u{1B}]0;owned\u{07} | # *",
        ]
      ],
      "scratch": "local", "restored_into": "", "tables_compared": 0, "checks_run": 0, "downloaded_bytes": 0,
      "restored_bytes": 0, "tool_version": "0",
    ]
    let body = try JSONSerialization.data(withJSONObject: record)
    try await fixture.client.putObject(
      bucket: fixture.bucket, key: Self.layout.verificationsPrefix + "\(good)/20000101T000000Z.json", body: Array(body))
  }

  func expectReportsAreInert(_ fixture: BackupFixture, env: [String: String], parent: String) async throws {
    for format in ["md", "html", "json"] {
      let report = try await fixture.run(["report", "--format", format, "--publish"], env)
      #expect(report.status == 0, "\(format): \(report.combined)")
      #expect(!report.standardOutput.contains("\u{1B}") && !report.standardOutput.contains("\u{07}"), "\(format)")
      #expect(report.standardOutput.contains("alert(1)"), "\(format): the hostile record is reported")
      // HTML escapes markup; Markdown shows it only inside a code span, where it is text.
      if format == "html" { #expect(!report.standardOutput.contains("<script>"), "markup not escaped") }
      if format == "md" {
        #expect(report.standardOutput.contains("`<script>alert(1)</script>"), "markup outside a code span")
      }
    }
    let reports = try await fixture.client.listAllObjects(bucket: fixture.bucket, prefix: Self.layout.reportsPrefix)
    #expect(reports.count >= 3)
  }

  /// `dr s3 cp` of a key named `..` into a directory writes nothing outside it.
  func expectCopyStaysInItsDirectory(_ fixture: BackupFixture, parent: String) async throws {
    let directory = parent + "/tmp/copy"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let copy = try await fixture.run(["s3", "cp", "s3://\(fixture.bucket)/\(Self.backups)x/..", directory])
    #expect(copy.status == 2, "\(copy.combined)")
    #expect(copy.standardError.contains("cannot name a file"), "\(copy.standardError)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent + "/tmp") == ["copy"])
    try FileManager.default.removeItem(atPath: directory)
  }
}
