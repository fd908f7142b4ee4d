import DRBackup
import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// SIGTERM while a verification restores into `verify.scratch_url`: the scratch database
/// on the shared server is dropped, dr exits 143, and nothing is recorded.
@Suite(.scenarioGate)
struct VerifyInterruptionOnServerTests {
  @Test(.scratchServerGate) func sigtermDuringVerifyDropsTheScratchDatabase() async throws {
    let fixture = try await BackupFixture.make("verifytermurl", fillerRows: 60_000)
    let extra = "verify:\n  scratch_url: \"\(try TestServices.superuserURL())\"\n"
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: extra)
    let id = try await fixture.backup()
    // The download crawls through a proxy, so the verification is mid-restore when stopped.
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 20_000
    try fixture.writePolicy(endpoint: proxy.endpoint, extra: extra)
    let dr = try fixture.start(["verify"])
    let scratch = "dr_verify_" + id.lowercased().filter { $0.isLetter || $0.isNumber }.suffix(24)
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    let query = "SELECT count(*) FROM pg_database WHERE datname LIKE '\(scratch)%'"
    #expect(try await eventually { try await admin.query(query).first?.first == "1" }, "no scratch database appeared")
    #expect(await eventually { proxy.counters.bytesServerToClient > 50_000 }, "the download never began")
    kill(dr.pid, SIGTERM)
    #expect(await dr.wait() == .exited(143), "\(dr.standardError)")
    #expect(dr.standardError.contains("interrupted by SIGTERM"), "\(dr.standardError)")
    // The dump's download stopped with dr: it did not go on to the end of the part in flight.
    let dumpSize = try #require(
      try await EndState(fixture).manifestObjects(id)?.first { $0["role"] as? String == "dump" }?["size"] as? Int)
    #expect(proxy.counters.bytesServerToClient < dumpSize, "downloaded on after SIGTERM")
    let left = try await admin.query(query).first?.first
    #expect(left == "0", "the scratch database is dropped")
    let records = try await fixture.keys(under: fixture.layout.verificationsPrefix)
    #expect(records.isEmpty, "an interrupted verification records nothing")
    var tally = FaultTally("SIGTERM during verify into scratch_url")
    tally.faults = 1
    tally.scratchLeftovers = left == "0" ? 0 : 1
    proxy.bandwidthLimit = nil
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: extra)
    try await EndState(fixture, database: scratch).check(tally)
    await fixture.remove()
  }
}
