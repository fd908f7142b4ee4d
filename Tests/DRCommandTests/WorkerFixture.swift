import DRCore
import DRTestSupport
import Foundation
import Testing

/// A `dr worker` on a backup fixture's policy (or any policy file): its own schedules (far
/// from now, so only catch-up runs fire), a free port for /metrics, no jitter, short lease
/// timings (15 s: renewals every 5 s; a run whose renewals miss their expiry is stopped,
/// and a busy test machine can hold a renewal for seconds).
struct WorkerFixture {
  let port: Int
  let process: ChildProcess

  /// The fixture's policy with a schedule, `verify` and `notify` as given.
  static func writePolicy(
    _ fixture: BackupFixture, endpoint: String, verifySchedule: String? = "30 4 * * *", notify: String = "",
    databaseURL: String? = nil
  ) throws {
    let verify = verifySchedule.map { "schedule: \"\($0)\", " } ?? ""
    let text = """
      name: backup-test
      database: {url: "\(try databaseURL ?? fixture.userURL())"}
      storage: {url: "s3://\(fixture.bucket)/prefix/", endpoint: "\(endpoint)", region: us-east-1}
      backup: {schedule: "0 */6 * * *", compression: {codec: bzip2, level: 9, threads: 2}, globals: true}
      verify: {\(verify)scratch: local, max_age: 26h}
      \(notify)

      """
    try text.write(toFile: fixture.policyFile, atomically: true, encoding: .utf8)
  }

  static func start(_ fixture: BackupFixture, _ extra: [String] = []) throws -> WorkerFixture {
    try start(policyFile: fixture.policyFile, environment: try fixture.environment(), extra)
  }

  /// A worker on `policyFile` with exactly `environment`.
  static func start(policyFile: String, environment: [String: String], _ extra: [String] = []) throws
    -> WorkerFixture
  {
    let port = try LoopbackPort.free()
    let process = try ChildProcess(
      DRBinary.path,
      [
        "worker", "--policy", policyFile, "--listen", "127.0.0.1:\(port)", "--jitter", "0", "--poll", "1",
        "--lease-ttl", "15",
      ] + extra, environment: environment)
    return WorkerFixture(port: port, process: process)
  }

  func get(_ path: String) async throws -> ProcessRunner.Output {
    try await ProcessRunner.run(
      "/usr/bin/curl", ["-s", "--max-time", "5", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"])
  }

  /// The value of `name{policy="backup-test"…}` in /metrics, if present.
  func metric(_ name: String, labels: String = "policy=\"backup-test\"") async throws -> Double? {
    let text = try await get("/metrics").standardOutput
    let prefix = labels.isEmpty ? "\(name) " : "\(name){\(labels)"
    for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
      return line.split(separator: " ").last.flatMap { Double($0) }
    }
    return nil
  }

  /// Waits (bounded: about two minutes) until `condition` holds.
  func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
    for _ in 0..<480 {
      if try await condition() { return }
      if process.termination != nil { break }
      try await Task.sleep(for: .milliseconds(250))
    }
    Issue.record("gave up waiting for \(what); worker \(process.termination.map { "\($0)" } ?? "running")")
  }

  /// The worker's `dr backup` child, once its pg_dump runs.
  func runningBackup() async -> pid_t? {
    for _ in 0..<240 {
      for child in ProcessTree.children(of: process.pid) where ProcessTree.arguments(of: child).contains("backup") {
        if await ProcessTree.waitForChild(of: child, named: "pg_dump") != nil { return child }
      }
      try? await Task.sleep(for: .milliseconds(250))
    }
    return nil
  }

  /// SIGTERM, and how the worker ended.
  func stop() async -> ChildProcess.Termination {
    kill(process.pid, SIGTERM)
    return await process.wait()
  }

  /// What the worker printed on standard output (its JSON log lines), once it ended.
  func log() async -> String {
    var bytes: [UInt8] = []
    while let chunk = try? await process.output.next() { bytes += chunk }
    return String(decoding: bytes, as: UTF8.self)
  }
}
