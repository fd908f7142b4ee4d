import DRCore

/// The scaffold of every ordered parallel stage (compressor, decompressor, cipher): work
/// submitted in order runs on a `WorkerPool` of its own, at most `inFlight` items at a
/// time, and the results are handed on strictly in submission order, from inside the
/// producer's own calls.
///
/// - The producer's calls are `run` (a write) and `finish`; inside them the stage's
///   owner calls `submit`. `submit` waits while `inFlight` items are in flight, handing
///   the oldest on meanwhile, so a slow consumer slows the producer down.
/// - `finish` hands everything on, stops the threads and records the summary; asked
///   again it returns the same summary.
/// - A failure (the work's, the consumer's) or the calling task's cancellation stops the
///   threads, drops what is in flight, and is thrown from that call and every later one.
///   No thread of the stage runs once the failing call returns. `abort` does the same
///   from outside a call.
/// - Calls must not overlap: one producer feeds one stage. An overlapping call is
///   refused with the owner's misuse error and changes nothing.
///
/// Isolation: the stage is a non-`Sendable` class owned by one actor (the stage's owner,
/// e.g. `ParallelCompressor`). Its async methods take the caller's isolation
/// (`isolated (any Actor)? = #isolation`, the Swift 6.0 spelling of what 6.2 calls
/// `nonisolated(nonsending)`; the package's tools version is 6.0), so they run on the
/// owner's executor: no hop per write, and the closures they take (the body of a call,
/// `deliver`, `summary`) may read and change the owner's own state (its fill buffer,
/// byte counts, stream boundaries) directly. The owner's actor serializes everything but
/// the awaits; across those, the explicit `Phase` (`busy` included) refuses an
/// overlapping call, and a failure recorded by `abort` meanwhile is seen after every
/// await. The blocking work itself runs only on the pool's threads, never on Swift's
/// cooperative pool. An actor of its own would cost two hops per item and would need the
/// owner's state to cross isolation; a lock would block the cooperative pool.
public final class OrderedParallelStage<Input: Sendable, Output: Sendable, Summary: Sendable> {
  /// What one thread runs on one item; built once per thread by `makeWork`.
  public typealias Work = (Input, StopFlag) throws -> Output
  /// Hands one result on; called in submission order on the owner's executor.
  public typealias Deliver = (Output) async throws -> Void

  enum Phase {
    /// Between calls.
    case idle
    /// Inside a call (`run` or `finish`).
    case busy
    case finished(Summary)
    case failed(any Error)
  }

  /// The most items submitted and not yet handed on.
  public let inFlight: Int
  /// Threads of this stage running now, readable from any thread.
  public let gauge: ThreadGauge
  let pool: WorkerPool<Input, Output>
  let misuse: @Sendable (String) -> any Error
  var phase = Phase.idle
  /// Submitted and not yet handed on, oldest first.
  var pending: [PoolJob<Input, Output>] = []

  /// `threads` threads named `threadName` run `makeWork()`'s work; `misuse` makes the
  /// owner's error for calls in the wrong order from a phrase such as "has finished".
  public init(
    threadName: String, threads: Int, inFlight: Int, misuse: @escaping @Sendable (String) -> any Error,
    makeWork: @escaping @Sendable () -> Work
  ) {
    let pool = WorkerPool<Input, Output>(name: threadName, maxThreads: threads, makeWork: makeWork)
    self.pool = pool
    self.inFlight = max(1, inFlight)
    self.misuse = misuse
    self.gauge = ThreadGauge { pool.liveThreads }
  }

  deinit { pool.shutdown(cancelling: true) }

  /// One producer call: refuses it after `finish`, during another call (the misuse
  /// error) or after a failure (that failure); runs `body`, which may `submit`. On any
  /// error the stage fails: its threads are stopped and waited for, what is in flight is
  /// dropped, `cleanUp` drops the owner's own buffers, and the first failure is thrown.
  public func run<T>(
    isolation: isolated (any Actor)? = #isolation, cleanUp: () -> Void = {}, _ body: () async throws -> T
  ) async throws -> T {
    try enter()
    do {
      try Task.checkCancellation()
      let value = try await body()
      try leave(to: .idle)
      return value
    } catch {
      throw await failing(error, cleanUp)
    }
  }

  /// The last producer call: runs `last` (which may `submit` what is left), hands every
  /// result on, stops the threads and records `summary()`. Called again after success it
  /// returns the same summary; otherwise it fails like `run`.
  public func finish(
    isolation: isolated (any Actor)? = #isolation, cleanUp: () -> Void = {}, deliver: Deliver,
    last: () async throws -> Void, summary: () -> Summary
  ) async throws -> Summary {
    if case .finished(let summary) = phase { return summary }
    try enter()
    do {
      try Task.checkCancellation()
      try await last()
      while !pending.isEmpty { try await deliverHead(deliver) }
      pool.shutdown(cancelling: false)
      await pool.waitUntilStopped()
      let result = summary()
      try leave(to: .finished(result))
      return result
    } catch {
      throw await failing(error, cleanUp)
    }
  }

  /// Queues `input` once fewer than `inFlight` items are in flight (handing the oldest
  /// on meanwhile), then hands on every result already done, so finished output does not
  /// wait for the next call. Only inside `run` or `finish`.
  public func submit(_ input: Input, isolation: isolated (any Actor)? = #isolation, deliver: Deliver) async throws {
    try Task.checkCancellation()
    while pending.count >= inFlight { try await deliverHead(deliver) }
    try checkBusy()
    pending.append(pool.submit(input))
    while let head = pending.first, head.isDone { try await deliverHead(deliver) }
  }

  /// Stops the threads and drops everything in flight; later calls throw
  /// `CancellationError`. Returns once no thread of this stage runs. A call under way
  /// throws too, at its next await.
  public func abort(isolation: isolated (any Actor)? = #isolation, cleanUp: () -> Void = {}) async {
    _ = await failing(CancellationError(), cleanUp)
  }
}

/// The stage lives in its owner's isolation; it is never shared across it.
@available(*, unavailable)
extension OrderedParallelStage: Sendable {}

/// How many threads a stage runs now, readable from any thread: 0 once `finish` or a
/// failure has returned.
public struct ThreadGauge: Sendable {
  let read: @Sendable () -> Int

  public var running: Int { read() }
}
