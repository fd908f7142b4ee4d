import DRCompression
import DRCore
import Foundation
import Testing

/// dr's zstd frames against the stock `zstd` tool, both ways.
/// The time limit only catches a stock tool that hangs on its pipes. It is not a speed
/// bound: in a full run on 2 cores these small tests share the machine with a gibibyte
/// through bzip2 (MemoryBoundTests) and ~970 others: passing runs took up to 153 s, and one
/// went past the old 2-minute limit.
@Suite(.timeLimit(.minutes(10))) struct ZstdInteropTests {
  static let codec = Codec.zstd(level: 3)

  @Test func stockZstdReadsOurFrames() async throws {
    let input = TestData.text(1_500_000) + TestData.random(100_000) + TestData.runs(600_000)
    let compressed = try await Pipelines.compress(
      input, codec: Self.codec, chunkSize: 300_000, threads: 2, writeSizes: [12_345])
    #expect(compressed.summary.streams.count == 8)
    #expect(try await Tool.run(["zstd", "-d", "-c"], input: compressed.bytes) == input)
    // `zstd -t` checks every frame's checksum.
    _ = try await Tool.run(["zstd", "-t"], input: compressed.bytes)
  }

  @Test func stockZstdReadsOurFramesAtTheDefaultChunkSize() async throws {
    let input = TestData.text(10_000_000)
    let compressed = try await Pipelines.compress(input, codec: Self.codec, writeSizes: [1 << 20])
    #expect(compressed.summary.streams.count == 3)
    #expect(try await Tool.run(["zstd", "-d", "-c"], input: compressed.bytes) == input)
  }

  /// The other end of the policy's range (level 19 is slow: a small input).
  @Test func stockZstdReadsOurLevelNineteenFrames() async throws {
    let input = TestData.text(600_000)
    let compressed = try await Pipelines.compress(input, codec: .zstd(level: 19), chunkSize: 250_000)
    #expect(compressed.summary.streams.count == 3)
    #expect(try await Tool.run(["zstd", "-d", "-c"], input: compressed.bytes) == input)
  }

  @Test func stockZstdReadsOurEmptyOutput() async throws {
    let compressed = try await Pipelines.compress([], codec: Self.codec)
    #expect(compressed.summary.streams.count == 1)
    #expect(!compressed.bytes.isEmpty)
    #expect(try await Tool.run(["zstd", "-d", "-c"], input: compressed.bytes) == [])
  }

  static let encoders: [[String]] = [
    ["zstd", "-3", "-c"], ["zstd", "-19", "-c"], ["zstd", "-1", "-T2", "-c"], ["zstd", "-3", "--no-check", "-c"],
    ["zstd", "-3", "-c", "--stream-size=1200000"],
  ]

  /// One stock frame (from a pipe: no content size, unless `--stream-size` gives it), no
  /// boundaries: decoded serially.
  @Test(arguments: encoders)
  func weReadStockOutputWithoutBoundaries(_ encoder: [String]) async throws {
    let input = TestData.text(1_000_000) + TestData.random(200_000)
    let compressed = try await Tool.run(encoder, input: input)
    let serial = try await Pipelines.serialDecode(compressed, writeSizes: [65_536])
    #expect(serial.bytes == input)
    #expect(serial.summary.streams == 1)
    #expect(serial.pieces.allSatisfy { $0.count <= SerialDecompressor.pieceSize })
    // Given its size as one boundary, the parallel decoder takes it as one stream too.
    let parallel = try await Pipelines.decodeStream(compressed, uncompressed: input.count, codec: Self.codec)
    #expect(parallel == input)
  }

  /// Concatenated stock files, and a skippable frame between them, as `zstd -d` reads them.
  @Test func weReadConcatenatedStockFiles() async throws {
    let inputs = [TestData.text(500_000, seed: 7), [], TestData.random(1000, seed: 8)]
    var files: [[UInt8]] = []
    for input in inputs { files.append(try await Tool.run(["zstd", "-c"], input: input)) }
    let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 1, 2, 3]
    let file = files[0] + skippable + files[1] + files[2]
    #expect(try await Tool.run(["zstd", "-d", "-c"], input: file) == inputs.flatMap { $0 })
    let serial = try await Pipelines.serialDecode(file, writeSizes: [13, 4096])
    #expect(serial.bytes == inputs.flatMap { $0 })
    #expect(serial.summary.streams == 4)
    let boundaries = Pipelines.boundaries(zip(files, inputs).map { ($0.count, $1.count) })
    let parallel = try await Pipelines.parallelDecode(files.flatMap { $0 }, boundaries: boundaries, codec: Self.codec)
    #expect(parallel.bytes == inputs.flatMap { $0 })
  }

  /// Data that expands a thousandfold comes out in bounded pieces, within the bound.
  @Test func aHighlyCompressibleFileDecodesInBoundedPieces() async throws {
    let zeros = [UInt8](repeating: 0, count: SerialDecompressor.pieceSize)
    let compressed = try await Tool.run(["zstd", "-3", "-c"], input: zeros + zeros + zeros + zeros + zeros + zeros)
    #expect(compressed.count < 16 << 10)
    // Counted, and compared with memcmp, as they come: nothing but the pieces is held.
    let pieces = Collector<(count: Int, zero: Bool)>()
    let decompressor = try SerialDecompressor(codec: Self.codec) { piece in
      pieces.append((piece.count, memcmp(piece, zeros, piece.count) == 0))
    }
    try await decompressor.write(compressed)
    let summary = try await decompressor.finish()
    #expect(summary.bytesOut == Int64(6 * zeros.count))
    #expect(pieces.all.count == 6)
    #expect(pieces.all.allSatisfy { $0.count <= SerialDecompressor.pieceSize && $0.zero })
    #expect(summary.peakBufferedBytes <= summary.memoryBound)
    #expect(summary.memoryBound == 2 * compressed.count + 2 * SerialDecompressor.pieceSize)
  }

  @Test func bzip2IsNotDecodedWithoutBoundaries() {
    let error = #expect(throws: CompressionError.self) { _ = try SerialDecompressor(codec: .bzip2(level: 9)) { _ in } }
    #expect(error?.code == .invalidArgument)
  }
}
