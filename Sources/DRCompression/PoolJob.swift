import Synchronization

/// One unit of work for a `WorkerPool`: its input until a worker takes it, then its
/// result until the waiting task takes that.
final class PoolJob<Input: Sendable, Output: Sendable>: Sendable {
  private enum Phase {
    case queued(Input)
    case running
    case done(Result<Output, any Error>)
    /// The result went to the waiting task; nothing is held any more.
    case delivered
  }

  private struct State {
    var phase: Phase
    var waiter: CheckedContinuation<Output, any Error>?
  }

  private let state: Mutex<State>

  init(_ input: Input) {
    state = Mutex(State(phase: .queued(input)))
  }

  /// Moves the input out for a worker; nil when the job was settled before it started.
  func take() -> Input? {
    state.withLock { state in
      guard case .queued(let input) = state.phase else { return nil }
      state.phase = .running
      return input
    }
  }

  /// Settles the job once; later calls (a worker finishing a cancelled job) are ignored
  /// and their result is dropped.
  func complete(_ result: Result<Output, any Error>) {
    let waiter = state.withLock { state -> CheckedContinuation<Output, any Error>? in
      switch state.phase {
      case .done, .delivered: return nil
      case .queued, .running: break
      }
      guard let waiter = state.waiter else {
        state.phase = .done(result)
        return nil
      }
      state.phase = .delivered
      state.waiter = nil
      return waiter
    }
    waiter?.resume(with: result)
  }

  var isDone: Bool {
    state.withLock { state in
      if case .done = state.phase { return true }
      return false
    }
  }

  /// Waits for the result. Cancelling the waiting task settles the job with
  /// `CancellationError` at once; a worker still running it is stopped by its pool.
  func value() async throws -> Output {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let ready = state.withLock { state -> Result<Output, any Error>? in
          guard case .done(let result) = state.phase else {
            state.waiter = continuation
            return nil
          }
          state.phase = .delivered
          return result
        }
        if let ready { continuation.resume(with: ready) }
      }
    } onCancel: {
      complete(.failure(CancellationError()))
    }
  }
}
