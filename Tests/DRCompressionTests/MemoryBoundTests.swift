import DRCompression
import Synchronization
import Testing

/// The pipelines' own accounting of the bytes they hold never passes their documented
/// bound, however much goes through.
@Suite struct MemoryBoundTests {
  static let gibibyte = 1 << 30

  @Test func aGibibyteThroughTheCompressorStaysWithinTheBound() async throws {
    let chunkSize = 1 << 20
    let threads = 2
    let codec = Codec.bzip2(level: 9)
    let delivered = Atomic<Int>(0)
    let compressor = try ParallelCompressor(codec: codec, chunkSize: chunkSize, threads: threads) { chunk in
      delivered.add(chunk.bytes.count, ordering: .relaxed)
    }
    #expect(
      compressor.memoryBound == (threads + 2) * chunkSize + (threads + 1) * codec.maximumEncodedSize(chunkSize))
    // One pattern, written again and again in odd sizes; the bytes are the same each
    // round but every write is a new buffer, as reads from a pipe would be.
    let pattern = TestData.runs(3 << 20)
    var written = 0
    var size = 1
    while written < Self.gibibyte {
      size = (size * 7 + 12_345) % 300_000 + 1
      let count = min(size, Self.gibibyte - written)
      let start = written % (pattern.count - 300_000)
      try await compressor.write(Array(pattern[start..<start + count]))
      written += count
    }
    let summary = try await compressor.finish()
    let reading = compressor.account.current
    #expect(summary.bytesIn == Int64(Self.gibibyte))
    #expect(summary.streams.count == 1024)
    #expect(summary.bytesOut == Int64(delivered.load(ordering: .relaxed)))
    #expect(reading.peakTotal <= compressor.memoryBound)
    #expect(reading.peakInput <= (threads + 2) * chunkSize)
    #expect(reading.peakOutput <= (threads + 1) * codec.maximumEncodedSize(chunkSize))
    #expect(reading.peakInput >= chunkSize)
    #expect(reading.total == 0)
    #expect(summary.peakBufferedBytes == reading.peakTotal)
  }

  @Test func zstdThroughBothPipelinesStaysWithinTheBounds() async throws {
    let codec = Codec.zstd(level: 3)
    let chunkSize = codec.defaultChunkSize
    let collector = Collector<CompressedChunk>()
    let compressor = try ParallelCompressor(codec: codec, threads: 2) { collector.append($0) }
    #expect(compressor.memoryBound == 4 * chunkSize + 3 * codec.maximumEncodedSize(chunkSize))
    let pattern = TestData.text(8 << 20) + TestData.random(1 << 20)
    var written = 0
    var size = 1
    while written < 256 << 20 {
      size = (size * 7 + 12_345) % 300_000 + 1
      let start = written % (pattern.count - 300_000)
      try await compressor.write(Array(pattern[start..<start + size]))
      written += size
    }
    let summary = try await compressor.finish()
    #expect(summary.streams.count == (written + chunkSize - 1) / chunkSize)
    #expect(summary.peakBufferedBytes <= compressor.memoryBound)
    #expect(summary.peakBufferedBytes >= chunkSize)
    #expect(compressor.account.current.total == 0)
    let compressed = collector.all.flatMap(\.bytes)
    let decoded = Atomic<Int>(0)
    let decompressor = try ParallelDecompressor(codec: codec, boundaries: summary.streams, threads: 2) { chunk in
      decoded.add(chunk.bytes.count, ordering: .relaxed)
    }
    for piece in TestData.pieces(compressed, sizes: [1 << 20]) { try await decompressor.write(piece) }
    let decoding = try await decompressor.finish()
    #expect(decoded.load(ordering: .relaxed) == written)
    #expect(decoding.peakBufferedBytes <= decoding.memoryBound)
    #expect(decompressor.account.current.total == 0)
  }

  @Test func theParallelDecompressorStaysWithinItsBound() async throws {
    let input = TestData.runs(64 << 20)
    let compressed = try await Pipelines.compress(input, chunkSize: 1 << 20, writeSizes: [1 << 20])
    let size = Atomic<Int>(0)
    let decompressor = try ParallelDecompressor(boundaries: compressed.summary.streams, threads: 2) { chunk in
      size.add(chunk.bytes.count, ordering: .relaxed)
    }
    for piece in TestData.pieces(compressed.bytes, sizes: [1000, 99_999]) { try await decompressor.write(piece) }
    let summary = try await decompressor.finish()
    let largestIn = Int(compressed.summary.streams.map(\.compressedLength).max()!)
    #expect(summary.memoryBound == 4 * largestIn + 3 * (1 << 20))
    #expect(summary.peakBufferedBytes <= summary.memoryBound)
    #expect(summary.peakBufferedBytes >= 1 << 20)
    #expect(size.load(ordering: .relaxed) == input.count)
    #expect(decompressor.account.current.total == 0)
  }

}
