import Foundation

/// Where the scheduler reads the time and waits for it. Injected so tests move time by
/// hand (the tests' `ManualClock`) and never wait for real minutes.
public protocol WorkerClock: Sendable {
  /// The current wall-clock time.
  var now: Date { get }

  /// Returns once `now` has reached `deadline`, or earlier if the wall clock was set
  /// back (callers re-read `now` and decide again). Throws `CancellationError` when the
  /// calling task is cancelled.
  func sleep(until deadline: Date) async throws
}

/// The real clock: `Date()` and `Task.sleep`.
///
/// Cron times are wall-clock times, while `Task.sleep` measures elapsed time, which
/// drifts from the wall clock across a suspend or an NTP step. So it sleeps at most a
/// minute at a time and re-reads the wall clock between naps.
public struct SystemClock: WorkerClock {
  /// The longest single nap between two readings of the wall clock.
  static let longestNap: TimeInterval = 60

  public init() {}

  public var now: Date { Date() }

  public func sleep(until deadline: Date) async throws {
    let naps = Int((max(0, deadline.timeIntervalSince(now)) / Self.longestNap).rounded(.up)) + 1
    for _ in 0..<naps {
      let remaining = deadline.timeIntervalSince(now)
      guard remaining > 0 else { return }
      try await Task.sleep(for: .seconds(min(remaining, Self.longestNap)))
    }
  }
}
