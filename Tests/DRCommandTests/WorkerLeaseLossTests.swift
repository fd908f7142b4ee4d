import DRCore
import DRS3
import DRTestSupport
import DRWorker
import Foundation
import Testing

/// Another worker takes a run's job lease over while this worker's `dr backup` child runs
/// (here: the lease object is written with another worker as holder): the child is stopped,
/// the run is reported lost, and the other worker's lease and the job's end are left alone.
struct WorkerLeaseLossTests {
  @Test func aRunWhoseLeaseIsTakenOverIsStoppedAndReportedLost() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("workerlost", compression: nil)
    defer { proxy.stop() }
    try WorkerFixture.writePolicy(fixture, endpoint: proxy.endpoint, verifySchedule: nil)
    let worker = try WorkerFixture.start(fixture, leaseTTL: 15)  // renewed every 5 s
    let backup = try #require(await worker.runningBackup())
    let records = JobRecordKeys(layout: fixture.layout, job: "backup")
    let key = records.lease
    let taken = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)
    var record = try #require(try JSONSerialization.jsonObject(with: Data(taken)) as? [String: Any])
    #expect((record["worker"] as? String)?.contains(":\(worker.process.pid):") == true, "\(record)")
    record["worker"] = "other.example:4242:f00d"
    record["host"] = "other.example"
    record["pid"] = 4242
    record["expires_at"] = Date().addingTimeInterval(3_600).formatted(.iso8601)
    let foreign = Array(try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]))
    try await fixture.client.putObject(bucket: fixture.bucket, key: key, body: foreign)

    try await worker.waitUntil("the run to be reported lost") {
      try await worker.metric("dr_job_runs_total", labels: "policy=\"backup-test\",job=\"backup\",outcome=\"lost\"")
        == 1
    }
    #expect(!ProcessTree.isRunning(backup), "the backup child must be stopped")
    proxy.bandwidthLimit = nil
    #expect(
      try await worker.metric(
        "dr_job_runs_total", labels: "policy=\"backup-test\",job=\"backup\",outcome=\"succeeded\"")
        == nil)
    #expect(await worker.stop() == .exited(0))
    let log = await worker.log()
    #expect(log.components(separatedBy: "job started").count - 1 == 1, "one run for the lease: \(log)")
    #expect(log.contains("job lost"), "\(log)")
    #expect(log.contains("other.example:4242:f00d"), "the loss names the new holder: \(log)")
    let contents = try await fixture.bucketContents()
    #expect(try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key) == foreign)
    #expect(!contents.keys.contains(records.last), "\(contents.keys)")
    #expect(!contents.keys.contains { $0.hasSuffix("manifest.json") || $0.hasSuffix("lock.json") }, "\(contents.keys)")
    #expect(contents.uploads == 0)
    await fixture.remove()
  }
}
