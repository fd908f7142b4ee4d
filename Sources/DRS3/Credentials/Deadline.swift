import Synchronization

/// Runs `operation` for at most `limit`. Returns nil as soon as the limit passes, and
/// cancels the operation, which may wind down in the background (a libcurl transfer
/// notices cancellation at its next progress callback, up to a second later). Cancelling
/// the caller cancels the operation too.
func withDeadline<Value: Sendable>(
  _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value? {
  let race = Race<Value?>()
  return try await withTaskCancellationHandler {
    try await withCheckedThrowingContinuation { continuation in
      race.start(continuation)
      let work = Task {
        do {
          race.finish(.success(try await operation()))
        } catch {
          race.finish(.failure(error))
        }
      }
      let timer = Task {
        try? await Task.sleep(for: limit)
        if !Task.isCancelled { race.finish(.success(nil)) }
      }
      race.onFinish {
        work.cancel(); timer.cancel()
      }
    }
  } onCancel: {
    race.finish(.failure(CancellationError()))
  }
}

/// Resumes a continuation exactly once, with whichever result comes first.
private final class Race<Value: Sendable>: Sendable {
  private struct State {
    var continuation: CheckedContinuation<Value, any Error>?
    var result: Result<Value, any Error>?
    var cleanup: (@Sendable () -> Void)?
    var finished = false
  }

  private let state = Mutex(State())

  func start(_ continuation: CheckedContinuation<Value, any Error>) {
    let early = state.withLock { state -> Result<Value, any Error>? in
      guard let result = state.result else {
        state.continuation = continuation
        return nil
      }
      return result
    }
    if let early { continuation.resume(with: early) }
  }

  func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
    let already = state.withLock { state -> Bool in
      if !state.finished { state.cleanup = cleanup }
      return state.finished
    }
    if already { cleanup() }
  }

  func finish(_ result: Result<Value, any Error>) {
    let (continuation, cleanup) = state.withLock {
      state -> (CheckedContinuation<Value, any Error>?, (@Sendable () -> Void)?) in
      guard !state.finished else { return (nil, nil) }
      state.finished = true
      state.result = result
      defer { state.continuation = nil; state.cleanup = nil }
      return (state.continuation, state.cleanup)
    }
    continuation?.resume(with: result)
    cleanup?()
  }
}
