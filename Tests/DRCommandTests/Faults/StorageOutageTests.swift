import DRCore
import DRTestSupport
import Foundation
import Testing

/// The storage stopped mid-upload and started again, emulated by the fault proxy's outage
/// (connections refused and open ones reset, then the same port answering again): the
/// test RGW is shared by every test running in parallel, so it cannot really be stopped.
@Suite(.scenarioGate)
struct StorageOutageTests {
  /// Parts that have been sending for longer than the retry budget when the storage goes
  /// away are retried all the same: the budget bounds the time spent failing, not the
  /// time a slow part took before it failed.
  @Test func anOutageShorterThanTheRetryBudgetIsRiddenOut() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("blip")
    defer { proxy.stop() }
    let budget = ["DR_S3_RETRY_SECONDS": "15", "DR_S3_RETRY_ATTEMPTS": "20"]
    let dr = try ChildProcess(
      DRBinary.path, ["backup", "--json", "--policy", fixture.policyFile], environment: try fixture.environment(budget))
    // Two parts in flight at 100 kB/s each: 3.2 MB sent means both have run for 16 s.
    #expect(await eventually(limit: .seconds(120)) { proxy.counters.bytesClientToServer > 3_200_000 })
    try await proxy.startOutage()
    try await Task.sleep(for: .seconds(2))
    try await proxy.endOutage()
    proxy.bandwidthLimit = nil
    #expect(await dr.wait() == .exited(0), "\(dr.standardError)")
    #expect(dr.standardError.contains("retrying"), "the outage was met: \(dr.standardError)")
    let state = EndState(fixture)
    let entries = try await state.entries()
    #expect(entries.count == 1)
    try await state.expectDumpMatchesItsManifest(try #require(entries.first?["id"] as? String))
    var tally = FaultTally("storage outage shorter than the retry budget")
    tally.faults = proxy.counters.faultsInjected
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func anOutageLongerThanTheRetryBudgetFailsAndPruneCleansUpAfterTheRestart() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("outage")
    defer { proxy.stop() }
    let dr = try ChildProcess(
      DRBinary.path, ["backup", "--policy", fixture.policyFile],
      environment: try fixture.environment(["DR_S3_RETRY_ATTEMPTS": "4"]))
    _ = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
    #expect(try await eventually { try await fixture.bucketContents().uploads > 0 }, "no upload began")
    try await proxy.startOutage()
    #expect(await dr.wait() == .exited(1), "\(dr.standardError)")
    #expect(dr.standardError.contains("no answer"), "\(dr.standardError)")
    try await proxy.endOutage()
    proxy.bandwidthLimit = nil
    // dr could not clean up while the storage was down: nothing is listed all the same.
    let state = EndState(fixture)
    #expect(try await state.entries().isEmpty)
    var tally = FaultTally("storage outage longer than the retry budget, then back")
    tally.faults = proxy.counters.faultsInjected
    try await state.check(tally)
    await fixture.remove()
  }
}
