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
    writeSizes: [Int] = [65_536]
  ) async throws -> Compressed {
    let collector = Collector<CompressedChunk>()
    let compressor = try ParallelCompressor(codec: codec, chunkSize: chunkSize, threads: threads) {
      collector.append($0)
    }
    for piece in TestData.pieces(input, sizes: writeSizes) { try await compressor.write(piece) }
    let summary = try await compressor.finish()
    let chunks = collector.all
    return Compressed(bytes: chunks.flatMap(\.bytes), chunks: chunks, summary: summary)
  }

  /// Decodes a whole file with `StreamingDecompressor`, written in `writeSize` pieces.
  static func streamingDecode(
    _ compressed: [UInt8], codec: Codec = .bzip2(level: 9), writeSize: Int = 100_000, pieceSize: Int = 1 << 20
  ) async throws -> [UInt8] {
    let collector = Collector<[UInt8]>()
    let decompressor = try StreamingDecompressor(codec: codec, pieceSize: pieceSize) { collector.append($0) }
    for piece in TestData.pieces(compressed, sizes: [writeSize]) { try await decompressor.write(piece) }
    _ = try await decompressor.finish()
    return collector.all.flatMap { $0 }
  }

  /// Decodes a file with `ParallelDecompressor` and its boundaries.
  static func parallelDecode(
    _ compressed: [UInt8], boundaries: [StreamBoundary], codec: Codec = .bzip2(level: 9), threads: Int = 2,
    writeSize: Int = 77_777
  ) async throws -> (bytes: [UInt8], summary: DecompressionSummary) {
    let collector = Collector<DecompressedChunk>()
    let decompressor = try ParallelDecompressor(codec: codec, boundaries: boundaries, threads: threads) {
      collector.append($0)
    }
    for piece in TestData.pieces(compressed, sizes: [writeSize]) { try await decompressor.write(piece) }
    let summary = try await decompressor.finish()
    let chunks = collector.all
    return (chunks.flatMap(\.bytes), summary)
  }
}
