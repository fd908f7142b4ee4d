import DRBackup
import DRCore
import DRLease
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Another run takes a running backup's lease over (here: writes `lock.json` with a holder
/// of its own, as a take-over after a storage blip would): the backup stops as if
/// interrupted, leaves nothing, and never writes, renews or deletes the other's lease.
@Suite(.scenarioGate)
struct LeaseLossTests {
  @Test func aBackupWhoseLeaseIsTakenOverStopsAndLeavesTheLeaseToTheNewHolder() async throws {
    // 130 MB behind a 100 kB/s proxy: the backup runs for minutes unless stopped.
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("leaselost")
    defer { proxy.stop() }
    let lock = fixture.layout.lockKey
    // Renewed every 4 s, so the loss is found within seconds (a shorter lifetime could be
    // lost by expiry first on a busy machine).
    let dr = try ChildProcess(
      DRBinary.path, ["backup", "--json", "--policy", fixture.policyFile],
      environment: try fixture.environment(["DR_BACKUP_LEASE_TTL_SECONDS": "12"]))
    _ = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
    let ours = try #require(try await BackupLease.current(client: fixture.client, bucket: fixture.bucket, key: lock))
    #expect(ours.pid == dr.pid)
    // Renewals move the expiry on (a busy machine may read after several), but never past
    // the TTL from now: the last renewal was no later than this read.
    #expect(ours.expiresAt.timeIntervalSinceNow <= 13, "the TTL comes from the environment: \(ours)")
    let now = Date()
    let other = BackupLease.Holder(
      backup: BackupID.new(at: now), host: "other.example", pid: 4242, acquiredAt: now,
      expiresAt: now.addingTimeInterval(3_600))
    let foreign = try LeaseJSON.encode(other)
    try await fixture.client.putObject(bucket: fixture.bucket, key: lock, body: foreign)

    let status = await dr.wait()
    proxy.bandwidthLimit = nil
    #expect(status == .exited(1), "\(dr.standardError)")
    #expect(dr.standardError.contains("another run took the lease"), "\(dr.standardError)")
    #expect(dr.standardError.contains("\(other.backup) on other.example (pid 4242)"), "\(dr.standardError)")
    let output = await dr.remainingOutput()
    let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
    #expect(json?["outcome"] as? String == "failed", "\(output)")
    // The failure object's error is {code, message} (issue 19): the message says why, the
    // code is the lease module's own.
    let error = json?["error"] as? [String: Any]
    #expect((error?["message"] as? String)?.contains("took the lease") == true, "\(output)")
    #expect(error?["code"] as? String == "lease.lost", "\(output)")
    // Nothing of the stopped backup is left, and the lease is still the other's.
    let contents = try await fixture.bucketContents()
    #expect(contents.keys == [lock], "\(contents.keys)")
    #expect(contents.uploads == 0)
    #expect(try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: lock) == foreign)

    var tally = FaultTally("backup lease taken over mid-backup")
    tally.faults = 1
    // The other holder ends (releases its lease); then the usual end state.
    try await fixture.client.deleteObject(bucket: fixture.bucket, key: lock)
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }
}
