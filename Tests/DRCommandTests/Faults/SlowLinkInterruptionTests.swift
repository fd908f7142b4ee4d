import DRCore
import DRS3
import DRTestSupport
import Foundation
import Testing

/// SIGTERM and SIGINT over a slow link: the transfer in flight stops with dr instead of
/// running on to the end of its part, and what was written is removed. Asserted through
/// the bytes the proxy forwarded, never through time.
@Suite(.scenarioGate)
struct SlowLinkInterruptionTests {
  @Test func sigtermDuringABackupStopsThePartsInFlight() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("slowterm", bandwidth: 200_000)
    defer { proxy.stop() }
    let dr = try fixture.start(["backup"])
    _ = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
    #expect(await eventually(limit: .seconds(120)) { proxy.counters.bytesClientToServer > 300_000 })
    kill(dr.pid, SIGTERM)
    #expect(await dr.wait() == .exited(143), "\(dr.standardError)")
    // Parts are 8 MiB: had dr waited for a part in flight, the proxy would have passed one.
    #expect(proxy.counters.bytesClientToServer < 8 * 1_048_576, "uploaded on after SIGTERM")
    proxy.bandwidthLimit = nil
    let state = EndState(fixture)
    #expect(try await state.entries(all: true).isEmpty)
    #expect(try await fixture.bucketContents().uploads == 0)
    var tally = FaultTally("SIGTERM during a backup over a slow link")
    tally.faults = 1
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func sigintDuringAnS3DownloadStopsAndLeavesNoPartialFile() async throws {
    let fixture = try await BackupFixture.make("slowcp")
    let object = Array(repeating: UInt8(ascii: "x"), count: 6 * 1_048_576)
    try await fixture.client.putObject(bucket: fixture.bucket, key: "big", body: object)
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 50_000
    let directory = TemporaryDirectory.unique("dr-slow-cp")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var environment = try fixture.environment()
    environment["AWS_ENDPOINT_URL"] = proxy.endpoint
    let dr = try ChildProcess(
      DRBinary.path, ["s3", "cp", "s3://\(fixture.bucket)/big", "\(directory)/big"], environment: environment)
    #expect(await eventually { proxy.counters.bytesServerToClient > 100_000 }, "the download never began")
    kill(dr.pid, SIGINT)
    #expect(await dr.wait() == .exited(130), "\(dr.standardError)")
    #expect(proxy.counters.bytesServerToClient < object.count, "downloaded on after SIGINT")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "a partial file is left")
    var tally = FaultTally("SIGINT during dr s3 cp over a slow link")
    tally.faults = 1
    await FaultLedger.record(tally)
    await fixture.remove()
  }
}
