import DRCore
import DRTestSupport
import Foundation
import Testing

/// Processes and paths the stack must not trip over: pids reused by other processes, and a
/// temporary directory whose path holds a quote and a space.
@Suite(.scenarioGate)
struct StackProcessTests {
  static let policy = """
    name: downtest
    database: {url: "postgresql://u@127.0.0.1:1/db"}
    storage: {url: "s3://bucket-1/p/", endpoint: "http://127.0.0.1:1"}
    stack:
      memcached: {port: 21299}
      app: {command: "/usr/bin/python3 app.py", port: 18099}
      haproxy: {port: 18098, backends: [app]}
    environments: {failover: {}}

    """

  /// Injected: a state.json whose app pid now names an unrelated `sleep` (its recorded
  /// start time is not the sleep's), and whose memcached pid, written by an older dr
  /// without a start time, names another `sleep`. Asserted: `dr down` leaves both running,
  /// says so, forgets them; the haproxy pid recorded with the right start time is stopped.
  @Test func downLeavesAPidThatNowNamesAnotherProcessAlone() async throws {
    let directory = TemporaryDirectory.unique("dr-down-pids")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try Self.policy.write(toFile: "\(directory)/policy.yaml", atomically: true, encoding: .utf8)
    let environment = "\(directory)/state/downtest-failover"
    try FileManager.default.createDirectory(atPath: environment, withIntermediateDirectories: true)
    let reused = try ChildProcess("/bin/sleep", ["300"])
    let legacy = try ChildProcess("/bin/sleep", ["301"])
    let ours = try ChildProcess("/bin/sleep", ["302"])
    let reusedStart = try #require(ProcessIdentity.startTime(of: reused.pid))
    let oursStart = try #require(ProcessIdentity.startTime(of: ours.pid))
    let state = """
      {"environment": "failover", "pids": {"app": \(reused.pid), "memcached": \(legacy.pid), "haproxy": \(ours.pid)},
       "start_times": {"app": \(reusedStart + 1), "haproxy": \(oursStart)}, "ports": {}}
      """
    try state.write(toFile: "\(environment)/state.json", atomically: true, encoding: .utf8)

    let down = try await DRBinary.run(
      ["down", "--env", "failover", "--policy", "\(directory)/policy.yaml"],
      environment: ["DR_STATE_DIR": "\(directory)/state"])
    #expect(down.status == 0, "\(down.combined)")
    #expect(
      down.combined.contains("pid \(reused.pid), recorded for app, now names another process"), "\(down.combined)")
    #expect(down.combined.contains("pid \(legacy.pid), recorded for memcached by an older dr"), "\(down.combined)")
    #expect(down.combined.contains("left alone"), "\(down.combined)")
    #expect(ProcessTree.isRunning(reused.pid), "dr signalled a process it did not start")
    #expect(ProcessTree.isRunning(legacy.pid), "dr signalled a process it could not tell was its own")
    #expect(!ProcessTree.isRunning(ours.pid), "dr did not stop the process it started")
    let after = try String(contentsOfFile: "\(environment)/state.json", encoding: .utf8)
    for pid in [reused.pid, legacy.pid, ours.pid] { #expect(!after.contains("\(pid)"), "\(after)") }
    for child in [reused, legacy, ours] { _ = await child.terminate(grace: .seconds(1)) }
    var tally = FaultTally("dr down with recorded pids that name other processes")
    tally.faults = 2
    await FaultLedger.record(tally)
  }

  /// Injected: TMPDIR with a single quote and a space (short enough that the scratch
  /// server's socket is made there). Asserted: the verification's scratch cluster starts,
  /// the backup passes, nothing is left in TMPDIR, and the usual end state.
  @Test func aVerificationRunsWithAQuoteAndASpaceInTMPDIR() async throws {
    let fixture = try await BackupFixture.make("verifyquote")
    #expect(try await fixture.run(["backup"]).status == 0)
    let root = FileManager.default.temporaryDirectory.path + "/drq-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let temporary = root + "/it's a tmp"
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    let verify = try await fixture.run(["verify", "--json"], ["TMPDIR": temporary])
    #expect(verify.status == 0, "\(verify.combined)")
    #expect(try verify.jsonObject()["outcome"] as? String == "passed", "\(verify.standardOutput)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    var tally = FaultTally("dr verify with a quote and a space in TMPDIR")
    tally.badInputs = 1
    try await EndState(fixture, temporary: temporary).check(tally, environment: ["TMPDIR": temporary])
    await fixture.remove()
  }
}
