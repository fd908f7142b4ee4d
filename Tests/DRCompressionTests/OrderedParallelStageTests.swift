import DRCompression
import DRCore
import Foundation
import Synchronization
import Testing

/// The scaffold every ordered parallel stage is built on, tested alone with numbers.
@Suite struct OrderedParallelStageTests {
  struct WorkFailed: Error {}
  struct ConsumerFailed: Error {}

  /// Waits (at most 30 s) until `condition` holds; a test then asserts it.
  static func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<3000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
  }

  /// Work that sleeps a pseudo-random 0–2 ms on its thread, so items finish out of order.
  static func jittered(_ item: Int) -> Int {
    var generator = TestData.Generator(seed: UInt64(item) &* 7919 &+ 1)
    usleep(UInt32(generator.next() % 2000))
    return item * 3
  }

  @Test func resultsComeInSubmissionOrderWhateverTheirDelays() async throws {
    let received = Collector<Int>()
    let delivered = Atomic<Int>(0)
    let inFlight = 5
    let overrun = Atomic<Int>(0)
    let harness = StageHarness(threads: 3, inFlight: inFlight) { item, _ in
      // When a thread starts an item, at most `inFlight` are submitted and not handed on.
      if item + 1 - delivered.load(ordering: .acquiring) > inFlight { overrun.add(1, ordering: .relaxed) }
      return Self.jittered(item)
    } consumer: { output in
      received.append(output)
      delivered.add(1, ordering: .releasing)
    }
    var next = 0
    var generator = TestData.Generator(seed: 11)
    while next < 300 {
      let count = min(Int(generator.next() % 9), 300 - next)
      try await harness.write(Array(next..<next + count))
      next += count
      #expect(next - delivered.load(ordering: .acquiring) <= inFlight, "after a write returns")
    }
    #expect(try await harness.finish() == 300)
    #expect(received.all == (0..<300).map { $0 * 3 })
    #expect(overrun.load(ordering: .relaxed) == 0)
    #expect(harness.runningThreads == 0)
  }

  /// With every thread held, the producer gets `inFlight` items in and then waits inside
  /// its write until the oldest is handed on.
  @Test func theProducerWaitsWhileTheStageIsFull() async throws {
    let gate = ThreadGate()
    let log = Collector<String>()
    let harness = StageHarness(threads: 2, inFlight: 3) { item, _ in
      gate.wait()
      return item
    } consumer: {
      log.append("delivered \($0)")
    }
    let producer = Task {
      for item in 0..<8 {
        try await harness.write([item])
        log.append("written \(item)")
      }
    }
    try await Self.waitUntil { log.all.count >= 3 && harness.runningThreads == 2 }
    #expect(log.all == ["written 0", "written 1", "written 2"])
    gate.open()
    try await producer.value
    #expect(try await harness.finish() == 8)
    let entries = log.all
    let position = { (entry: String) in entries.firstIndex(of: entry) ?? -1 }
    for item in 3..<8 {
      #expect(position("delivered \(item - 3)") < position("written \(item)"), "\(entries)")
    }
  }

  @Test func aFailingWorkerStopsTheStage() async throws {
    let received = Collector<Int>()
    let harness = StageHarness(threads: 2, inFlight: 3) { item, _ in
      if item == 7 { throw WorkFailed() }
      return Self.jittered(item)
    } consumer: {
      received.append($0)
    }
    await #expect(throws: WorkFailed.self) {
      for start in stride(from: 0, to: 40, by: 4) { try await harness.write(Array(start..<start + 4)) }
      _ = try await harness.finish()
    }
    #expect(harness.runningThreads == 0)
    #expect(received.all == (0..<7).map { $0 * 3 })
    await #expect(throws: WorkFailed.self) { try await harness.write([1]) }
    await #expect(throws: WorkFailed.self) { _ = try await harness.finish() }
    #expect(received.all.count == 7)
  }

  @Test func aFailingConsumerStopsTheStage() async throws {
    let calls = Atomic<Int>(0)
    let harness = StageHarness(threads: 2, inFlight: 3) { item, _ in
      Self.jittered(item)
    } consumer: { _ in
      if calls.add(1, ordering: .relaxed).newValue == 5 { throw ConsumerFailed() }
    }
    await #expect(throws: ConsumerFailed.self) {
      for item in 0..<40 { try await harness.write([item]) }
      _ = try await harness.finish()
    }
    #expect(harness.runningThreads == 0)
    #expect(calls.load(ordering: .relaxed) == 5)
    await #expect(throws: ConsumerFailed.self) { try await harness.write([1]) }
    await #expect(throws: ConsumerFailed.self) { _ = try await harness.finish() }
    #expect(calls.load(ordering: .relaxed) == 5)
  }

  /// The work never ends by itself (it gives up after 600 s, a bound for a broken stage, far
  /// beyond what a loaded machine takes to deliver the stop: 30 s was not): only the stop
  /// flag ends it.
  @Test func cancellingTheProducersTaskStopsTheStage() async throws {
    let started = Atomic<Int>(0)
    let stopped = Atomic<Int>(0)
    let harness = StageHarness(threads: 2, inFlight: 3) { item, stop in
      started.add(1, ordering: .relaxed)
      for _ in 0..<600_000 where !stop.isSet { usleep(1000) }
      if stop.isSet { stopped.add(1, ordering: .relaxed) }
      try stop.check()
      return item
    }
    let producer = Task {
      for item in 0..<1000 { try await harness.write([item]) }
    }
    try await Self.waitUntil { started.load(ordering: .relaxed) == 2 }
    #expect(harness.runningThreads == 2)
    producer.cancel()
    let result = await producer.result
    #expect(throws: CancellationError.self) { try result.get() }
    #expect(harness.runningThreads == 0)
    #expect(stopped.load(ordering: .relaxed) == 2)
    await #expect(throws: CancellationError.self) { try await harness.write([1]) }
    await #expect(throws: CancellationError.self) { _ = try await harness.finish() }
  }

  @Test func overlappingCallsAreRefusedAndChangeNothing() async throws {
    let harness = StageHarness(threads: 2, inFlight: 2) { item, _ in item }
    let entered = AsyncStream.makeStream(of: Void.self)
    let gate = AsyncStream.makeStream(of: Void.self)
    let holder = Task { try await harness.hold(entered: entered.continuation, gate: gate.stream) }
    for await _ in entered.stream { break }
    let write = await #expect(throws: CompressionError.self) { try await harness.write([1]) }
    #expect(write?.code == .misuse)
    let finish = await #expect(throws: CompressionError.self) { _ = try await harness.finish() }
    #expect(finish?.code == .misuse)
    gate.continuation.yield()
    try await holder.value
    try await harness.write([1, 2, 3])
    #expect(try await harness.finish() == 3)
  }

  @Test func abortDuringACallStopsItToo() async throws {
    let harness = StageHarness(threads: 2, inFlight: 2) { item, _ in item }
    try await harness.write([1, 2])
    let entered = AsyncStream.makeStream(of: Void.self)
    let gate = AsyncStream.makeStream(of: Void.self)
    let holder = Task { try await harness.hold(entered: entered.continuation, gate: gate.stream) }
    for await _ in entered.stream { break }
    await harness.abort()
    #expect(harness.runningThreads == 0)
    gate.continuation.yield()
    await #expect(throws: CancellationError.self) { try await holder.value }
    await #expect(throws: CancellationError.self) { try await harness.write([3]) }
  }

  @Test func finishIsIdempotentAndEndsTheStage() async throws {
    let harness = StageHarness(threads: 2, inFlight: 3) { item, _ in Self.jittered(item) }
    try await harness.write(Array(0..<10))
    #expect(try await harness.finish(last: [10, 11]) == 12)
    #expect(harness.runningThreads == 0)
    #expect(try await harness.finish(last: [12]) == 12)
    await harness.abort()
    #expect(try await harness.finish() == 12)
    let error = await #expect(throws: CompressionError.self) { try await harness.write([1]) }
    #expect(error?.code == .misuse)
  }

  @Test func anEmptyStageFinishesWithoutThreads() async throws {
    let harness = StageHarness(threads: 4, inFlight: 5) { item, _ in item }
    #expect(try await harness.finish() == 0)
    #expect(harness.runningThreads == 0)
  }
}
