import DRBackup
import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `retention.lock` against RGW's S3 Object Lock: every object of a backup is retained,
/// the credentials that wrote it cannot delete it, and prune keeps it until its time.
struct ObjectLockCommandTests {
  @Test func lockedBackupsOutliveTheirWritersAndPrune() async throws {
    let fixture = try await BackupFixture.make("lock")
    let client = fixture.client
    let bucket = fixture.bucket + "-lock"
    try await client.createBucketWithObjectLock(bucket)
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 1, lock: {mode: governance, days: 1}}\n",
      backup: BackupFixture.defaultBackup, bucket: bucket)
    let check = try await fixture.run(["check", "--json"])
    #expect(check.standardOutput.contains("has Object Lock"), "\(check.combined)")

    #expect(try await fixture.run(["backup"]).status == 0)
    #expect(try await fixture.run(["backup"]).status == 0)
    let objects = try await client.listAllObjects(bucket: bucket, prefix: fixture.layout.backupsPrefix)
    #expect(objects.count == 6, "two backups of dump, globals and manifest: \(objects.map(\.key))")
    var versions: [(key: String, version: String)] = []
    for object in objects {
      let head = try #require(try await client.headObject(bucket: bucket, key: object.key))
      #expect(head.lockMode == "GOVERNANCE", "\(object.key)")
      let until = try #require(head.lockRetainUntil)
      #expect(until > Date().addingTimeInterval(23 * 3600), "\(object.key) retained until \(until)")
      versions.append((object.key, try #require(head.versionID)))
    }
    // The keys that wrote the backup cannot destroy it.
    let dump = try #require(versions.first { $0.key.contains("/dump.") })
    await #expect(throws: S3Error.self) {
      try await client.deleteObjectVersion(bucket: bucket, key: dump.key, versionID: dump.version)
    }
    // keep_last 1 would remove the older backup; the lock keeps it, and prune says so,
    // in a dry run too.
    let dryRun = try await fixture.run(["prune", "--dry-run"])
    #expect(dryRun.standardOutput.contains("under Object Lock retention until"), "\(dryRun.standardOutput)")
    #expect(dryRun.standardOutput.contains("dry run: 0 backup(s)"), "\(dryRun.standardOutput)")
    let prune = try await fixture.run(["prune"])
    #expect(prune.status == 0, "\(prune.combined)")
    #expect(prune.standardOutput.contains("under Object Lock retention until"), "\(prune.standardOutput)")
    let entries = try await fixture.list()
    #expect(entries.count == 2, "\(entries)")

    for (key, version) in versions {
      try? await client.deleteObjectVersion(bucket: bucket, key: key, versionID: version, bypassGovernance: true)
    }
    try? await client.deleteBucket(bucket)
    await fixture.remove()
  }

  @Test func checkFailsWhenTheBucketHasNoObjectLock() async throws {
    let fixture = try await BackupFixture.make("nolock")
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: "retention: {keep_last: 2, lock: {mode: compliance, days: 7}}\n")
    let check = try await fixture.run(["check"])
    #expect(check.status == 1)
    #expect(check.standardOutput.contains("has no Object Lock"), "\(check.combined)")
    await fixture.remove()
  }
}
