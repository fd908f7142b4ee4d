import DRCompression
import DRCore
import Testing

/// Damaged input is refused by the decoder, with the kind of damage named.
@Suite struct CorruptionTests {
  static let input = TestData.text(300_000)

  static func compressed() async throws -> Compressed {
    try await Pipelines.compress(input, chunkSize: 100_000, threads: 2)
  }

  func parallelKind(_ bytes: [UInt8], _ boundaries: [StreamBoundary]) async -> CompressionErrorCode? {
    let error = await #expect(throws: CompressionError.self) {
      try await Pipelines.parallelDecode(bytes, boundaries: boundaries)
    }
    return error?.code
  }

  @Test func aCorruptByteIsRefused() async throws {
    let good = try await Self.compressed()
    let middle = good.summary.streams[1]
    var bad = good.bytes
    bad[Int(middle.compressedOffset + middle.compressedLength / 2)] ^= 0x10
    #expect(await parallelKind(bad, good.summary.streams) == .corrupt)
    await #expect(throws: Tool.Failed.self) { try await Tool.run(["bunzip2", "-c"], input: bad) }
  }

  @Test func aTruncatedFileIsRefused() async throws {
    let good = try await Self.compressed()
    let cut = Array(good.bytes.dropLast(10))
    #expect(await parallelKind(cut, good.summary.streams) == .truncated)
    #expect(await parallelKind(Array(good.bytes.prefix(3)), good.summary.streams) == .truncated)
  }

  /// Concatenated streams make a file cut between two streams valid (stock `bunzip2`
  /// reads it); only the boundaries show that streams are missing.
  @Test func aFileCutBetweenStreamsIsRefusedGivenBoundaries() async throws {
    let good = try await Self.compressed()
    let cut = Array(good.bytes.prefix(Int(good.summary.streams[1].compressedRange.upperBound)))
    #expect(try await Tool.run(["bunzip2", "-c"], input: cut) == Array(Self.input.prefix(200_000)))
    #expect(await parallelKind(cut, good.summary.streams) == .truncated)
  }

  struct Garbage: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let bytes: [UInt8]

    static let all = [
      Garbage(testDescription: "one zero", bytes: [0]),
      Garbage(testDescription: "text", bytes: Array("garbage".utf8)),
      Garbage(testDescription: "1000 zeros", bytes: [UInt8](repeating: 0, count: 1000)),
      Garbage(testDescription: "a bad bzip2 header", bytes: Array("BZh0xxxxxx".utf8)),
    ]
  }

  @Test(arguments: Garbage.all)
  func garbageAfterTheDataIsRefused(_ garbage: Garbage) async throws {
    let good = try await Self.compressed()
    #expect(await parallelKind(good.bytes + garbage.bytes, good.summary.streams) == .trailingGarbage)
  }

  @Test func somethingElseIsNotBzip2() async throws {
    let text = Array("PGDMP is a custom-format dump".utf8)
    #expect(await parallelKind(text, Pipelines.boundaries([(text.count, text.count)])) == .notCompressed)
    #expect(await parallelKind([], Pipelines.boundaries([(0, 0)])) == .truncated)
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
  }

  @Test func boundariesWithGapsAreRefusedUpFront() throws {
    let gap = [
      StreamBoundary(compressedOffset: 0, compressedLength: 10, uncompressedOffset: 0, uncompressedLength: 5),
      StreamBoundary(compressedOffset: 11, compressedLength: 10, uncompressedOffset: 5, uncompressedLength: 5),
    ]
    let error = #expect(throws: CompressionError.self) {
      _ = try ParallelDecompressor(boundaries: gap) { _ in }
    }
    #expect(error?.code == .invalidArgument)
  }

  @Test func errorsExitWithFailure() {
    let error = CompressionError(.corrupt, "bad block data or CRC in stream 2")
    #expect(error.exitStatus == .failure)
    #expect(error.description == "corrupt compressed data: bad block data or CRC in stream 2")
  }
}
