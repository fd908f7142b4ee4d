import DRCore
import Foundation
import Synchronization

/// What a job's `dr` child printed and how it ended.
public struct JobReport: Sendable, Equatable {
  /// The exit status (128 + signal when killed).
  public var status: Int32
  /// `id` from the JSON result (the backup's, or the verified backup's).
  public var backupID: String?
  public var durationSeconds: Double?
  public var sizeBytes: Int64?
  /// The restore phase of a verification, in seconds.
  public var restoreSeconds: Double?
  /// Why it failed: the JSON's `error` or `failures`, else the last lines of stderr.
  public var reason: String?
  /// Another backup of the policy held its lease (`"locked": true`).
  public var locked = false

  public var succeeded: Bool { status == 0 }
  /// Stopped by SIGINT or SIGTERM (exit 130 or 143, or killed by them): not a failure of
  /// the job, and another worker may run it.
  public var interrupted: Bool { [130, 143].contains(status) }

  /// Reads what `dr … --json` printed (an object; an array's first object).
  public init(status: Int32, standardOutput: String, standardError: String) {
    self.status = status
    var object = (try? JSONSerialization.jsonObject(with: Data(standardOutput.utf8))) as? [String: Any]
    if object == nil, let array = try? JSONSerialization.jsonObject(with: Data(standardOutput.utf8)) as? [Any] {
      object = array.first as? [String: Any]
    }
    backupID = object?["id"] as? String
    durationSeconds = (object?["duration_seconds"] as? NSNumber)?.doubleValue
    sizeBytes = (object?["size_bytes"] as? NSNumber)?.int64Value
    restoreSeconds = ((object?["phases"] as? [String: Any])?["restore"] as? NSNumber)?.doubleValue
    guard status != 0 else { return }
    locked = object?["locked"] as? Bool ?? false
    reason = Self.reason(object ?? [:], standardError: standardError).redacted
  }

  /// Why a command failed, from its JSON: `error` (any command), `failures` (verify: kind,
  /// subject, detail), or the `checks` that failed (check); else the last lines of stderr.
  static func reason(_ object: [String: Any], standardError: String) -> String {
    if let error = object["error"] as? String, !error.isEmpty { return error }
    let failures = (object["failures"] as? [Any] ?? []).map { failure -> String in
      guard let fields = failure as? [String: Any] else { return "\(failure)" }
      let what = [fields["kind"], fields["subject"]].compactMap { $0 as? String }.joined(separator: " ")
      return what + ((fields["detail"] as? String).map { ": \($0)" } ?? "")
    }
    if !failures.isEmpty { return failures.joined(separator: "; ") }
    let checks = (object["checks"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "failed" }
      .map { "\($0["name"] as? String ?? "check"): \($0["detail"] as? String ?? "failed")" }
    if !checks.isEmpty { return checks.joined(separator: "; ") }
    return standardError.split(separator: "\n").suffix(3).joined(separator: " | ")
  }
}

/// The `dr` children of the worker's jobs: each job runs `dr <command> --json` as its
/// own process (a crash or a leak stays there, memory goes back when it ends, and its
/// SIGTERM path is the one tested for every command). The children learn the worker's
/// pid (`DR_PARENT_PID`) and stop cleanly if it dies. On shutdown, `terminateAll` gives
/// them SIGTERM, so a backup aborts its upload and exits 143.
public final class JobProcesses: Sendable {
  let executable: String
  let environment: [String: String]
  private let running = Mutex<[pid_t: ChildProcess]>([:])

  public init(executable: String, environment: [String: String]) {
    self.executable = executable
    var environment = environment
    environment[ParentWatch.variable] = String(getpid())
    self.environment = environment
  }

  /// Runs `dr` with `arguments` to its end. Cancelling the calling task stops the child as
  /// the worker's shutdown does (SIGTERM, SIGKILL after a minute): a run whose lease was
  /// taken over must not go on.
  public func run(_ arguments: [String]) async throws -> JobReport {
    let child = try ChildProcess(executable, arguments, environment: environment)
    running.withLock { $0[child.pid] = child }
    defer { _ = running.withLock { $0.removeValue(forKey: child.pid) } }
    let output = await withTaskCancellationHandler {
      var output: [UInt8] = []
      do {
        while let bytes = try await child.output.next() { output += bytes }
      } catch {
        // Cancelled (by `terminateAll` or the task's cancellation): the child is being
        // stopped; its status says how it ended.
      }
      return output
    } onCancel: {
      Task { await child.terminate(grace: .seconds(60)) }
    }
    let status: Int32 =
      switch await child.wait() {
      case .exited(let code): code
      case .signaled(let signal): 128 + signal
      }
    return JobReport(
      status: status, standardOutput: String(decoding: output, as: UTF8.self), standardError: child.standardError)
  }

  /// How many children run now.
  public var count: Int { running.withLock { $0.count } }

  /// SIGTERM to every child, SIGKILL to those still running after `grace`.
  public func terminateAll(grace: Duration) async {
    let children = running.withLock { Array($0.values) }
    await withTaskGroup(of: Void.self) { group in
      for child in children { group.addTask { _ = await child.terminate(grace: grace) } }
    }
  }
}
