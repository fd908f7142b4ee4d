import DRBackup
import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// A lease object that is not a lease (garbage someone wrote): backups and prunes say so
/// instead of "another backup is running", and it is replaced once older than a lease's
/// lifetime instead of blocking every backup for ever.
@Suite(.scenarioGate)
struct LeaseFaultTests {
  static let garbage = Array("{\"half\": \"a lease\u{1B}[2J".utf8)

  @Test func aYoungUnreadableLeaseIsNamedAndBlocks() async throws {
    let fixture = try await BackupFixture.make("badlease")
    let lock = fixture.layout.lockKey
    try await fixture.client.putObject(bucket: fixture.bucket, key: lock, body: Self.garbage)
    let backup = try await fixture.run(["backup"])
    #expect(backup.status == 1, "\(backup.combined)")
    #expect(backup.standardError.contains("is not a lease"), "\(backup.standardError)")
    #expect(backup.standardError.contains("replaced once it is 10 minutes old"), "\(backup.standardError)")
    #expect(!backup.standardError.contains("another backup"), "\(backup.standardError)")
    #expect(!backup.standardError.contains("\u{1B}"))
    let prune = try await fixture.run(["prune"])
    #expect(prune.status == 1, "\(prune.combined)")
    #expect(prune.standardError.contains("prune waits"), "\(prune.standardError)")
    #expect(try await fixture.bucketContents().keys == [lock], "nothing was written or deleted")
    var tally = FaultTally("unreadable lease object, young")
    tally.badInputs = 1
    try await fixture.client.deleteObject(bucket: fixture.bucket, key: lock)
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func anOldUnreadableLeaseIsReplaced() async throws {
    let fixture = try await BackupFixture.make("oldlease")
    let layout = fixture.layout
    try await fixture.client.putObject(bucket: fixture.bucket, key: layout.lockKey, body: Self.garbage)
    // Older than the 4 s lifetime below (Last-Modified has whole seconds). A lifetime of
    // one second, as before, lets a busy machine lose the lease by expiry before its
    // release, and a lost lease is not deleted.
    try await Task.sleep(for: .milliseconds(5_100))
    let id = BackupID.new(at: Date())
    let lease = try await BackupLease.acquire(
      client: fixture.client, bucket: fixture.bucket, layout: layout, backup: id, ttl: 4)
    let holder = try await BackupLease.current(client: fixture.client, bucket: fixture.bucket, key: layout.lockKey)
    #expect(holder?.backup == id)
    await lease.release()
    #expect(try await fixture.bucketContents().keys.isEmpty)
    var tally = FaultTally("unreadable lease object, old")
    tally.badInputs = 1
    await FaultLedger.record(tally)
    await fixture.remove()
  }
}
