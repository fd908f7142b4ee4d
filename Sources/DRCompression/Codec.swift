import CDRZstd
import DRCore

/// A compression format dr can write and read.
///
/// Every codec cuts its output into independent streams that concatenate into one valid
/// file of the format, so chunks can be compressed and decompressed in parallel. Adding a
/// codec means a case here and one `ChunkEncoder` and `ChunkDecoder` each.
public enum Codec: Sendable, Hashable {
  /// Bytes as they are.
  case none
  /// bzip2 through libbz2, at `level` 1...9 (block size level × 100 kB).
  case bzip2(level: Int)
  /// zstd through libzstd, at `level` 1...19: one frame per chunk, each with its content
  /// size and a checksum.
  case zstd(level: Int)

  /// The codec a manifest names, or nil when this dr does not know it (a newer dr wrote
  /// it). The level is the one recorded; decoders do not need it.
  public init?(name: String, level: Int) {
    switch name {
    case "none": self = .none
    case "bzip2": self = .bzip2(level: level)
    case "zstd": self = .zstd(level: level)
    default: return nil
    }
  }

  /// The name used in manifests and on the command line.
  public var name: String {
    switch self {
    case .none: "none"
    case .bzip2: "bzip2"
    case .zstd: "zstd"
    }
  }

  /// The level recorded in manifests; 0 for `none`.
  public var level: Int {
    switch self {
    case .none: 0
    case .bzip2(let level), .zstd(let level): level
    }
  }

  /// The file name extension, without the dot; empty for `none`.
  public var fileExtension: String {
    switch self {
    case .none: ""
    case .bzip2: "bz2"
    case .zstd: "zst"
    }
  }

  /// Refuses settings the library would refuse later, with a message that says why.
  public func validate() throws(CompressionError) {
    switch self {
    case .none: return
    case .bzip2(let level) where !(1...9).contains(level):
      throw CompressionError(.invalidArgument, "bzip2 level \(level) is outside 1...9")
    case .zstd(let level) where !(1...19).contains(level):
      throw CompressionError(.invalidArgument, "zstd level \(level) is outside 1...19")
    case .bzip2, .zstd: return
    }
  }

  /// The chunk size used when none is given. bzip2: five blocks (4.5 MB at level 9), so
  /// streams end on a block boundary and no short block costs ratio. zstd: 4 MiB, at
  /// least twice the window of levels 1...8 (docs/compression.md).
  public var defaultChunkSize: Int {
    switch self {
    case .none, .zstd: 4 << 20
    case .bzip2(let level): 5 * level * 100_000
    }
  }

  /// The largest stream `chunkSize` input bytes can encode to: libbz2 documents 1% plus
  /// 600 bytes as its worst case; libzstd's is `ZSTD_compressBound` (about 0.4%).
  public func maximumEncodedSize(_ chunkSize: Int) -> Int {
    switch self {
    case .none: chunkSize
    case .bzip2: chunkSize + chunkSize / 100 + 600
    case .zstd: ZSTD_compressBound(chunkSize)
    }
  }

  /// A new encoder for one of `threads` threads; it is reused for every chunk that thread
  /// encodes. `bzip2Encoder` chooses libbz2 or the lbzip2 program for bzip2 (others ignore
  /// it).
  func makeEncoder(chunkSize: Int, threads: Int = 1, bzip2Encoder: BZip2Encoder = .libbz2) -> any ChunkEncoder {
    switch (self, bzip2Encoder) {
    case (.none, _): PassThroughEncoder()
    case (.bzip2(let level), .lbzip2(let program)):
      LBZip2ChunkEncoder(
        program: program, level: level, chunkSize: chunkSize,
        chunksPerProcess: LBZip2ChunkEncoder.chunksPerProcess(threads: threads, openFiles: openFileLimit()))
    case (.bzip2(let level), .libbz2): BZip2ChunkEncoder(level: level, chunkSize: chunkSize)
    case (.zstd(let level), _): ZstdChunkEncoder(level: level, chunkSize: chunkSize)
    }
  }

  /// A new decoder of whole independent streams for one thread.
  func makeDecoder() -> any ChunkDecoder {
    switch self {
    case .none: PassThroughDecoder()
    case .bzip2: BZip2ChunkDecoder()
    case .zstd: ZstdChunkDecoder()
    }
  }

  /// A new decoder of whole files without boundaries, or nil when the codec has none
  /// (bzip2's streams are decoded only with their boundaries).
  func makeStreamDecoder() -> (any StreamDecoder)? {
    switch self {
    case .none: PassThroughStreamDecoder()
    case .bzip2: nil
    case .zstd: ZstdStreamDecoder()
    }
  }
}
