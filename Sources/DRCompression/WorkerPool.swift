import DRCore
import Dispatch
import Foundation
import Synchronization

/// Runs blocking work (libbz2 and libzstd calls) on up to `maxThreads` threads of its own, never on
/// Swift's cooperative pool. Threads start when jobs need them and stay until
/// `shutdown`; each thread builds its own worker state with `makeWork` (an encoder and
/// its scratch memory), so that state never crosses threads.
///
/// Jobs are taken in submission order. `shutdown(cancelling: true)` settles queued jobs
/// with `CancellationError` and sets `stop`, which running work checks between blocks.
final class WorkerPool<Input: Sendable, Output: Sendable>: Sendable {
  typealias Work = (Input, StopFlag) throws -> Output

  private struct State {
    var queue: [PoolJob<Input, Output>] = []
    var live = 0
    var idle = 0
    var closed = false
    var stoppedWaiters: [CheckedContinuation<Void, Never>] = []
  }

  let name: String
  let maxThreads: Int
  let stop = StopFlag()
  private let makeWork: @Sendable () -> Work
  private let state = Mutex(State())
  /// One signal per queued job and one per thread told to exit.
  private let wake = DispatchSemaphore(value: 0)

  init(name: String, maxThreads: Int, makeWork: @escaping @Sendable () -> Work) {
    self.name = name
    self.maxThreads = max(1, maxThreads)
    self.makeWork = makeWork
  }

  /// Threads started and not yet finished.
  var liveThreads: Int { state.withLock { $0.live } }

  /// Queues `input`; on a pool that was shut down the job fails with `CancellationError`.
  func submit(_ input: Input) -> PoolJob<Input, Output> {
    let job = PoolJob<Input, Output>(input)
    let start = state.withLock { state -> Bool? in
      guard !state.closed else { return nil }
      state.queue.append(job)
      guard state.queue.count > state.idle, state.live < maxThreads else { return false }
      state.live += 1
      return true
    }
    guard let start else {
      job.complete(.failure(CancellationError()))
      return job
    }
    if start { startThread() }
    wake.signal()
    return job
  }

  /// Lets threads exit once the queue is empty; with `cancelling`, empties the queue and
  /// asks running work to stop. Safe to call more than once.
  func shutdown(cancelling: Bool) {
    if cancelling { stop.set() }
    let (dropped, exits) = state.withLock { state -> ([PoolJob<Input, Output>], Int) in
      let dropped = cancelling ? state.queue : []
      if cancelling { state.queue = [] }
      if state.closed { return (dropped, 0) }
      state.closed = true
      return (dropped, state.live)
    }
    for job in dropped { job.complete(.failure(CancellationError())) }
    for _ in 0..<exits { wake.signal() }
  }

  /// Returns once every thread has finished; call after `shutdown`.
  func waitUntilStopped() async {
    await withCheckedContinuation { continuation in
      let stopped = state.withLock { state -> Bool in
        guard state.live > 0 else { return true }
        state.stoppedWaiters.append(continuation)
        return false
      }
      if stopped { continuation.resume() }
    }
  }

  private func startThread() {
    let thread = Thread { [self] in runWorker() }
    thread.name = name
    thread.stackSize = 1 << 20
    thread.start()
  }

  private func runWorker() {
    // The work (an encoder, and what it owns: an lbzip2 process) ends with this scope,
    // before the thread counts as stopped: once `waitUntilStopped` returns, it is gone.
    do {
      let work = makeWork()
      while let job = next() {
        if let result = execute(job, work) { job.complete(result) }
      }
    }
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.live -= 1
      guard state.live == 0 else { return [] }
      defer { state.stoppedWaiters = [] }
      return state.stoppedWaiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// The next job, or nil when the pool is shut down and its queue is empty.
  private func next() -> PoolJob<Input, Output>? {
    state.withLock { $0.idle += 1 }
    wake.wait()
    return state.withLock { state in
      state.idle -= 1
      return state.queue.isEmpty ? nil : state.queue.removeFirst()
    }
  }

  /// Runs one job; its input is released when this returns, before the job completes, so
  /// a finished chunk's input and the next chunk's input are never held together.
  private func execute(_ job: PoolJob<Input, Output>, _ work: Work) -> Result<Output, any Error>? {
    guard let input = job.take() else { return nil }
    if stop.isSet { return .failure(CancellationError()) }
    return Result { try work(input, stop) }
  }
}
