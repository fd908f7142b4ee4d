import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// A backup stopped midway — pg_dump killed, dr terminated, the storage gone, a second
/// backup started — leaves nothing listed and no multipart upload. The upload runs
/// through a bandwidth-limited proxy so the backup lasts long enough to be interrupted:
/// 130 MB of barely compressible rows behind 100 kB/s, far more than dr buffers (~80 MB),
/// so pg_dump stays blocked on its pipe for minutes, however slowly a busy test run gets
/// to interrupt it (`BackupFixture.behindSlowProxy`).
@Suite(.scenarioGate)
struct BackupInterruptionTests {
  /// Nothing listed, even with --all; no upload in progress; no lease left.
  func expectNothingLeft(_ fixture: BackupFixture) async throws {
    let listed = try await fixture.run(["list", "--all", "--json"])
    #expect(listed.status == 0, "\(listed.combined)")
    #expect(
      listed.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]"
        || listed.standardOutput.contains("[]"), "\(listed.standardOutput)")
    let contents = try await fixture.bucketContents()
    #expect(contents.keys.isEmpty, "\(contents.keys)")
    #expect(contents.uploads == 0)
  }

  @Test func killingPgDumpFailsTheBackupAndLeavesNothing() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("killdump")
    defer { proxy.stop() }
    let dr = try fixture.start(["backup"])
    let pgDump = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
    try await Task.sleep(for: .seconds(1))
    // Still dumping (not a zombie that already finished), then killed.
    let size = try await PGConnection.connect(try TestServices.superuserURL()).query(
      "SELECT pg_database_size('\(fixture.database)')")
    #expect(
      ProcessTree.state(of: pgDump) == "S" || ProcessTree.state(of: pgDump) == "R",
      "state \(ProcessTree.state(of: pgDump) ?? "gone"), database size \(size), proxy \(proxy.counters)")
    kill(pgDump, SIGKILL)
    proxy.bandwidthLimit = nil
    #expect(await dr.wait() == .exited(1))
    #expect(dr.standardError.contains("pg_dump"), "\(dr.standardError)")
    #expect(dr.standardError.contains("killed by signal 9"), "\(dr.standardError)")
    try await expectNothingLeft(fixture)
    var tally = FaultTally("pg_dump killed mid-dump")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func sigtermStopsPgDumpAbortsTheUploadAndExits143() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("sigterm")
    defer { proxy.stop() }
    let dr = try fixture.start(["backup"])
    let pgDump = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
    try await Task.sleep(for: .seconds(1))
    kill(dr.pid, SIGTERM)
    proxy.bandwidthLimit = nil
    #expect(await dr.wait() == .exited(143))
    #expect(dr.standardError.contains("interrupted by SIGTERM"), "\(dr.standardError)")
    #expect(kill(pgDump, 0) != 0, "pg_dump must be gone")
    try await expectNothingLeft(fixture)
    var tally = FaultTally("SIGTERM of dr mid-dump")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func aSecondBackupIsRefusedNamingTheRunningOne() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("lock")
    defer { proxy.stop() }
    let first = try fixture.start(["backup"])
    _ = try #require(await ProcessTree.waitForChild(of: first.pid, named: "pg_dump"))
    let second = try await fixture.run(["backup"])
    #expect(second.status == 1)
    #expect(second.standardError.contains("another backup of this policy is running"), "\(second.standardError)")
    #expect(second.standardError.contains("pid \(first.pid)"))
    kill(first.pid, SIGINT)
    proxy.bandwidthLimit = nil
    #expect(await first.wait() == .exited(130))
    try await expectNothingLeft(fixture)
    var tally = FaultTally("a second backup while one runs, then SIGINT")
    tally.faults = 2
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }

  @Test func storageGoneMidwayFailsTheBackupAndListsNothing() async throws {
    let (fixture, proxy) = try await BackupFixture.behindSlowProxy("gone")
    let dr = try fixture.start(["backup"])
    _ = try #require(await ProcessTree.waitForChild(of: dr.pid, named: "pg_dump"))
    try await Task.sleep(for: .seconds(1))
    proxy.stop()
    #expect(await dr.wait() == .exited(1))
    #expect(dr.standardError.contains("no answer"), "\(dr.standardError)")
    // The storage came back (dr talks to RGW directly again): nothing complete is listed,
    // and prune removes the debris dr could not remove while the storage was gone.
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint())
    #expect(!(try await fixture.bucketContents()).keys.contains { $0.hasSuffix("manifest.json") })
    try await Task.sleep(for: .milliseconds(1_100))
    let pruned = try await fixture.run(["prune", "--incomplete-grace", "1s"])
    #expect(pruned.status == 0, "\(pruned.combined)")
    try await expectNothingLeft(fixture)
    let next = try await fixture.run(["backup"])
    #expect(next.status == 0, "a following backup succeeds: \(next.combined)")
    var tally = FaultTally("storage gone for good mid-upload")
    tally.faults = 1
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }
}
