import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into the cancellation of one piece of work, so it can clean up
/// (abort uploads, stop children, drop scratch databases) before the process exits with
/// 130 or 143.
public enum SignalTrap {
  /// The work was interrupted by `signal` and has cleaned up.
  public struct Interrupted: DRError {
    public let signal: Int32
    public var exitStatus: ExitStatus { signal == SIGTERM ? .terminated : .interrupted }
    public var description: String {
      "interrupted by \(signal == SIGTERM ? "SIGTERM" : "SIGINT"); stopped and cleaned up"
    }
  }

  /// Runs `body` in a task that SIGINT or SIGTERM cancel. When a signal came, throws
  /// `Interrupted` once `body` has returned (it is expected to clean up on cancellation).
  public static func run<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result
  {
    let received = Atomic<Int32>(0)
    let task = Task { try await body() }
    let sources = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        _ = received.compareExchange(expected: 0, desired: number, ordering: .relaxed)
        task.cancel()
      }
      source.resume()
      return source
    }
    defer {
      for source in sources { source.cancel() }
      for number in [SIGINT, SIGTERM] { signal(number, SIG_DFL) }
    }
    let outcome = await task.result
    let number = received.load(ordering: .relaxed)
    if number != 0 { throw Interrupted(signal: number) }
    return try outcome.get()
  }
}
