import DRCompression
import Testing

/// dr's streams against the stock tools, both ways.
@Suite(.timeLimit(.minutes(2))) struct InteropTests {
  static let decoders: [[String]] = [["bunzip2", "-c"], ["lbzip2", "-d", "-c", "-n2"]]

  @Test(arguments: decoders)
  func stockToolsReadOurOutput(_ decoder: [String]) async throws {
    let input = TestData.text(1_500_000) + TestData.random(100_000) + TestData.runs(600_000)
    let compressed = try await Pipelines.compress(input, chunkSize: 300_000, threads: 2, writeSizes: [12_345])
    #expect(compressed.summary.streams.count == 8)
    #expect(try await Tool.run(decoder, input: compressed.bytes) == input)
  }

  @Test(arguments: decoders)
  func stockToolsReadOurOutputAtTheDefaultChunkSize(_ decoder: [String]) async throws {
    let input = TestData.text(10_000_000)
    let compressed = try await Pipelines.compress(input, writeSizes: [1 << 20])
    #expect(compressed.summary.streams.count == 3)
    #expect(try await Tool.run(decoder, input: compressed.bytes) == input)
  }

  @Test(arguments: decoders)
  func stockToolsReadOurEmptyOutput(_ decoder: [String]) async throws {
    let compressed = try await Pipelines.compress([])
    #expect(try await Tool.run(decoder, input: compressed.bytes) == [])
  }

  static let encoders: [[String]] = [
    ["bzip2", "-9", "-c"], ["bzip2", "-1", "-c"], ["lbzip2", "-9", "-c", "-n2"], ["lbzip2", "-1", "-c", "-n2"],
  ]

  @Test(arguments: encoders)
  func weReadStockOutput(_ encoder: [String]) async throws {
    let input = TestData.text(3_000_000) + TestData.random(200_000)
    let compressed = try await Tool.run(encoder, input: input)
    #expect(try await Pipelines.streamingDecode(compressed, writeSize: 65_536, pieceSize: 100_000) == input)
  }

  @Test func weReadConcatenatedStockFiles() async throws {
    let first = TestData.text(500_000, seed: 7)
    let second = TestData.random(1000, seed: 8)
    let empty: [UInt8] = []
    let files = [
      try await Tool.run(["bzip2", "-c"], input: first), try await Tool.run(["bzip2", "-c"], input: empty),
      try await Tool.run(["lbzip2", "-c"], input: second),
    ]
    #expect(try await Pipelines.streamingDecode(files.flatMap { $0 }, writeSize: 13) == first + second)
  }

  @Test func weReadStockEmptyFile() async throws {
    let compressed = try await Tool.run(["bzip2", "-c"], input: [])
    #expect(compressed.count == 14)
    #expect(try await Pipelines.streamingDecode(compressed) == [])
  }
}
