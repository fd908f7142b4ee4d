import DRCore
import DRCrypto
import DRTestSupport
import Foundation
import Testing

/// Commands of one policy at once: of backups started together exactly one runs; a prune
/// during a backup keeps everything the backup has written; a verify during a backup
/// checks the previous complete one.
@Suite(.scenarioGate)
struct ConcurrencyTests {
  @Test func ofThreeBackupsStartedAtOnceExactlyOneRuns() async throws {
    // The winner runs for minutes: the others meet it running.
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("three")
    defer { proxy.stop() }
    let runs = try (0..<3).map { _ in try fixture.start(["backup", "--json"]) }
    var statuses: [ChildProcess.Termination] = []
    var refused = 0
    // Bounded: each run ends; the winner once the limit is lifted below.
    for run in runs {
      if await eventually(limit: .seconds(30), { run.termination != nil }) {
        statuses.append(await run.wait())
        if run.standardError.contains("another backup of this policy is running") { refused += 1 }
      }
    }
    #expect(refused == 2, "\(runs.map(\.standardError))")
    #expect(statuses.allSatisfy { $0 == .exited(1) })
    proxy.bandwidthLimit = nil
    let winner = try #require(runs.first { $0.termination == nil })
    #expect(await winner.wait() == .exited(0), "\(winner.standardError)")
    let state = EndState(fixture)
    #expect(try await state.entries(all: true).count == 1, "exactly one backup was made")
    var tally = FaultTally("three backups of one policy at once")
    tally.faults = 2
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func pruneKeepsARunningBackupAndVerifyChecksThePreviousOne() async throws {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    let fixture = try await BackupFixture.make("during", endpoint: proxy.endpoint, fillerRows: 200_000)
    try fixture.writePolicy(endpoint: proxy.endpoint, extra: "retention: {keep_last: 1}\n")
    // The same policy without the proxy: prune and verify run at full speed beside the backup.
    let direct = fixture.directory + "/direct.yaml"
    try String(contentsOfFile: fixture.policyFile, encoding: .utf8)
      .replacingOccurrences(of: proxy.endpoint, with: try TestServices.s3Endpoint())
      .write(toFile: direct, atomically: true, encoding: .utf8)
    func run(_ arguments: [String]) async throws -> DRBinary.Result {
      try await DRBinary.run(arguments + ["--policy", direct], environment: try fixture.environment())
    }
    let previous = try await fixture.backup()

    proxy.bandwidthLimit = 50_000
    let running = try fixture.start(["backup", "--json"])
    #expect(try await eventually { try await fixture.bucketContents().uploads > 0 }, "no upload began")
    let id = try #require(try await fixture.listedIDs(all: true).first { $0 != previous })
    try await Task.sleep(for: .milliseconds(1_100))
    let before = try await fixture.bucketContents()
    let pruned = try await run(["prune", "--incomplete-grace", "1s"])
    #expect(pruned.status == 0, "\(pruned.combined)")
    let line = pruned.standardOutput.split(separator: "\n").first { $0.contains(id) } ?? ""
    #expect(line.hasPrefix("keep") && line.contains("running"), "\(pruned.standardOutput)")
    let after = try await fixture.bucketContents()
    #expect(
      before.keys.filter { $0.contains(id) }.allSatisfy(after.keys.contains),
      "prune deleted the running backup's objects")
    #expect(after.uploads == before.uploads, "prune aborted the running backup's upload")

    let verified = try await run(["verify", "--json"])
    #expect(verified.status == 0, "\(verified.combined)")
    let object = try verified.jsonObject()
    #expect(object["id"] as? String == previous, "verify took the running backup")
    #expect(object["outcome"] as? String == "passed")

    proxy.bandwidthLimit = nil
    #expect(await running.wait() == .exited(0), "\(running.standardError)")
    let state = EndState(fixture)
    #expect(try await fixture.listedIDs() == [id, previous])
    #expect(try await state.listedButBroken() == 0)
    var tally = FaultTally("prune and verify while a backup runs")
    tally.faults = 2
    try await state.check(tally)
    await fixture.remove()
  }
}
