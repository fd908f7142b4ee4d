import DRCore
import DRTestSupport
import Foundation
import Testing

/// `dr backup` through 503 SlowDown storms and connections cut mid-part: what the retry
/// budget covers is ridden out with the bytes intact, what it does not fails cleanly.
@Suite(.scenarioGate)
struct ThrottlingAndDropTests {
  /// The dump's uploads: its parts (or its single PUT).
  static let dumpPuts = FaultProxy.RequestFilter(method: "PUT", pathContains: "dump.pgc")

  /// `fillerRows` of ~100 bytes: 200,000 compress to ~10 MB, two parts of 8 MiB.
  func fixture(_ label: String, fillerRows: Int = 60_000) async throws -> (BackupFixture, FaultProxy) {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    let fixture = try await BackupFixture.make(label, endpoint: proxy.endpoint, fillerRows: fillerRows)
    return (fixture, proxy)
  }

  @Test func aSlowDownStormShorterThanTheRetryBudgetIsRiddenOut() async throws {
    let (fixture, proxy) = try await fixture("stormshort")
    defer { proxy.stop() }
    proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .times(3), filter: Self.dumpPuts)
    let backup = try await fixture.run(["backup"], ["DR_S3_RETRY_ATTEMPTS": "8", "DR_S3_RETRY_SECONDS": "60"])
    #expect(backup.status == 0, "\(backup.combined)")
    #expect(proxy.counters.injected(.response) == 3)
    #expect(backup.standardError.contains("SlowDown"), "the storm was met: \(backup.standardError)")
    let state = EndState(fixture)
    #expect(try await state.entries().count == 1)
    var tally = FaultTally("503 SlowDown storm shorter than the retry budget")
    tally.faults = proxy.counters.faultsInjected
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func aSlowDownStormLongerThanTheRetryBudgetFailsCleanly() async throws {
    let (fixture, proxy) = try await fixture("stormlong")
    defer { proxy.stop() }
    let storm = proxy.injectHTTPFault(.respond(.s3SlowDown), budget: .always, filter: Self.dumpPuts)
    let backup = try await fixture.run(["backup"], ["DR_S3_RETRY_ATTEMPTS": "3"])
    #expect(backup.status == 1, "\(backup.combined)")
    #expect(backup.standardError.contains("503 SlowDown"), "\(backup.standardError)")
    #expect(backup.standardError.contains("retry budget ran out"), "\(backup.standardError)")
    #expect(proxy.counters.injected(.response) >= 3)
    let state = EndState(fixture)
    #expect(try await state.entries(all: true).isEmpty, "dr removed what it wrote")
    #expect(try await fixture.bucketContents().uploads == 0, "dr aborted its upload")
    var tally = FaultTally("503 SlowDown storm longer than the retry budget")
    tally.faults = proxy.counters.faultsInjected
    proxy.remove(storm)
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func connectionsCutMidPartAreRetriedAndTheBytesStayIntact() async throws {
    let (fixture, proxy) = try await fixture("dropmid", fillerRows: 200_000)
    defer { proxy.stop() }
    proxy.injectDrop(.clientToServer, afterBytes: 500_000, budget: .times(2), filter: Self.dumpPuts, reset: true)
    let backup = try await fixture.run(["backup", "--json"])
    #expect(backup.status == 0, "\(backup.combined)")
    #expect(proxy.counters.injected(.dropClientToServer) == 2)
    try await expectVerified(fixture)
    var tally = FaultTally("connection cut mid-part (twice)")
    tally.faults = proxy.counters.faultsInjected
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  /// The upload completed on the server but its answer was lost: the retry meets
  /// NoSuchUpload, and dr finds the object complete instead of failing.
  @Test func aLostAnswerToTheUploadsCompletionIsNotAFailure() async throws {
    let (fixture, proxy) = try await fixture("dropdone", fillerRows: 200_000)
    defer { proxy.stop() }
    let completion = FaultProxy.RequestFilter(method: "POST", pathContains: "dump.pgc", queryContains: "uploadId=")
    proxy.injectDrop(.serverToClient, afterBytes: 0, budget: .once, filter: completion, reset: true)
    let backup = try await fixture.run(["backup", "--json"])
    #expect(backup.status == 0, "\(backup.combined)")
    let completed = proxy.counters.injected(.dropServerToClient)
    #expect(completed == 1, "the completion's answer was cut")
    try await expectVerified(fixture)
    var tally = FaultTally("answer to CompleteMultipartUpload lost")
    tally.faults = completed
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  /// The newest backup passes a verification: its bytes are the ones dumped.
  func expectVerified(_ fixture: BackupFixture) async throws {
    let verified = try await fixture.run(["verify", "--json"])
    #expect(verified.status == 0, "\(verified.combined)")
    #expect(try verified.jsonObject()["outcome"] as? String == "passed")
  }
}
