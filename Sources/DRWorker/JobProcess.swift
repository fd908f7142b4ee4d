import DRCore
import Foundation
import Synchronization

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
  public func run(_ kind: JobKind, _ arguments: [String]) async throws -> JobReport {
    let grace = Duration.seconds(60)
    return try await ChildProcess.run(executable, arguments, environment: environment, grace: grace) { child in
      running.withLock { $0[child.pid] = child }
      defer { _ = running.withLock { $0.removeValue(forKey: child.pid) } }
      let output = try await ProcessRunner.collect(child, grace: grace, whenCancelled: .report)
      return JobReport(
        kind, status: output.status, standardOutput: output.standardOutput, standardError: output.standardError)
    }
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
