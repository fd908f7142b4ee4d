import DRCompression
import DRCore
import Foundation
import Synchronization

/// An owner of an `OrderedParallelStage` of numbers, as `ParallelCompressor` owns one of
/// chunks: each write submits its numbers in order; the summary is how many were handed on.
actor StageHarness {
  typealias Stage = OrderedParallelStage<Int, Int, Int>

  let stage: Stage
  nonisolated let gauge: ThreadGauge
  let consumer: @Sendable (Int) async throws -> Void
  var delivered = 0

  init(
    threads: Int, inFlight: Int, work: @escaping @Sendable (Int, StopFlag) throws -> Int,
    consumer: @escaping @Sendable (Int) async throws -> Void = { _ in }
  ) {
    stage = Stage(
      threadName: "dr-test-stage", threads: threads, inFlight: inFlight,
      misuse: { CompressionError(.misuse, "the test stage \($0)") }
    ) { work }
    gauge = stage.gauge
    self.consumer = consumer
  }

  nonisolated var runningThreads: Int { gauge.running }

  func write(_ items: [Int]) async throws {
    try await stage.run {
      for item in items { try await stage.submit(item, deliver: deliver) }
    }
  }

  func finish(last items: [Int] = []) async throws -> Int {
    try await stage.finish(deliver: deliver) {
      for item in items { try await stage.submit(item, deliver: deliver) }
    } summary: {
      delivered
    }
  }

  /// A call that says it is under way on `entered`, then waits for `gate` to yield.
  func hold(entered: AsyncStream<Void>.Continuation, gate: AsyncStream<Void>) async throws {
    try await stage.run {
      entered.yield()
      for await _ in gate { break }
    }
  }

  func abort() async { await stage.abort() }

  private func deliver(_ output: Int) async throws {
    try await consumer(output)
    delivered += 1
  }
}

/// A one-shot signal that work on a stage's threads waits for, at most 30 s.
final class ThreadGate: Sendable {
  private let semaphore = DispatchSemaphore(value: 0)
  private let opened = Atomic<Bool>(false)

  func wait() {
    guard !opened.load(ordering: .acquiring) else { return }
    if semaphore.wait(timeout: .now() + 30) == .success { semaphore.signal() }
  }

  func open() {
    opened.store(true, ordering: .releasing)
    semaphore.signal()
  }
}
