import DRCompression
import DRCore
import Testing

/// zstd through the same pipelines as bzip2: independent frames, in parallel, exact.
@Suite struct ZstdRoundTripTests {
  static let codec = Codec.zstd(level: 3)

  @Test(arguments: RoundTripCase.all)
  func roundTrip(_ testCase: RoundTripCase) async throws {
    let input = testCase.input()
    let compressed = try await Pipelines.compress(
      input, codec: Self.codec, chunkSize: RoundTripCase.chunk, threads: 2, writeSizes: testCase.writeSizes)
    #expect(compressed.summary.bytesIn == Int64(input.count))
    #expect(compressed.summary.bytesOut == Int64(compressed.bytes.count))
    #expect(compressed.summary.streams.count == max(1, (input.count + RoundTripCase.chunk - 1) / RoundTripCase.chunk))
    let parallel = try await Pipelines.parallelDecode(
      compressed.bytes, boundaries: compressed.summary.streams, codec: Self.codec)
    #expect(parallel.bytes == input)
    #expect(parallel.summary.bytesOut == Int64(input.count))
    let odd = try await Pipelines.parallelDecode(
      compressed.bytes, boundaries: compressed.summary.streams, codec: Self.codec, writeSizes: testCase.writeSizes)
    #expect(odd.bytes == input)
    // The same file without its boundaries, serially.
    let serial = try await Pipelines.serialDecode(compressed.bytes, writeSizes: testCase.writeSizes)
    #expect(serial.bytes == input)
    #expect(serial.summary.streams == compressed.summary.streams.count)
  }

  /// Every frame alone decodes to exactly its range, and carries its content size and a
  /// checksum in its header.
  @Test(arguments: [1, 1000, 65_536, 1 << 20])
  func everyFrameIsWholeAndSelfDescribing(chunkSize: Int) async throws {
    // One-byte chunks on a small input: a frame per byte.
    let scale = chunkSize == 1 ? 100 : 1
    let input =
      TestData.text(700_000 / scale) + TestData.random(50_000 / scale) + TestData.runs(300_000 / scale)
    let compressed = try await Pipelines.compress(input, codec: Self.codec, chunkSize: chunkSize, threads: 3)
    #expect(compressed.summary.streams.count == (input.count + chunkSize - 1) / chunkSize)
    for boundary in compressed.summary.streams.prefix(40) + compressed.summary.streams.suffix(3) {
      let frame = Array(compressed.bytes[Int(boundary.compressedOffset)..<Int(boundary.compressedRange.upperBound)])
      #expect(frame.prefix(4) == [0x28, 0xB5, 0x2F, 0xFD])
      let descriptor = frame[4]
      #expect(descriptor & 0x04 != 0, "content checksum flag")
      #expect(descriptor >> 6 != 0 || descriptor & 0x20 != 0, "frame content size present")
      let expected = Array(input[Int(boundary.uncompressedOffset)..<Int(boundary.uncompressedRange.upperBound)])
      let decoded = try await Pipelines.decodeStream(frame, uncompressed: expected.count, codec: Self.codec)
      #expect(decoded == expected)
    }
  }

  @Test(arguments: [1, 3, 9, 19])
  func everyLevelRoundTrips(level: Int) async throws {
    let input = TestData.text(400_000)
    let compressed = try await Pipelines.compress(input, codec: .zstd(level: level), chunkSize: 150_000)
    let decoded = try await Pipelines.parallelDecode(
      compressed.bytes, boundaries: compressed.summary.streams, codec: .zstd(level: level))
    #expect(decoded.bytes == input)
    #expect(compressed.bytes.count < input.count / 3)
  }

  @Test func outputDoesNotDependOnThreadsOrWriteSizes() async throws {
    let input = TestData.text(700_000)
    let one = try await Pipelines.compress(
      input, codec: Self.codec, chunkSize: 100_000, threads: 1, writeSizes: [1_000_000])
    let three = try await Pipelines.compress(
      input, codec: Self.codec, chunkSize: 100_000, threads: 3, writeSizes: [17, 30_000])
    #expect(one.bytes == three.bytes)
    #expect(one.summary.streams == three.summary.streams)
  }

  @Test func levelsAndDefaultsAreThePolicys() throws {
    #expect(Codec.zstd(level: 3).defaultChunkSize == 4 << 20)
    #expect(Codec.zstd(level: 3).fileExtension == "zst")
    #expect(Codec(name: "zstd", level: 7) == .zstd(level: 7))
    #expect(Codec(name: "xz", level: 7) == nil)
    #expect(Codec.zstd(level: 3).maximumEncodedSize(4 << 20) > 4 << 20)
    for level in [0, 20, -1] {
      let error = #expect(throws: CompressionError.self) { try Codec.zstd(level: level).validate() }
      #expect(error?.code == .invalidArgument)
    }
  }

  @Test func manyFramesDecodeOnThreeThreads() async throws {
    let input = TestData.text(6_000_000)
    let compressed = try await Pipelines.compress(input, codec: Self.codec, chunkSize: 100_000, threads: 2)
    #expect(compressed.summary.streams.count == 60)
    let decompressor = try ParallelDecompressor(
      codec: Self.codec, boundaries: compressed.summary.streams, threads: 3
    ) { _ in }
    for piece in TestData.pieces(compressed.bytes, sizes: [50_000]) { try await decompressor.write(piece) }
    let summary = try await decompressor.finish()
    #expect(summary.streams == 60)
    #expect(summary.bytesOut == Int64(input.count))
    #expect(summary.peakBufferedBytes <= summary.memoryBound)
    #expect(decompressor.runningThreads == 0)
  }
}
