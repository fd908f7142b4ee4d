import DRCompression
import Synchronization

/// Collects what a consumer is given, from any task.
final class Collector<Element: Sendable>: Sendable {
  private let items = Mutex<[Element]>([])

  func append(_ item: Element) { items.withLock { $0.append(item) } }

  var all: [Element] { items.withLock { $0 } }
}

/// The result of compressing a whole input in memory.
struct Compressed {
  let bytes: [UInt8]
  let chunks: [CompressedChunk]
  let summary: CompressionSummary
}

enum Pipelines {
  /// Compresses `input`, written in buffers cycling through `writeSizes`.
  static func compress(
    _ input: [UInt8], codec: Codec = .bzip2(level: 9), chunkSize: Int? = nil, threads: Int? = nil,
    writeSizes: [Int] = [65_536], bzip2Encoder: BZip2Encoder = .libbz2
  ) async throws -> Compressed {
    let collector = Collector<CompressedChunk>()
    let compressor = try ParallelCompressor(
      codec: codec, chunkSize: chunkSize, threads: threads, bzip2Encoder: bzip2Encoder
    ) {
      collector.append($0)
    }
    for piece in TestData.pieces(input, sizes: writeSizes) { try await compressor.write(piece) }
    let summary = try await compressor.finish()
    let chunks = collector.all
    return Compressed(bytes: chunks.flatMap(\.bytes), chunks: chunks, summary: summary)
  }

  /// Decodes a file with `ParallelDecompressor` and its boundaries.
  static func parallelDecode(
    _ compressed: [UInt8], boundaries: [StreamBoundary], codec: Codec = .bzip2(level: 9), threads: Int = 2,
    writeSizes: [Int] = [77_777]
  ) async throws -> (bytes: [UInt8], summary: DecompressionSummary) {
    let collector = Collector<DecompressedChunk>()
    let decompressor = try ParallelDecompressor(codec: codec, boundaries: boundaries, threads: threads) {
      collector.append($0)
    }
    for piece in TestData.pieces(compressed, sizes: writeSizes) { try await decompressor.write(piece) }
    let summary = try await decompressor.finish()
    let chunks = collector.all
    return (chunks.flatMap(\.bytes), summary)
  }

  /// Boundaries that tile a file made of streams of these lengths, one after another.
  static func boundaries(_ streams: [(compressed: Int, uncompressed: Int)]) -> [StreamBoundary] {
    var compressedOffset: Int64 = 0
    var uncompressedOffset: Int64 = 0
    return streams.map { stream in
      defer {
        compressedOffset += Int64(stream.compressed)
        uncompressedOffset += Int64(stream.uncompressed)
      }
      return StreamBoundary(
        compressedOffset: compressedOffset, compressedLength: Int64(stream.compressed),
        uncompressedOffset: uncompressedOffset, uncompressedLength: Int64(stream.uncompressed))
    }
  }

  /// Decodes one whole stream (or a file of one stream) that holds `uncompressed` bytes.
  static func decodeStream(
    _ stream: [UInt8], uncompressed: Int, codec: Codec = .bzip2(level: 9), writeSizes: [Int] = [77_777]
  ) async throws -> [UInt8] {
    let boundaries = boundaries([(stream.count, uncompressed)])
    return try await parallelDecode(stream, boundaries: boundaries, codec: codec, writeSizes: writeSizes).bytes
  }

  /// Decodes a whole file without boundaries with `SerialDecompressor`.
  static func serialDecode(
    _ compressed: [UInt8], codec: Codec = .zstd(level: 3), writeSizes: [Int] = [77_777]
  ) async throws -> (bytes: [UInt8], pieces: [[UInt8]], summary: DecompressionSummary) {
    let collector = Collector<[UInt8]>()
    let decompressor = try SerialDecompressor(codec: codec) { collector.append($0) }
    for piece in TestData.pieces(compressed, sizes: writeSizes) { try await decompressor.write(piece) }
    let summary = try await decompressor.finish()
    let pieces = collector.all
    return (pieces.flatMap { $0 }, pieces, summary)
  }
}
