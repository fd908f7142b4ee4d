import DRCompression
import Testing

struct RoundTripCase: Sendable, CustomTestStringConvertible {
  static let chunk = 65_536

  let name: String
  let input: @Sendable () -> [UInt8]
  var writeSizes = [65_536]

  var testDescription: String { name }

  static let all: [RoundTripCase] = [
    RoundTripCase(name: "empty") { [] },
    RoundTripCase(name: "one byte") { [42] },
    RoundTripCase(name: "exactly one chunk") { TestData.text(chunk) },
    RoundTripCase(name: "one chunk minus one") { TestData.text(chunk - 1) },
    RoundTripCase(name: "one chunk plus one") { TestData.text(chunk + 1) },
    RoundTripCase(
      name: "many chunks, odd writes", input: { TestData.text(1_000_003) },
      writeSizes: [1, 7, 4093, 65_537, 100_000, 3]),
    RoundTripCase(name: "random") { TestData.random(300_001) },
    RoundTripCase(name: "runs") { TestData.runs(2_000_000) },
    RoundTripCase(name: "zeros") { [UInt8](repeating: 0, count: 1_500_000) },
  ]
}

@Suite struct RoundTripTests {
  @Test(arguments: RoundTripCase.all)
  func roundTrip(_ testCase: RoundTripCase) async throws {
    let input = testCase.input()
    let compressed = try await Pipelines.compress(
      input, chunkSize: RoundTripCase.chunk, threads: 2, writeSizes: testCase.writeSizes)
    #expect(compressed.summary.bytesIn == Int64(input.count))
    #expect(compressed.summary.bytesOut == Int64(compressed.bytes.count))
    #expect(compressed.summary.streams.count == max(1, (input.count + RoundTripCase.chunk - 1) / RoundTripCase.chunk))
    let parallel = try await Pipelines.parallelDecode(compressed.bytes, boundaries: compressed.summary.streams)
    #expect(parallel.bytes == input)
    #expect(parallel.summary.bytesOut == Int64(input.count))
    // The compressed file written back in the odd sizes the input came in.
    let odd = try await Pipelines.parallelDecode(
      compressed.bytes, boundaries: compressed.summary.streams, writeSizes: testCase.writeSizes)
    #expect(odd.bytes == input)
  }

  /// Each stream alone decodes to exactly its uncompressed range, and streams tile both files.
  @Test(arguments: RoundTripCase.all)
  func boundariesAreExact(_ testCase: RoundTripCase) async throws {
    let input = testCase.input()
    let compressed = try await Pipelines.compress(input, chunkSize: RoundTripCase.chunk, threads: 2)
    var compressedOffset: Int64 = 0
    var uncompressedOffset: Int64 = 0
    for (index, boundary) in compressed.summary.streams.enumerated() {
      #expect(boundary.compressedOffset == compressedOffset)
      #expect(boundary.uncompressedOffset == uncompressedOffset)
      #expect(compressed.chunks[index].boundary == boundary)
      #expect(compressed.chunks[index].index == index)
      let stream = Array(compressed.bytes[Int(boundary.compressedOffset)..<Int(boundary.compressedRange.upperBound)])
      let expected = Array(input[Int(uncompressedOffset)..<Int(boundary.uncompressedRange.upperBound)])
      #expect(try await Pipelines.decodeStream(stream, uncompressed: expected.count) == expected)
      compressedOffset += boundary.compressedLength
      uncompressedOffset += boundary.uncompressedLength
    }
    #expect(compressedOffset == Int64(compressed.bytes.count))
    #expect(uncompressedOffset == Int64(input.count))
  }

  @Test func outputDoesNotDependOnThreadsOrWriteSizes() async throws {
    let input = TestData.text(700_000)
    let one = try await Pipelines.compress(input, chunkSize: 100_000, threads: 1, writeSizes: [1_000_000])
    let three = try await Pipelines.compress(input, chunkSize: 100_000, threads: 3, writeSizes: [17, 30_000])
    #expect(one.bytes == three.bytes)
    #expect(one.summary.streams == three.summary.streams)
  }

  @Test(arguments: [1, 5, 9])
  func everyLevelRoundTrips(level: Int) async throws {
    let input = TestData.text(400_000)
    let compressed = try await Pipelines.compress(input, codec: .bzip2(level: level), chunkSize: 150_000)
    #expect(Array(compressed.bytes.prefix(4)) == Array("BZh\(level)".utf8))
    let decoded = try await Pipelines.parallelDecode(compressed.bytes, boundaries: compressed.summary.streams)
    #expect(decoded.bytes == input)
  }

  @Test func noneCodecPassesBytesThrough() async throws {
    let input = TestData.random(250_000)
    let compressed = try await Pipelines.compress(input, codec: .none, chunkSize: 100_000, writeSizes: [33_333])
    #expect(compressed.bytes == input)
    #expect(compressed.summary.streams.map(\.compressedLength) == [100_000, 100_000, 50_000])
    let parallel = try await Pipelines.parallelDecode(
      compressed.bytes, boundaries: compressed.summary.streams, codec: .none)
    #expect(parallel.bytes == input)
  }

  @Test func defaultChunkSizeEndsOnBzip2Blocks() throws {
    #expect(Codec.bzip2(level: 9).defaultChunkSize % 900_000 == 0)
    #expect(Codec.bzip2(level: 1).defaultChunkSize % 100_000 == 0)
  }
}
