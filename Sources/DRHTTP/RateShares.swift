import Synchronization

/// A bandwidth cap shared by one client's transfers (`storage.max_rate`). libcurl caps
/// each transfer on its own (`CURLOPT_MAX_SEND_SPEED_LARGE`, `…_RECV_…`) and its cap cannot
/// be changed once the transfer runs, so the total is held by dividing it: at most `slots`
/// bulk transfers run at once, each capped at `total / slots`; a further one waits for a
/// slot. The sum of the caps in force is never above `total`, however many parts the
/// callers put in flight; and since libcurl's caps average over time (a short part goes
/// through at full speed), every body byte of a capped transfer also passes a token bucket
/// shared by them (`pace`), which is what holds the total. Small requests (no sink, a body under `bulkThreshold`: lease
/// renewals, manifests, listings) are neither capped nor queued, so a slow cap cannot
/// starve a lease's renewal behind a part.
public final class RateShares: Sendable {
  /// Bytes per second for all the client's bulk transfers together.
  public let total: Int64
  public let slots: Int
  public static let bulkThreshold: Int64 = 1 << 20

  private struct State {
    var free: Int
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    var nextID: UInt64 = 0
  }

  private let state: Mutex<State>
  /// The token bucket of `pace` (bytes it may still pass, and when it was last filled).
  let pacer = Mutex<(tokens: Double, last: ContinuousClock.Instant)>((0, .now))

  public init(total: Int64, slots: Int) {
    self.total = max(1, total)
    self.slots = max(1, slots)
    state = Mutex(State(free: max(1, slots)))
  }

  /// Each bulk transfer's cap, in bytes per second.
  public var share: Int64 { max(1, total / Int64(slots)) }

  /// Whether a request is bulk: its response streams to a sink, or its body is large.
  public static func isBulk(bodyLength: Int64, streamsResponse: Bool) -> Bool {
    streamsResponse || bodyLength >= bulkThreshold
  }

  /// Waits for a slot; cancelling the waiting task throws `CancellationError`.
  func acquire() async throws {
    let id = state.withLock { state -> UInt64? in
      if state.free > 0 {
        state.free -= 1
        return nil
      }
      state.nextID += 1
      return state.nextID
    }
    guard let id else { return }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let cancelled = state.withLock { state -> Bool in
          if Task.isCancelled { return true }
          state.waiters.append((id, continuation))
          return false
        }
        if cancelled { continuation.resume(throwing: CancellationError()) }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
      }
      waiter?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Gives the slot to the first waiter, or frees it.
  func release() {
    let next = state.withLock { state in
      guard !state.waiters.isEmpty else {
        state.free += 1
        return nil as CheckedContinuation<Void, any Error>?
      }
      return state.waiters.removeFirst().continuation
    }
    next?.resume()
  }
}
