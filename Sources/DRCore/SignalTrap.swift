import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into the cancellation of one piece of work, so it can clean up
/// (abort uploads, stop children, drop scratch databases) before the process exits with
/// 130 or 143.
///
/// The signal sources are installed once per process and never removed: libdispatch
/// installs its own handler for a signal the first time a source asks for it, so turning
/// the signal back to its default and trapping it again later (a second `run`) left it
/// ignored, and a command with two trapped phases could not be stopped. Outside `run`, a
/// signal ends the process at once with 128 + its number, as the default action would.
public enum SignalTrap {
  /// The work was interrupted by `signal` and has cleaned up.
  public struct Interrupted: DRError {
    public let signal: Int32
    public var exitStatus: ExitStatus { signal == SIGTERM ? .terminated : .interrupted }
    public var errorCode: String { "interrupted" }
    public var description: String {
      "interrupted by \(signal == SIGTERM ? "SIGTERM" : "SIGINT"); stopped and cleaned up"
    }
  }

  /// What a signal does now: cancel the running work, or (nil) end the process.
  private static let current = Mutex<(@Sendable (Int32) -> Void)?>(nil)

  // Only created (once, thread-safely, as every static) and kept alive; never mutated.
  nonisolated(unsafe) private static let sources: [any DispatchSourceSignal] = [SIGINT, SIGTERM].map { number in
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler {
      guard let handler = current.withLock({ $0 }) else { exit(128 + number) }
      handler(number)
    }
    source.resume()
    return source
  }

  /// Runs `body` in a task that SIGINT or SIGTERM cancel. When a signal came, throws
  /// `Interrupted` once `body` has returned (it is expected to clean up on cancellation).
  public static func run<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result
  {
    _ = sources
    let received = Atomic<Int32>(0)
    let task = Task { try await body() }
    current.withLock { handler in
      handler = { number in
        _ = received.compareExchange(expected: 0, desired: number, ordering: .relaxed)
        task.cancel()
      }
    }
    defer { current.withLock { $0 = nil } }
    let outcome = await task.result
    let number = received.load(ordering: .relaxed)
    if number != 0 { throw Interrupted(signal: number) }
    return try outcome.get()
  }
}
