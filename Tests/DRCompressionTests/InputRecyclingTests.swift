import DRCompression
import DRCore
import Testing

/// Chunks are filled in the compressor's recycled buffers, which come back once encoded:
/// whole recycled buffers written in, and odd-sized writes, give exactly the same output.
struct InputRecyclingTests {
  @Test(arguments: [Codec.zstd(level: 3), Codec.bzip2(level: 9)])
  func recycledChunksCompressExactlyAndComeBack(_ codec: Codec) async throws {
    let chunk = 256 * 1024
    let input = TestData.text(chunk * 3) + TestData.random(chunk / 2)
    let collector = Collector<CompressedChunk>()
    let compressor = try ParallelCompressor(codec: codec, chunkSize: chunk, threads: 2) { collector.append($0) }
    var offset = 0
    var taken = 0
    while offset < input.count {
      var buffer = compressor.inputRecycler.take()
      taken += 1
      let count = min(chunk, input.count - offset)
      buffer.replaceSubrange(0..<count, with: input[offset..<offset + count])
      if count < chunk { buffer.removeLast(chunk - count) }
      try await compressor.write(buffer)
      offset += count
    }
    let summary = try await compressor.finish()
    #expect(taken == 4)
    #expect(summary.streams.count == 4)
    #expect(compressor.inputRecycler.spareCount > 0)
    let chunks = collector.all
    let plain = try await Pipelines.compress(input, codec: codec, chunkSize: chunk, threads: 2, writeSizes: [1000])
    #expect(chunks.flatMap(\.bytes) == plain.bytes)
    let decoded = try await Pipelines.parallelDecode(chunks.flatMap(\.bytes), boundaries: summary.streams, codec: codec)
    #expect(decoded.bytes == input)
  }
}
