import DRBackup
import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Copies in storage only the spare credentials control: production's bucket and the
/// spare user's own bucket, each reachable by one user only; `dr copy` fills the gaps,
/// and the failover drill runs from the copy with production's keys out of the picture.
struct CopyCommandTests {
  struct Pair {
    let fixture: BackupFixture
    let spare: S3Client
    let spareBucket: String
    /// The copy's prefix in the spare bucket, and where the policy's objects live there.
    static let prefix = "offsite/"
    let layout = BucketLayout(prefix: Pair.prefix, policyName: BackupFixture.policyName)

    func remove() async {
      await TestS3.remove(spare, spareBucket)
      await fixture.remove()
    }

    func spareKeys(_ prefix: String) async throws -> [String] {
      try await spare.listAllObjects(bucket: spareBucket, prefix: prefix).map(\.key)
    }
  }

  func pair(_ label: String, backup: String = BackupFixture.defaultBackup) async throws -> Pair {
    let fixture = try await BackupFixture.make(label)
    let spare = try TestS3.client(.spare)
    let spareBucket = fixture.bucket + "-spare"
    try await spare.createBucket(spareBucket)
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(),
      extra: """
        stack:
          postgresql: {port: 55999}
        environments:
          failover:
            credentials: {access_key_id: "${DR_TEST_SPARE_ACCESS_KEY_ID}", secret_access_key: "${DR_TEST_SPARE_SECRET_ACCESS_KEY}"}
            storage: {url: "s3://\(spareBucket)/\(Pair.prefix)"}

        """, backup: backup)
    return Pair(fixture: fixture, spare: spare, spareBucket: spareBucket)
  }

  @Test func copyFillsTheGapsByteForByteAndEachSideKeepsItsOwnBucket() async throws {
    let pair = try await pair("copy")
    let fixture = pair.fixture
    #expect(try await fixture.run(["backup", "--no-copies"]).status == 0)
    let first = try await fixture.run(["copy"])
    #expect(first.status == 0, "\(first.combined)")
    #expect(first.standardOutput.contains("failover: "), "\(first.standardOutput)")
    #expect(try await fixture.run(["backup", "--no-copies"]).status == 0)
    let second = try await fixture.run(["copy", "--json"])
    #expect(second.status == 0, "\(second.combined)")
    let lines = try second.jsonArray()
    #expect(lines.count == 1, "only the new backup is copied: \(second.standardOutput)")
    let third = try await fixture.run(["copy"])
    #expect(third.standardOutput.contains("nothing to copy"), "\(third.standardOutput)")

    // Both backups are in the copy, each object byte-identical to production's.
    let production = try await fixture.client.listAllObjects(
      bucket: fixture.bucket, prefix: fixture.layout.backupsPrefix)
    let copied = try await pair.spareKeys(pair.layout.backupsPrefix)
    #expect(copied.filter { $0.hasSuffix("manifest.json") }.count == 2, "\(copied)")
    for object in production where object.key.contains("/dump.") {
      let name = object.key.replacingOccurrences(of: fixture.layout.root, with: pair.layout.root)
      let original = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: object.key)
      let copy = try await pair.spare.getObjectBytes(bucket: pair.spareBucket, key: name)
      #expect(original == copy, "\(name) differs from \(object.key)")
    }
    // Production's keys cannot touch the spare bucket, nor the spare keys production's.
    await #expect(throws: S3Error.self) {
      _ = try await fixture.client.listObjects(bucket: pair.spareBucket, prefix: "")
    }
    await #expect(throws: S3Error.self) {
      _ = try await pair.spare.listObjects(bucket: fixture.bucket, prefix: "")
    }
    await #expect(throws: S3Error.self) {
      _ = try await fixture.client.putObject(bucket: pair.spareBucket, key: Pair.prefix + "intruder", body: [1])
    }
    await #expect(throws: S3Error.self) {
      _ = try await pair.spare.putObject(
        bucket: fixture.bucket, key: BackupFixture.storagePrefix + "intruder", body: [1])
    }
    await #expect(throws: S3Error.self) {
      _ = try await fixture.client.getObjectBytes(bucket: pair.spareBucket, key: copied[0])
    }
    await pair.remove()
  }

  /// dr with the spare keys only: production's are taken out of the environment.
  func spareOnly(_ fixture: BackupFixture, _ arguments: [String]) async throws -> DRBinary.Result {
    try await DRBinary.run(
      arguments + ["--policy", fixture.policyFile], environment: try BackupFixture.spareKeysOnly())
  }

  @Test func theFailoverSideListsChecksAndVerifiesFromItsCopy() async throws {
    let pair = try await pair("copyenv")
    let fixture = pair.fixture
    #expect(try await fixture.run(["backup", "--no-copies"]).status == 0)
    #expect(try await fixture.run(["copy"]).status == 0)
    #expect(try await fixture.run(["backup", "--no-copies"]).status == 0)
    // The copy is behind production: check --env says so and what to run.
    let behind = try await fixture.run(["check", "--env", "failover", "--json"])
    #expect(behind.status == 1)
    #expect(behind.standardOutput.contains("lacks production's newest backup"), "\(behind.standardOutput)")
    #expect(behind.standardOutput.contains("dr copy --to failover"))
    #expect(try await fixture.run(["copy"]).status == 0)
    let caughtUp = try await fixture.run(["check", "--env", "failover", "--json"])
    #expect(caughtUp.standardOutput.contains("holds production's newest backup"), "\(caughtUp.standardOutput)")

    // A verification made after the copy follows it there.
    #expect(try await fixture.run(["verify"]).status == 0)
    let synced = try await fixture.run(["copy"])
    #expect(synced.standardOutput.contains("1 verification records copied"), "\(synced.standardOutput)")
    let listed = try await spareOnly(fixture, ["list", "--env", "failover", "--json"])
    #expect(listed.status == 0, "\(listed.combined)")
    let entries = try listed.jsonArray()
    #expect(entries.count == 2)
    #expect(entries.first?["verification"] as? String == "passed", "\(listed.standardOutput)")
    let verified = try await spareOnly(fixture, ["verify", "--env", "failover", "--json"])
    #expect(verified.status == 0, "\(verified.combined)")
    let plan = try await spareOnly(fixture, ["plan", "--env", "failover"])
    #expect(plan.standardOutput.contains("s3://\(pair.spareBucket)/\(Pair.prefix)"), "\(plan.combined)")
    // A drill from the copy alone: PostgreSQL rebuilt and the backup restored and counted.
    let state = TemporaryDirectory.unique("dr-copy-drill")
    let drill = try await DRBinary.run(
      ["drill", "--env", "failover", "--json", "--policy", fixture.policyFile],
      environment: try BackupFixture.spareKeysOnly(["DR_STATE_DIR": state]))
    #expect(drill.status == 0, "\(drill.combined)")
    #expect(try drill.jsonObject()["outcome"] as? String == "completed", "\(drill.standardOutput)")
    try? FileManager.default.removeItem(atPath: state)
    // The verification was recorded in the copy, not in production's bucket.
    #expect(try await pair.spareKeys(pair.layout.verificationsPrefix).count == 2)
    await pair.remove()
  }

  @Test func oneBackupWritesBothStoragesInOnePass() async throws {
    let pair = try await pair("onepass")
    let fixture = pair.fixture
    let backup = try await fixture.run(["backup", "--json"])
    #expect(backup.status == 0, "\(backup.combined)")
    let copies = try backup.jsonObject()["copies"] as? [[String: Any]]
    #expect(copies?.count == 1 && copies?.first?["outcome"] as? String == "complete", "\(backup.standardOutput)")
    let production = try await fixture.client.listAllObjects(
      bucket: fixture.bucket, prefix: fixture.layout.backupsPrefix)
    let copied = try await pair.spareKeys(pair.layout.backupsPrefix)
    #expect(copied.count == production.count, "\(copied)")
    for object in production where !object.key.hasSuffix("manifest.json") {
      let name = object.key.replacingOccurrences(of: fixture.layout.root, with: pair.layout.root)
      let original = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: object.key)
      #expect(try await pair.spare.getObjectBytes(bucket: pair.spareBucket, key: name) == original, "\(name)")
    }
    // Each side has its own manifest, naming its own keys; nothing is left to copy.
    let manifestKey = try #require(copied.first { $0.hasSuffix("manifest.json") })
    let manifest = String(
      decoding: try await pair.spare.getObjectBytes(bucket: pair.spareBucket, key: manifestKey), as: UTF8.self)
    #expect(
      manifest.contains(pair.layout.backupsPrefix) && !manifest.contains("\"" + BackupFixture.storagePrefix),
      "\(manifest)")
    #expect(try await fixture.run(["copy"]).standardOutput.contains("nothing to copy"))
    await pair.remove()
  }

  @Test func aCopyThatLosesItsStorageMidRunFailsAloneAndLeavesNoManifest() async throws {
    let pair = try await pair("lostcopy")
    let fixture = pair.fixture
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    let policy = try String(contentsOfFile: fixture.policyFile, encoding: .utf8).replacingOccurrences(
      of: "storage: {url: \"s3://\(pair.spareBucket)/\(Pair.prefix)\"}",
      with: "storage: {url: \"s3://\(pair.spareBucket)/\(Pair.prefix)\", endpoint: \"\(proxy.endpoint)\"}")
    try policy.write(toFile: fixture.policyFile, atomically: true, encoding: .utf8)
    // The copy's storage answers its first requests, then refuses everything.
    proxy.injectHTTPFault(
      .respond(.s3Error(status: 403, reason: "Forbidden", code: "AccessDenied", message: "revoked")),
      budget: .always, passFirst: 1)
    let backup = try await fixture.run(["backup"], ["DR_S3_RETRY_ATTEMPTS": "2"])
    #expect(backup.status == 1, "\(backup.combined)")
    #expect(backup.standardOutput.contains("copy failover: failed"), "\(backup.standardOutput)")
    let listed = try await fixture.run(["list", "--json"])
    let entries = try listed.jsonArray()
    #expect(entries.count == 1 && entries.first?["complete"] as? Bool == true, "production's backup is whole")
    proxy.clearFaults()
    #expect(!(try await pair.spareKeys(Pair.prefix).contains { $0.hasSuffix("manifest.json") }))
    await pair.remove()
  }

  @Test func anEncryptedBackupsCopyOpensOnTheFailoverSide() async throws {
    let passphrase = "copy passphrase \(UUID().uuidString.prefix(8))"
    let pair = try await pair(
      "enccopy",
      backup:
        "{compression: {codec: bzip2, level: 9, threads: 2}, globals: true, encryption: {passphrase: \"${DR_TEST_PASSPHRASE}\"}}"
    )
    let fixture = pair.fixture
    let backup = try await fixture.run(["backup"], ["DR_TEST_PASSPHRASE": passphrase])
    #expect(backup.status == 0, "\(backup.combined)")
    #expect(backup.standardOutput.contains("copy failover: complete"), "\(backup.standardOutput)")
    let verified = try await DRBinary.run(
      ["verify", "--env", "failover", "--policy", fixture.policyFile],
      environment: try BackupFixture.spareKeysOnly(["DR_TEST_PASSPHRASE": passphrase]))
    #expect(verified.status == 0, "\(verified.combined)")
    #expect(!verified.combined.contains(passphrase))
    await pair.remove()
  }

  @Test func aCorruptSourceIsNotCopied() async throws {
    let pair = try await pair("copybad")
    let fixture = pair.fixture
    #expect(try await fixture.run(["backup", "--no-copies"]).status == 0)
    let dump = try #require(
      try await fixture.client.listAllObjects(bucket: fixture.bucket, prefix: fixture.layout.backupsPrefix)
        .first { $0.key.contains("/dump.") })
    var bytes = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: dump.key)
    bytes[bytes.count / 2] ^= 0x55
    _ = try await fixture.client.putObject(bucket: fixture.bucket, key: dump.key, body: bytes)
    let copy = try await fixture.run(["copy"])
    #expect(copy.status == 1)
    #expect(copy.standardOutput.contains("does not match its manifest"), "\(copy.combined)")
    #expect(try await pair.spareKeys(Pair.prefix).isEmpty, "nothing of a corrupt backup stays in the copy")
    #expect(try await pair.spare.listMultipartUploads(bucket: pair.spareBucket).isEmpty)
    await pair.remove()
  }
}
