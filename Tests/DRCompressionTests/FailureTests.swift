import DRCompression
import DRCore
import Synchronization
import Testing

/// Failures and cancellation stop every thread, and are thrown from then on.
@Suite struct FailureTests {
  struct ConsumerFailed: Error, Equatable {}

  @Test func aFailingConsumerStopsTheCompressor() async throws {
    let calls = Atomic<Int>(0)
    let compressor = try ParallelCompressor(chunkSize: 100_000, threads: 2) { _ in
      if calls.add(1, ordering: .relaxed).newValue == 3 { throw ConsumerFailed() }
    }
    let input = TestData.text(5_000_000)
    await #expect(throws: ConsumerFailed.self) {
      for piece in TestData.pieces(input, sizes: [50_000]) { try await compressor.write(piece) }
      _ = try await compressor.finish()
    }
    #expect(compressor.runningThreads == 0)
    #expect(calls.load(ordering: .relaxed) == 3)
    #expect(compressor.account.current.total == 0)
    await #expect(throws: ConsumerFailed.self) { try await compressor.write([1]) }
    await #expect(throws: ConsumerFailed.self) { _ = try await compressor.finish() }
  }

  @Test func cancellingTheProducerStopsTheCompressor() async throws {
    let delivered = Atomic<Int>(0)
    let compressor = try ParallelCompressor(chunkSize: 200_000, threads: 2) { _ in
      delivered.add(1, ordering: .relaxed)
    }
    let producer = Task {
      var generator = TestData.Generator(seed: 5)
      while true {
        try await compressor.write(TestData.random(65_536, seed: generator.next()))
      }
    }
    while delivered.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(5)) }
    #expect(compressor.runningThreads > 0)
    producer.cancel()
    let result = await producer.result
    #expect(throws: CancellationError.self) { try result.get() }
    #expect(compressor.runningThreads == 0)
    await #expect(throws: CancellationError.self) { try await compressor.write([1]) }
  }

  @Test func abortStopsTheThreads() async throws {
    let compressor = try ParallelCompressor(chunkSize: 100_000, threads: 2) { _ in }
    try await compressor.write(TestData.random(450_000))
    #expect(compressor.runningThreads > 0)
    await compressor.abort()
    #expect(compressor.runningThreads == 0)
    #expect(compressor.account.current.total == 0)
    await #expect(throws: CancellationError.self) { _ = try await compressor.finish() }
  }

  @Test func finishStopsTheThreadsAndCanBeAskedAgain() async throws {
    let compressor = try ParallelCompressor(chunkSize: 100_000, threads: 2) { _ in }
    try await compressor.write(TestData.text(350_000))
    let summary = try await compressor.finish()
    #expect(compressor.runningThreads == 0)
    #expect(compressor.account.current.total == 0)
    #expect(try await compressor.finish() == summary)
    let error = await #expect(throws: CompressionError.self) { try await compressor.write([1]) }
    #expect(error?.code == .misuse)
  }

  @Test func aCorruptStreamStopsTheParallelDecompressor() async throws {
    let good = try await Pipelines.compress(TestData.text(800_000), chunkSize: 100_000)
    var bad = good.bytes
    bad[Int(good.summary.streams[2].compressedOffset) + 100] ^= 0xFF
    let decompressor = try ParallelDecompressor(boundaries: good.summary.streams, threads: 2) { _ in }
    await #expect(throws: CompressionError.self) {
      try await decompressor.write(bad)
      _ = try await decompressor.finish()
    }
    #expect(decompressor.runningThreads == 0)
    #expect(decompressor.account.current.total == 0)
  }

  @Test func aFailingConsumerStopsTheParallelDecompressor() async throws {
    let compressed = try await Pipelines.compress(TestData.text(2_000_000), chunkSize: 200_000)
    let calls = Atomic<Int>(0)
    let decompressor = try ParallelDecompressor(boundaries: compressed.summary.streams, threads: 2) { _ in
      if calls.add(1, ordering: .relaxed).newValue == 2 { throw ConsumerFailed() }
    }
    await #expect(throws: ConsumerFailed.self) {
      for piece in TestData.pieces(compressed.bytes, sizes: [10_000]) { try await decompressor.write(piece) }
      _ = try await decompressor.finish()
    }
    #expect(decompressor.runningThreads == 0)
    #expect(calls.load(ordering: .relaxed) == 2)
    #expect(decompressor.account.current.total == 0)
    await #expect(throws: ConsumerFailed.self) { try await decompressor.write([1]) }
    await #expect(throws: ConsumerFailed.self) { _ = try await decompressor.finish() }
  }

  @Test(arguments: [Codec.bzip2(level: 0), .bzip2(level: 10)])
  func levelsOutOfRangeAreRefused(_ codec: Codec) {
    let error = #expect(throws: CompressionError.self) { _ = try ParallelCompressor(codec: codec) { _ in } }
    #expect(error?.code == .invalidArgument)
  }

  @Test func sizesOutOfRangeAreRefused() {
    #expect(throws: CompressionError.self) { _ = try ParallelCompressor(chunkSize: 0) { _ in } }
    #expect(throws: CompressionError.self) { _ = try ParallelCompressor(threads: 0) { _ in } }
    #expect(throws: CompressionError.self) { _ = try ParallelDecompressor(boundaries: [], threads: 0) { _ in } }
  }
}
