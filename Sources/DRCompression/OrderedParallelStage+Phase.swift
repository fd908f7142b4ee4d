extension OrderedParallelStage {
  /// idle → busy; anything else refuses the call without changing the stage.
  func enter() throws {
    switch phase {
    case .idle: phase = .busy
    case .busy: throw misuse("is in another call: calls must not overlap")
    case .finished: throw misuse("has finished")
    case .failed(let error): throw error
    }
  }

  /// busy → `next` at the end of a call; a failure recorded meanwhile (by `abort`) is
  /// thrown instead.
  func leave(to next: Phase) throws {
    switch phase {
    case .busy: phase = next
    case .failed(let error): throw error
    case .idle, .finished: preconditionFailure("a stage left a call it was not in")
    }
  }

  /// Submitting is only for the call under way, and stops at a failure recorded meanwhile.
  func checkBusy() throws {
    switch phase {
    case .busy: return
    case .failed(let error): throw error
    case .idle, .finished: throw misuse("was given work outside a call")
    }
  }

  /// Waits for the oldest item and hands it on.
  func deliverHead(_ deliver: Deliver, isolation: isolated (any Actor)? = #isolation) async throws {
    let job = pending.removeFirst()
    let output = try await job.value()
    try checkBusy()
    try await deliver(output)
  }

  /// idle or busy → failed (the first failure is kept; a finished stage stays finished),
  /// stops the threads, drops what is in flight, waits until no thread runs, runs
  /// `cleanUp`. Returns the failure that later calls will throw.
  func failing(_ error: any Error, _ cleanUp: () -> Void, isolation: isolated (any Actor)? = #isolation) async
    -> any Error
  {
    switch phase {
    case .idle, .busy: phase = .failed(error)
    case .finished, .failed: break
    }
    pool.shutdown(cancelling: true)
    pending = []
    await pool.waitUntilStopped()
    cleanUp()
    if case .failed(let recorded) = phase { return recorded }
    return error
  }
}
