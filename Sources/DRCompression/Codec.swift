import DRCore

/// A compression format dr can write and read.
///
/// Every codec cuts its output into independent streams that concatenate into one valid
/// file of the format, so chunks can be compressed and decompressed in parallel. Adding a
/// codec (gzip, zstd) means a case here and one `ChunkEncoder` and `ChunkDecoder` each.
public enum Codec: Sendable, Hashable {
  /// Bytes as they are.
  case none
  /// bzip2 through libbz2, at `level` 1...9 (block size level × 100 kB).
  case bzip2(level: Int)

  /// The name used in manifests and on the command line.
  public var name: String {
    switch self {
    case .none: "none"
    case .bzip2: "bzip2"
    }
  }

  /// The file name extension, without the dot; empty for `none`.
  public var fileExtension: String {
    switch self {
    case .none: ""
    case .bzip2: "bz2"
    }
  }

  /// Refuses settings the library would refuse later, with a message that says why.
  public func validate() throws(CompressionError) {
    if case .bzip2(let level) = self, !(1...9).contains(level) {
      throw CompressionError(.invalidArgument, "bzip2 level \(level) is outside 1...9")
    }
  }

  /// The chunk size used when none is given: five bzip2 blocks (4.5 MB at level 9), so
  /// streams end on a block boundary and no short block costs ratio (docs/compression.md).
  public var defaultChunkSize: Int {
    switch self {
    case .none: 4 << 20
    case .bzip2(let level): 5 * level * 100_000
    }
  }

  /// The largest stream `chunkSize` input bytes can encode to: libbz2 documents 1% plus
  /// 600 bytes as its worst case.
  public func maximumEncodedSize(_ chunkSize: Int) -> Int {
    switch self {
    case .none: chunkSize
    case .bzip2: chunkSize + chunkSize / 100 + 600
    }
  }

  /// A new encoder for one thread; it is reused for every chunk that thread encodes.
  func makeEncoder(chunkSize: Int) -> any ChunkEncoder {
    switch self {
    case .none: PassThroughEncoder()
    case .bzip2(let level): BZip2ChunkEncoder(level: level, chunkSize: chunkSize)
    }
  }

  /// A new decoder of whole independent streams for one thread.
  func makeDecoder() -> any ChunkDecoder {
    switch self {
    case .none: PassThroughDecoder()
    case .bzip2: BZip2ChunkDecoder()
    }
  }
}
