import DRCompression
import Testing

/// dr's streams against the stock tools, both ways.
/// The time limit only catches a stock tool that hangs on its pipes. It is not a speed
/// bound: in a full run on 2 cores these small tests share the machine with a gibibyte
/// through bzip2 (MemoryBoundTests) and ~970 others: passing runs took up to 153 s, and one
/// went past the old 2-minute limit.
@Suite(.timeLimit(.minutes(10))) struct InteropTests {
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

  /// Our decoder against streams another encoder wrote, given their boundaries.
  @Test(arguments: encoders)
  func weReadStockOutput(_ encoder: [String]) async throws {
    let input = TestData.text(3_000_000) + TestData.random(200_000)
    let compressed = try await Tool.run(encoder, input: input)
    #expect(try await Pipelines.decodeStream(compressed, uncompressed: input.count, writeSizes: [65_536]) == input)
  }

  @Test func weReadConcatenatedStockFilesGivenTheirBoundaries() async throws {
    let inputs = [TestData.text(500_000, seed: 7), [], TestData.random(1000, seed: 8)]
    let files = [
      try await Tool.run(["bzip2", "-c"], input: inputs[0]), try await Tool.run(["bzip2", "-c"], input: inputs[1]),
      try await Tool.run(["lbzip2", "-c"], input: inputs[2]),
    ]
    let boundaries = Pipelines.boundaries(zip(files, inputs).map { ($0.count, $1.count) })
    let decoded = try await Pipelines.parallelDecode(files.flatMap { $0 }, boundaries: boundaries, writeSizes: [13])
    #expect(decoded.bytes == inputs.flatMap { $0 })
  }

  @Test func weReadStockEmptyFile() async throws {
    let compressed = try await Tool.run(["bzip2", "-c"], input: [])
    #expect(compressed.count == 14)
    #expect(try await Pipelines.decodeStream(compressed, uncompressed: 0) == [])
  }
}
