import DRCompression
import DRCore
import Synchronization
import Testing

/// The serial decoder fails and stops like the parallel stages.
@Suite struct SerialDecompressorTests {
  struct ConsumerFailed: Error, Equatable {}

  @Test func aFailingConsumerStopsIt() async throws {
    let input = [UInt8](repeating: 7, count: 32 << 20)
    let compressed = try await Tool.run(["zstd", "-c"], input: input)
    let calls = Atomic<Int>(0)
    let decompressor = try SerialDecompressor(codec: .zstd(level: 3)) { _ in
      if calls.add(1, ordering: .relaxed).newValue == 2 { throw ConsumerFailed() }
    }
    await #expect(throws: ConsumerFailed.self) {
      try await decompressor.write(compressed)
      _ = try await decompressor.finish()
    }
    #expect(decompressor.runningThreads == 0)
    #expect(calls.load(ordering: .relaxed) == 2)
    #expect(decompressor.account.current.total == 0)
    await #expect(throws: ConsumerFailed.self) { try await decompressor.write([1]) }
  }

  @Test func abortStopsTheThread() async throws {
    let compressed = try await Tool.run(["zstd", "-c"], input: TestData.text(1_000_000))
    let decompressor = try SerialDecompressor(codec: .zstd(level: 3)) { _ in }
    try await decompressor.write(Array(compressed.prefix(1000)))
    #expect(decompressor.runningThreads == 1)
    await decompressor.abort()
    #expect(decompressor.runningThreads == 0)
    await #expect(throws: CancellationError.self) { try await decompressor.write([1]) }
  }

  @Test func finishTwiceReturnsTheSameSummary() async throws {
    let input = TestData.text(300_000)
    let compressed = try await Tool.run(["zstd", "-c"], input: input)
    let decompressor = try SerialDecompressor(codec: .zstd(level: 3)) { _ in }
    try await decompressor.write(compressed)
    let first = try await decompressor.finish()
    #expect(first.bytesOut == Int64(input.count))
    #expect(first.bytesIn == Int64(compressed.count))
    #expect(try await decompressor.finish() == first)
    await #expect(throws: CompressionError.self) { try await decompressor.write([1]) }
  }

  @Test func noneWithoutBoundariesPassesBytesThrough() async throws {
    let input = TestData.random(9 << 20)
    let serial = try await Pipelines.serialDecode(input, codec: .none, writeSizes: [3 << 20, 5 << 20])
    #expect(serial.bytes == input)
    #expect(serial.pieces.allSatisfy { $0.count <= SerialDecompressor.pieceSize })
  }
}
