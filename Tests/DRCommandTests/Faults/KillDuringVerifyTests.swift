import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `kill -9` of dr mid-verification: nothing in dr can clean up, so the scratch server (or
/// the scratch database on `verify.scratch_url`) outlives it. The next `dr verify` removes
/// what the dead one left, passes, and leaves nothing of its own.
@Suite(.scenarioGate)
struct KillDuringVerifyTests {
  /// A TMPDIR so deep that the cluster's socket cannot be in it (a Unix socket's path has
  /// at most 107 bytes): the socket goes to a directory under /tmp, removed alike.
  enum Depth: String, CaseIterable, Sendable { case shallow, deep }

  @Test(arguments: Depth.allCases)
  func theNextVerifyStopsAndRemovesTheScratchClusterOfAKilledOne(_ depth: Depth) async throws {
    // About 0.5 MB of dump at 5 kB/s: the scratch cluster runs for minutes, not seconds,
    // whatever the machine's pace. A full run once saw a small dump's verification start and
    // finish (in 25 s) between two looks of this test, which then found no cluster to kill.
    let fixture = try await BackupFixture.make("verifykill", fillerRows: 10_000)
    #expect(try await fixture.run(["backup"]).status == 0)
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 5_000  // the verification is mid-restore when killed
    try fixture.writePolicy(endpoint: proxy.endpoint)
    let root = TemporaryDirectory.unique("dr-verify-kill")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let temporary = depth == .shallow ? root : root + "/" + String(repeating: "d", count: 60)
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    let environment = try fixture.environment(["TMPDIR": temporary])
    let dr = try ChildProcess(DRBinary.path, ["verify", "--policy", fixture.policyFile], environment: environment)
    var cluster: String?
    // A hang guard, not a pace: on a loaded machine dr took 40 s to have its cluster running.
    _ = try await eventually(limit: .seconds(180)) {
      let entries = try FileManager.default.contentsOfDirectory(atPath: temporary)
      cluster = entries.first {
        $0.hasPrefix("dr-scratch-") && ProcessTree.scratchServer(in: "\(temporary)/\($0)") != nil
      }
      return cluster != nil
    }
    let directory = "\(temporary)/\(try #require(cluster, "the scratch cluster never started"))"
    let postmaster = try #require(ProcessTree.scratchServer(in: directory))
    #expect(await eventually { proxy.counters.bytesServerToClient > 1_000 }, "the download never began")
    // Listed while dr lives: once it is dead, any dr verify on this machine may remove them.
    let sockets = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter {
      $0.hasPrefix("dr-sock-\(dr.pid).")
    }
    #expect(sockets.count == (depth == .deep ? 1 : 0), "\(sockets)")
    kill(dr.pid, SIGKILL)
    #expect(await dr.wait() == .signaled(SIGKILL))
    // What kill -9 leaves: the server runs on in its directory.
    #expect(FileManager.default.fileExists(atPath: directory))
    #expect(ProcessTree.isRunning(postmaster), "the killed dr's scratch server should outlive it")

    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint())
    let next = try await fixture.run(["verify"], ["TMPDIR": temporary])
    #expect(next.status == 0, "\(next.combined)")
    #expect(next.standardError.contains("which no longer runs"), "\(next.standardError)")
    #expect(await eventually(limit: .seconds(120)) { !ProcessTree.isRunning(postmaster) }, "the server still runs")
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    for socket in sockets { #expect(!FileManager.default.fileExists(atPath: "/tmp/\(socket)"), "\(socket) is left") }
    var tally = FaultTally("kill -9 of dr mid-verify (local scratch cluster, \(depth.rawValue) TMPDIR)")
    tally.faults = 1
    tally.scratchLeftovers = ProcessTree.isRunning(postmaster) ? 1 : 0
    try await EndState(fixture, temporary: temporary).check(tally)
    await fixture.remove()
  }

  @Test(.scratchServerGate) func theNextVerifyDropsTheScratchDatabaseOfAKilledOne() async throws {
    let fixture = try await BackupFixture.make("verifykillurl", fillerRows: 60_000)
    let extra = "verify:\n  scratch_url: \"\(try TestServices.superuserURL())\"\n"
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: extra)
    #expect(try await fixture.run(["backup"]).status == 0)
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    proxy.bandwidthLimit = 20_000
    try fixture.writePolicy(endpoint: proxy.endpoint, extra: extra)
    let dr = try fixture.start(["verify"])
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    // The scratch database of this dr: its comment names the process.
    let query =
      "SELECT datname FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE '%owner=\(dr.pid).%'"
    #expect(try await eventually { try await admin.query(query).count == 1 }, "no scratch database appeared")
    let scratch = try #require(try await admin.query(query).first?.first ?? nil)
    #expect(await eventually { proxy.counters.bytesServerToClient > 50_000 }, "the download never began")
    kill(dr.pid, SIGKILL)
    #expect(await dr.wait() == .signaled(SIGKILL))
    #expect(try await TestDatabases.exists(scratch), "kill -9 should leave the scratch database")

    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: extra)
    let next = try await fixture.run(["verify"])
    #expect(next.status == 0, "\(next.combined)")
    #expect(next.standardError.contains("dropped the scratch database \(scratch)"), "\(next.standardError)")
    let left = try await TestDatabases.exists(scratch)
    #expect(!left, "the killed dr's scratch database is dropped")
    var tally = FaultTally("kill -9 of dr mid-verify (scratch_url)")
    tally.faults = 1
    tally.scratchLeftovers = left ? 1 : 0
    try await EndState(fixture, database: scratch).check(tally)
    await fixture.remove()
  }
}
