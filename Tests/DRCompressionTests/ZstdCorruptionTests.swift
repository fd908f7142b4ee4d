import DRCompression
import DRCore
import Testing

/// Damaged zstd input is refused, with its boundaries and without, the damage named.
@Suite struct ZstdCorruptionTests {
  static let codec = Codec.zstd(level: 3)
  static let input = TestData.text(300_000)

  static func compressed() async throws -> Compressed {
    try await Pipelines.compress(input, codec: codec, chunkSize: 100_000, threads: 2)
  }

  func parallelKind(_ bytes: [UInt8], _ boundaries: [StreamBoundary]) async -> CompressionErrorCode? {
    let error = await #expect(throws: CompressionError.self) {
      try await Pipelines.parallelDecode(bytes, boundaries: boundaries, codec: Self.codec)
    }
    return error?.code
  }

  func serialKind(_ bytes: [UInt8]) async -> CompressionErrorCode? {
    let error = await #expect(throws: CompressionError.self) { try await Pipelines.serialDecode(bytes) }
    return error?.code
  }

  /// A byte flipped anywhere in a frame's data (not its header) is caught: by the block
  /// decoder or by the frame's checksum.
  @Test(arguments: [0.25, 0.5, 0.9])
  func aFlippedByteIsCorrupt(at fraction: Double) async throws {
    let good = try await Self.compressed()
    let middle = good.summary.streams[1]
    var bad = good.bytes
    bad[Int(middle.compressedOffset) + 12 + Int(Double(middle.compressedLength - 16) * fraction)] ^= 0x10
    #expect(await parallelKind(bad, good.summary.streams) == .corrupt)
    #expect(await serialKind(bad) == .corrupt)
    await #expect(throws: Tool.Failed.self) { try await Tool.run(["zstd", "-d", "-c"], input: bad) }
  }

  @Test func aFlippedChecksumIsCorrupt() async throws {
    let good = try await Self.compressed()
    var bad = good.bytes
    bad[Int(good.summary.streams[0].compressedRange.upperBound) - 1] ^= 0x01
    #expect(await parallelKind(bad, good.summary.streams) == .corrupt)
    #expect(await serialKind(bad) == .corrupt)
  }

  @Test func aTruncatedFileIsRefused() async throws {
    let good = try await Self.compressed()
    let cut = Array(good.bytes.dropLast(10))
    #expect(await parallelKind(cut, good.summary.streams) == .truncated)
    #expect(await serialKind(cut) == .truncated)
    #expect(await parallelKind(Array(good.bytes.prefix(3)), good.summary.streams) == .truncated)
    #expect(await serialKind(Array(good.bytes.prefix(3))) == .truncated)
    #expect(await serialKind([]) == .truncated)
  }

  /// A file cut between frames is a valid `.zst` file (stock `zstd -d` reads it); only the
  /// boundaries catch it.
  @Test func aFileCutBetweenFramesIsRefusedGivenBoundaries() async throws {
    let good = try await Self.compressed()
    let cut = Array(good.bytes.prefix(Int(good.summary.streams[1].compressedRange.upperBound)))
    #expect(try await Tool.run(["zstd", "-d", "-c"], input: cut) == Array(Self.input.prefix(200_000)))
    #expect(try await Pipelines.serialDecode(cut).bytes == Array(Self.input.prefix(200_000)))
    #expect(await parallelKind(cut, good.summary.streams) == .truncated)
  }

  @Test(arguments: CorruptionTests.Garbage.all)
  func garbageAfterTheDataIsRefused(_ garbage: CorruptionTests.Garbage) async throws {
    let good = try await Self.compressed()
    #expect(await parallelKind(good.bytes + garbage.bytes, good.summary.streams) == .trailingGarbage)
    // Without boundaries libzstd compares even a lone byte with the frame magic.
    #expect(await serialKind(good.bytes + garbage.bytes) == .trailingGarbage)
  }

  /// Without boundaries, the first bytes of a frame magic after the last frame are a
  /// frame cut short.
  @Test func theStartOfAnotherFrameIsTruncated() async throws {
    let good = try await Self.compressed()
    #expect(await serialKind(good.bytes + [0x28, 0xB5]) == .truncated)
    #expect(await serialKind(good.bytes + good.bytes.prefix(9)) == .truncated)
  }

  @Test func somethingElseIsNotZstd() async throws {
    let text = Array("PGDMP is a custom-format dump".utf8)
    #expect(await parallelKind(text, Pipelines.boundaries([(text.count, text.count)])) == .notCompressed)
    #expect(await serialKind(text) == .notCompressed)
    #expect(await parallelKind([], Pipelines.boundaries([(0, 0)])) == .truncated)
    let bzip2 = try await Pipelines.compress(Self.input, chunkSize: 100_000)
    #expect(await parallelKind(bzip2.bytes, bzip2.summary.streams) == .notCompressed)
  }

  @Test func boundariesThatDoNotFitAreRefused() async throws {
    let good = try await Self.compressed()
    var longer = good.summary.streams
    longer[2].uncompressedLength += 1
    #expect(await parallelKind(good.bytes, longer) == .boundaryMismatch)
    var shorter = good.summary.streams
    shorter[2].uncompressedLength -= 1
    #expect(await parallelKind(good.bytes, shorter) == .boundaryMismatch)
    var shifted = good.summary.streams
    shifted[0].compressedLength += 20
    shifted[1].compressedOffset += 20
    shifted[1].compressedLength -= 20
    #expect(await parallelKind(good.bytes, shifted) == .boundaryMismatch)
    // Two frames given as one stream.
    let merged = Pipelines.boundaries([
      (Int(good.summary.streams[0].compressedLength + good.summary.streams[1].compressedLength), 200_000),
      (Int(good.summary.streams[2].compressedLength), 100_000),
    ])
    #expect(await parallelKind(good.bytes, merged) == .boundaryMismatch)
  }

  /// A stock frame with no content size that decodes to more than its boundary says.
  @Test func aFrameWithoutContentSizeLargerThanItsBoundaryIsRefused() async throws {
    let compressed = try await Tool.run(["zstd", "-c"], input: Self.input)
    let boundaries = Pipelines.boundaries([(compressed.count, Self.input.count - 1)])
    #expect(await parallelKind(compressed, boundaries) == .boundaryMismatch)
    let longer = Pipelines.boundaries([(compressed.count, Self.input.count + 1)])
    #expect(await parallelKind(compressed, longer) == .boundaryMismatch)
  }
}
