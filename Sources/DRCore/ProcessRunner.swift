/// Runs a short child process to completion and collects its output (version probes,
/// small psql calls, tools in tests). Built on `ChildProcess`: both pipes drained at
/// once, no blocked signals in the child, nothing waits on the cooperative pool.
public enum ProcessRunner {
  public struct Output: Sendable {
    /// The exit status, or 128 + the signal that killed it (as a shell reports it).
    public let status: Int32
    public let standardOutput: String
    /// The last 64 KiB of standard error.
    public let standardError: String
  }

  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
  ) async throws -> Output {
    let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
    var output: [UInt8] = []
    do {
      while let bytes = try await child.output.next() { output += bytes }
    } catch {
      // Cancelled (SIGINT, SIGTERM): the child must not outlive the work it was part of.
      // An initdb left running kept writing into the scratch directory being removed.
      await child.terminate(grace: .seconds(5))
      throw error
    }
    let status: Int32 =
      switch await child.wait() {
      case .exited(let code): code
      case .signaled(let signal): 128 + signal
      }
    return Output(
      status: status, standardOutput: String(decoding: output, as: UTF8.self), standardError: child.standardError)
  }
}
