/// Runs a child process to completion and collects its output (version probes, small psql
/// calls, pg_restore from a file, the worker's `dr` jobs, tools in tests). Built on
/// `ChildProcess.run`: both pipes drained at once, no blocked signals in the child, nothing
/// waits on the cooperative pool, and the child never outlives the call.
public enum ProcessRunner {
  public struct Output: Sendable {
    /// The exit status, or 128 + the signal that killed it (as a shell reports it).
    public let status: Int32
    public let standardOutput: String
    /// The last 64 KiB of standard error.
    public let standardError: String
  }

  /// What a cancelled run does once its child is stopped.
  public enum WhenCancelled: Sendable {
    /// Throws `CancellationError`.
    case `throw`
    /// Returns the stopped child's output and status (the worker reports how a job ended).
    case report
  }

  /// Runs `executable` to its end. Cancelling the calling task stops the child at once
  /// (SIGTERM to its group, SIGKILL after `grace`).
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
    grace: Duration = .seconds(5), whenCancelled: WhenCancelled = .throw,
    standardErrorLines: (@Sendable (Substring) -> Void)? = nil
  ) async throws -> Output {
    try await ChildProcess.run(
      executable, arguments, environment: environment, directory: directory, grace: grace,
      standardErrorLines: standardErrorLines
    ) {
      try await collect($0, grace: grace, whenCancelled: whenCancelled)
    }
  }

  /// Reads `child`'s output to its end and waits for it. Cancelling the calling task
  /// starts stopping the child at once.
  public static func collect(_ child: ChildProcess, grace: Duration, whenCancelled: WhenCancelled) async throws
    -> Output
  {
    var output: [UInt8] = []
    let drained: Bool = await withTaskCancellationHandler {
      do {
        while let bytes = try await child.output.next() { output += bytes }
        return true
      } catch {
        return false
      }
    } onCancel: {
      Task { await child.terminate(grace: grace) }
    }
    if !drained, whenCancelled == .throw { throw CancellationError() }
    let status: Int32 =
      switch await child.wait() {
      case .exited(let code): code
      case .signaled(let signal): 128 + signal
      }
    return Output(
      status: status, standardOutput: String(decoding: output, as: UTF8.self), standardError: child.standardError)
  }
}
