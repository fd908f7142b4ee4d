import DRWorker
import Foundation
import Synchronization

/// A clock whose time moves only when told: for tests, and for anything that replays a
/// schedule. `advance(to:)` resumes the sleepers whose deadline has passed, earliest
/// first; a cancelled sleeper throws `CancellationError` at once. All state sits behind
/// one lock, and continuations are resumed after it is released.
public final class ManualClock: WorkerClock {
  private let state: Mutex<ManualClockState>

  public init(now: Date) {
    state = Mutex(ManualClockState(now: now))
  }

  public var now: Date { state.withLock { $0.now } }

  /// Sleeps parked now, waiting for a later time.
  public var sleeperCount: Int { state.withLock { $0.parkedCount } }

  /// Sets the time to `date` (time never moves back) and wakes every sleeper due by then.
  public func advance(to date: Date) {
    for continuation in state.withLock({ $0.advance(to: date) }) { continuation.resume() }
  }

  public func advance(by seconds: TimeInterval) {
    advance(to: now.addingTimeInterval(seconds))
  }

  public func sleep(until deadline: Date) async throws {
    let id = state.withLock { $0.register() }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let (parking, watchers) = state.withLock { $0.park(id, until: deadline, continuation) }
        switch parking {
        case .wait: break
        case .resume: continuation.resume()
        case .cancel: continuation.resume(throwing: CancellationError())
        }
        for watcher in watchers { watcher.continuation.resume() }
      }
    } onCancel: {
      state.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
    }
  }

  /// Returns once at least `count` sleepers are parked: a test's way to know the code
  /// under test has reached its next wait, without waiting on real time. It waits on a
  /// continuation, not a polling loop; it is not cancellable, so pair it with a test
  /// time limit.
  public func waitForSleepers(_ count: Int) async {
    await withCheckedContinuation { continuation in
      if !state.withLock({ $0.watch(count, continuation) }) { continuation.resume() }
    }
  }
}
