import DRCore
import DRTestSupport
import Foundation
import Testing

/// The storage goes away under a running worker (the fault proxy's outage: connections
/// refused, open ones reset) and comes back: /readyz fails with the reason while /livez
/// still answers, then recovers, from the worker's own reads (every second here).
@Suite(.scenarioGate)
struct ReadinessFaultTests {
  @Test func readyzFailsWhileTheBucketIsUnreadableAndRecovers() async throws {
    let fixture = try await BackupFixture.make("workerready")
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    try fixture.writePolicy(endpoint: proxy.endpoint, extra: "verify: {scratch: local, max_age: 26h}\n")
    let worker = try WorkerFixture.start(
      policyFile: fixture.policyFile, environment: try fixture.environment(["DR_S3_RETRY_ATTEMPTS": "2"]),
      ["--bucket-check-interval", "1"])
    try await worker.waitUntil("/readyz to answer 200") {
      try await worker.get("/readyz").standardOutput.hasSuffix("\n200")
    }
    try await proxy.startOutage()
    var unready = ""
    try await worker.waitUntil("/readyz to fail during the outage") {
      unready = try await worker.get("/readyz").standardOutput
      return unready.hasSuffix("\n503")
    }
    #expect(unready.hasPrefix("not ready\nbackup-test: its bucket could not be read "), "\(unready)")
    #expect(unready.contains("(last read "), "\(unready)")
    #expect(try await worker.get("/livez").standardOutput == "ok\n\n200")
    try await proxy.endOutage()
    try await worker.waitUntil("/readyz to recover") {
      try await worker.get("/readyz").standardOutput.hasSuffix("\n200")
    }
    #expect(await worker.stop() == .exited(0))
    let log = await worker.log()
    #expect(log.contains("bucket unreadable") && log.contains("bucket readable again"), "\(log)")
    var tally = FaultTally("storage outage under a running worker: /readyz fails, then recovers")
    tally.faults = proxy.counters.faultsInjected
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }
}
