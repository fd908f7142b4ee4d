import DRCore
import Foundation

/// A `dr worker` on a backup fixture's policy (or any policy file): its own schedules (far
/// from now, so only catch-up runs fire), a free port for /metrics, no jitter, and job
/// leases of 120 s (renewed every 40 s). A run whose renewals miss their expiry is stopped
/// as lost, so the ttl must outlast what a loaded machine does to a renewal: with 15 s, a
/// CI run's RGW that answered nothing for a minute turned a failed backup into a lost one.
/// Tests about expiry and takeover pass a short `leaseTTL` of their own.
public struct WorkerFixture: Sendable {
  public let port: Int
  public let process: ChildProcess

  /// The fixture's policy with a schedule, `verify` and `notify` as given.
  public static func writePolicy(
    _ fixture: BackupFixture, endpoint: String, verifySchedule: String? = "30 4 * * *", notify: String = "",
    databaseURL: String? = nil
  ) throws {
    let verify = verifySchedule.map { "schedule: \"\($0)\", " } ?? ""
    try fixture.writePolicy(
      endpoint: endpoint, extra: "verify: {\(verify)scratch: local, max_age: 26h}\n\(notify)\n",
      backup: "{schedule: \"0 */6 * * *\", compression: {codec: bzip2, level: 9, threads: 2}, globals: true}",
      databaseURL: databaseURL)
  }

  public static func start(_ fixture: BackupFixture, _ extra: [String] = [], leaseTTL: Int = 120) throws
    -> WorkerFixture
  {
    try start(policyFile: fixture.policyFile, environment: try fixture.environment(), extra, leaseTTL: leaseTTL)
  }

  /// A worker on `policyFile` with exactly `environment`.
  public static func start(
    policyFile: String, environment: [String: String], _ extra: [String] = [], leaseTTL: Int = 120
  ) throws -> WorkerFixture {
    let port = try LoopbackPort.free()
    let process = try ChildProcess(
      DRBinary.path,
      [
        "worker", "--policy", policyFile, "--listen", "127.0.0.1:\(port)", "--jitter", "0", "--poll", "1",
        "--lease-ttl", String(leaseTTL),
      ] + extra, environment: environment)
    return WorkerFixture(port: port, process: process)
  }

  public func get(_ path: String) async throws -> ProcessRunner.Output {
    try await ProcessRunner.run(
      "/usr/bin/curl", ["-s", "--max-time", "5", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"])
  }

  /// The value of `name{policy="backup-test"…}` in /metrics, if present.
  public func metric(_ name: String, labels: String = "policy=\"backup-test\"") async throws -> Double? {
    let text = try await get("/metrics").standardOutput
    let prefix = labels.isEmpty ? "\(name) " : "\(name){\(labels)"
    for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
      return line.split(separator: " ").last.flatMap { Double($0) }
    }
    return nil
  }

  /// Waits (bounded: five minutes, as a run in a loaded full test run can take minutes)
  /// until `condition` holds. Giving up stops the worker (it would otherwise outlive the
  /// test) and throws, saying what was awaited.
  public func waitUntil(
    _ what: String, limit: Duration = .seconds(300), _ condition: () async throws -> Bool
  ) async throws {
    var held = false
    _ = try await eventually(limit: limit, every: .milliseconds(250)) {
      held = try await condition()
      return held || process.termination != nil
    }
    if held { return }
    var stopped = process.termination.map { "ended: \($0)" } ?? ""
    if stopped.isEmpty { stopped = "still running; stopped: \(await process.terminate())" }
    throw TestSupportError("gave up waiting for \(what); worker \(stopped)\n\(process.standardError)")
  }

  /// The worker's `dr backup` child, once its pg_dump runs.
  public func runningBackup() async -> pid_t? {
    var backup: pid_t?
    _ = await eventually(limit: .seconds(60), every: .milliseconds(250)) {
      for child in ProcessTree.children(of: process.pid) where ProcessTree.arguments(of: child).contains("backup") {
        if await ProcessTree.waitForChild(of: child, named: "pg_dump") != nil { backup = child }
      }
      return backup != nil
    }
    return backup
  }

  /// SIGTERM, and how the worker ended.
  public func stop() async -> ChildProcess.Termination {
    kill(process.pid, SIGTERM)
    return await process.wait()
  }

  /// What the worker printed on standard output (its JSON log lines), once it ended.
  public func log() async -> String { await process.remainingOutput() }
}
