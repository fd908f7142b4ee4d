import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// The worker's hard cases with a real backup slowed by a bandwidth-limited proxy:
/// SIGTERM mid-backup, and two workers sharing the policy with one killed mid-run.
struct WorkerShutdownTests {
  func slowFixture(_ label: String) async throws -> (BackupFixture, FaultProxy) {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    proxy.bandwidthLimit = 100_000
    let fixture = try await BackupFixture.make(label, large: true, endpoint: proxy.endpoint)
    try WorkerFixture.writePolicy(fixture, endpoint: proxy.endpoint, verifySchedule: nil)
    return (fixture, proxy)
  }

  @Test func sigtermMidBackupAbortsItCleanlyAndExitsZero() async throws {
    let (fixture, proxy) = try await slowFixture("workerterm")
    defer { proxy.stop() }
    let worker = try WorkerFixture.start(fixture, ["--grace", "1"])
    let backup = try #require(await worker.runningBackup())
    #expect(await worker.stop() == .exited(0))
    #expect(kill(backup, 0) != 0, "the backup child must be gone")
    proxy.bandwidthLimit = nil
    let contents = try await fixture.bucketContents()
    #expect(contents.uploads == 0, "no multipart upload may be left")
    #expect(!contents.keys.contains { $0.hasSuffix("lock.json") || $0.hasSuffix(".lease.json") }, "\(contents.keys)")
    #expect(!contents.keys.contains { $0.hasSuffix("manifest.json") }, "\(contents.keys)")
    await fixture.remove()
  }

  @Test func aSecondWorkerTakesOverTheRunOfAKilledOneAndItRunsOnce() async throws {
    let (fixture, proxy) = try await slowFixture("workerha")
    defer { proxy.stop() }
    let first = try WorkerFixture.start(fixture)
    let firstBackup = try #require(await first.runningBackup())
    let second = try WorkerFixture.start(fixture)
    try await second.waitUntil("the second worker to watch the run") {
      try await second.metric("dr_worker_start_timestamp_seconds", labels: "") != nil
    }
    kill(first.process.pid, SIGKILL)
    _ = await first.process.wait()
    // The orphaned backup notices its worker is gone and stops cleanly.
    for _ in 0..<120 where ProcessTree.isRunning(firstBackup) { try await Task.sleep(for: .milliseconds(250)) }
    #expect(!ProcessTree.isRunning(firstBackup), "the killed worker's backup must stop")
    proxy.bandwidthLimit = nil
    try await second.waitUntil("the taken-over backup") {
      try await second.metric("dr_backup_last_success_timestamp_seconds") != nil
    }
    #expect(await second.stop() == .exited(0))
    let log = await second.log()
    let listed = try await fixture.run(["list", "--all", "--json"])
    let backups = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]]
    #expect(backups?.count == 1, "exactly one backup, complete: \(listed.standardOutput)\n\(log)")
    #expect(backups?.first?["complete"] as? Bool == true)
    let contents = try await fixture.bucketContents()
    #expect(contents.uploads == 0)
    let last = try await fixture.client.getObjectBytes(
      bucket: fixture.bucket, key: "prefix/backup-test/worker/backup.last.json")
    let record = try JSONSerialization.jsonObject(with: Data(last)) as? [String: Any]
    #expect(record?["outcome"] as? String == "succeeded")
    #expect((record?["worker"] as? String)?.contains(":\(second.process.pid):") == true, "\(record ?? [:])")
    await fixture.remove()
  }
}
