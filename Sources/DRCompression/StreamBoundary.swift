/// Where one independent stream sits in the compressed file and which bytes of the
/// original it holds; what the manifest records so a restore can decompress in parallel.
public struct StreamBoundary: Sendable, Hashable, Codable {
  public var compressedOffset: Int64
  public var compressedLength: Int64
  public var uncompressedOffset: Int64
  public var uncompressedLength: Int64

  public init(compressedOffset: Int64, compressedLength: Int64, uncompressedOffset: Int64, uncompressedLength: Int64) {
    self.compressedOffset = compressedOffset
    self.compressedLength = compressedLength
    self.uncompressedOffset = uncompressedOffset
    self.uncompressedLength = uncompressedLength
  }

  public var compressedRange: Range<Int64> { compressedOffset..<compressedOffset + compressedLength }
  public var uncompressedRange: Range<Int64> { uncompressedOffset..<uncompressedOffset + uncompressedLength }
}

/// One compressed chunk, handed to the consumer in order.
public struct CompressedChunk: Sendable {
  /// 0, 1, 2… in file order.
  public let index: Int
  /// One complete stream of the codec.
  public let bytes: [UInt8]
  public let boundary: StreamBoundary
}

/// One decompressed stream, handed to the consumer in order.
public struct DecompressedChunk: Sendable {
  public let index: Int
  public let bytes: [UInt8]
  public let boundary: StreamBoundary
}

/// What a finished `ParallelCompressor` wrote.
public struct CompressionSummary: Sendable, Hashable {
  public let codec: Codec
  public let chunkSize: Int
  public let threads: Int
  /// Every stream, in file order; they tile both the input and the output.
  public let streams: [StreamBoundary]
  public let bytesIn: Int64
  public let bytesOut: Int64
  /// The largest number of bytes the compressor held at once, and its documented bound.
  public let peakBufferedBytes: Int
  public let memoryBound: Int
}

/// What a finished decompressor read and wrote.
public struct DecompressionSummary: Sendable, Hashable {
  public let streams: Int
  public let bytesIn: Int64
  public let bytesOut: Int64
  public let peakBufferedBytes: Int
  public let memoryBound: Int
}
