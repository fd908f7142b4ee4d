import DRCore
import DRTestSupport
import DRWorker
import Foundation
import Testing

/// The worker's hard cases with a real backup slowed by a bandwidth-limited proxy:
/// SIGTERM mid-backup, and two workers sharing the policy with one killed mid-run.
struct WorkerShutdownTests {
  func slowFixture(_ label: String) async throws -> (BackupFixture, FaultProxy) {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy(label, compression: nil)
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
    let first = try WorkerFixture.start(fixture, leaseTTL: 15)
    let firstBackup = try #require(await first.runningBackup())
    let second = try WorkerFixture.start(fixture, leaseTTL: 15)
    try await second.waitUntil("the second worker to watch the run") {
      try await second.metric("dr_worker_start_timestamp_seconds", labels: "") != nil
    }
    kill(first.process.pid, SIGKILL)
    _ = await first.process.wait()
    // The orphaned backup notices its worker is gone and stops cleanly.
    #expect(
      await eventually(limit: .seconds(120), every: .milliseconds(250)) { !ProcessTree.isRunning(firstBackup) },
      "the killed worker's backup must stop")
    proxy.bandwidthLimit = nil
    // The lease expires (15 s), the second worker's poll finds it (5 s), then a whole backup
    // runs: on a machine shared with parallel builds that took longer than 120 s.
    try await second.waitUntil("the taken-over backup", limit: .seconds(400)) {
      (try await second.metric("dr_backup_last_success_timestamp_seconds") ?? 0) > 0
    }
    #expect(await second.stop() == .exited(0))
    let log = await second.log()
    let backups = try await fixture.list(all: true)
    #expect(backups.count == 1, "exactly one backup, complete: \(backups)\n\(log)")
    #expect(backups.first?["complete"] as? Bool == true)
    let contents = try await fixture.bucketContents()
    #expect(contents.uploads == 0)
    let last = try await fixture.object(JobRecordKeys(layout: fixture.layout, job: "backup").last)
    let record = try JSONSerialization.jsonObject(with: Data(last)) as? [String: Any]
    #expect(record?["outcome"] as? String == "succeeded")
    #expect((record?["worker"] as? String)?.contains(":\(second.process.pid):") == true, "\(record ?? [:])")
    await fixture.remove()
  }
}
