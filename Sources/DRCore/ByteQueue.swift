import Foundation

/// A bounded queue of byte buffers from a producer thread to an async consumer.
///
/// The producer (a thread reading a pipe) blocks in `put` while `capacity` bytes are
/// queued — back-pressure that stops it reading, so the child writing the pipe waits too.
/// The consumer awaits `next()` without blocking any thread.
public final class ByteQueue: @unchecked Sendable {
  // Guarded by `condition`.
  private var buffers: [[UInt8]] = []
  private var queued = 0
  private var finished = false
  private var failure: (any Error)?
  private var cancelled = false
  private var waiter: CheckedContinuation<[UInt8]?, any Error>?
  private let condition = NSCondition()
  public let capacity: Int

  public init(capacity: Int) {
    self.capacity = capacity
  }

  /// Adds a buffer, blocking the calling thread while the queue is full. False when the
  /// consumer went away (cancelled): the producer should stop.
  @discardableResult
  public func put(_ bytes: [UInt8]) -> Bool {
    condition.lock()
    while queued >= capacity, !cancelled { condition.wait() }
    guard !cancelled else {
      condition.unlock()
      return false
    }
    if let waiter {
      self.waiter = nil
      condition.unlock()
      waiter.resume(returning: bytes)
      return true
    }
    buffers.append(bytes)
    queued += bytes.count
    condition.unlock()
    return true
  }

  /// Ends the stream, with an error or normally.
  public func finish(throwing error: (any Error)? = nil) {
    condition.lock()
    finished = true
    failure = error
    let waiter = self.waiter
    self.waiter = nil
    condition.unlock()
    if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
  }

  /// The consumer is done: wakes a blocked producer, which then stops, and a consumer
  /// waiting in `next()` (when another task cancels, as `ChildProcess.terminate` does),
  /// which gets `CancellationError` rather than waiting for ever.
  public func cancel() {
    condition.lock()
    cancelled = true
    buffers = []
    queued = 0
    let waiter = self.waiter
    self.waiter = nil
    condition.broadcast()
    condition.unlock()
    waiter?.resume(throwing: CancellationError())
  }

  /// The next buffer, or nil at the end. Cancelling the calling task ends the wait with
  /// `CancellationError` (the producer is then told to stop).
  public func next() async throws -> [UInt8]? {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        condition.lock()
        if !buffers.isEmpty {
          let bytes = buffers.removeFirst()
          queued -= bytes.count
          condition.signal()
          condition.unlock()
          continuation.resume(returning: bytes)
        } else if finished || cancelled {
          let failure = cancelled ? CancellationError() : self.failure
          condition.unlock()
          if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: nil) }
        } else if Task.isCancelled {
          condition.unlock()
          continuation.resume(throwing: CancellationError())
        } else {
          waiter = continuation
          condition.unlock()
        }
      }
    } onCancel: {
      cancel()
    }
  }
}
