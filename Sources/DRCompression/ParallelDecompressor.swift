import DRCore
import Foundation

/// Decompresses a file written by `ParallelCompressor`, given its stream boundaries: the
/// producer `write`s the compressed bytes in order (pieces of any size, as a download
/// delivers them), each stream is decoded on one of `threads` threads of its own, and the
/// decoded streams reach `consumer` in order.
///
/// Every stream must end exactly at its boundary and decode to exactly its recorded
/// length; bytes beyond the last boundary, or missing at `finish`, are refused.
///
/// Memory: at most `memoryBound` bytes, `(threads + 2) × largest compressed stream` of
/// input plus `(threads + 1) × largest uncompressed stream` of output, plus the codec's
/// state per thread (libbz2: about 3.7 MB at level 9; libzstd: about 100 kB, since a
/// frame is decoded in one call straight into its output).
///
/// Failures, cancellation, back-pressure and ordering are `OrderedParallelStage`'s, as
/// for `ParallelCompressor`; what is left here is cutting the input at the boundaries.
public actor ParallelDecompressor {
  public typealias Consumer = @Sendable (DecompressedChunk) async throws -> Void
  typealias Stage = OrderedParallelStage<StreamWork, StreamWork, DecompressionSummary>

  struct StreamWork: Sendable {
    let index: Int
    let bytes: AccountedBytes
  }

  public let codec: Codec
  public let boundaries: [StreamBoundary]
  public let threads: Int
  public nonisolated let memoryBound: Int
  public nonisolated let account = ByteAccount()
  nonisolated let gauge: ThreadGauge

  let consumer: Consumer
  let stage: Stage
  /// The bytes of stream `current` so far; counted in `account` as input.
  var fill: [UInt8] = []
  /// The stream `fill` belongs to; `boundaries.count` once all are sealed.
  var current = 0
  var bytesIn: Int64 = 0
  var bytesOut: Int64 = 0

  /// Throws `CompressionError.invalidArgument` when the boundaries do not tile the file
  /// from offset 0 or a stream is larger than 1 GiB. The codec's level is not checked:
  /// decoding does not depend on it, and a newer dr may write levels this one does not.
  public init(
    codec: Codec = .bzip2(level: 9), boundaries: [StreamBoundary], threads: Int? = nil, consumer: @escaping Consumer
  )
    throws(CompressionError)
  {
    try Self.validate(boundaries)
    let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
    guard (1...256).contains(threads) else {
      throw CompressionError(.invalidArgument, "\(threads) threads is outside 1...256")
    }
    self.codec = codec
    self.boundaries = boundaries
    self.threads = threads
    self.consumer = consumer
    let largestIn = Int(boundaries.map(\.compressedLength).max() ?? 0)
    let largestOut = Int(boundaries.map(\.uncompressedLength).max() ?? 0)
    memoryBound = (threads + 2) * largestIn + (threads + 1) * largestOut
    stage = Stage(
      threadName: "dr-decompress", threads: threads, inFlight: threads + 1,
      misuse: { CompressionError(.misuse, "the decompressor \($0)") }
    ) { [account, boundaries] in
      let decoder = codec.makeDecoder()
      return { work, stop in
        let expected = Int(boundaries[work.index].uncompressedLength)
        do {
          let bytes = try work.bytes.bytes.withUnsafeBytes {
            try decoder.decode($0, expectedSize: expected, stop: stop)
          }
          return StreamWork(index: work.index, bytes: AccountedBytes(bytes, in: account, side: .output))
        } catch let error as CompressionError {
          throw CompressionError(error.code, "stream \(work.index + 1) of \(boundaries.count): \(error.message)")
        }
      }
    }
    gauge = stage.gauge
  }

  /// Threads of this decompressor that are running now; 0 after `finish` or a failure.
  public nonisolated var runningThreads: Int { gauge.running }

  /// Appends compressed bytes; waits while the decoders and the consumer are busy.
  public func write(_ bytes: [UInt8]) async throws {
    try await stage.run(cleanUp: dropFill) {
      var rest = bytes[...]
      try await sealCompleteStreams()
      while !rest.isEmpty {
        guard current < boundaries.count else {
          throw CompressionError(.trailingGarbage, "\(rest.count) bytes after the last of \(boundaries.count) streams")
        }
        let needed = Int(boundaries[current].compressedLength) - fill.count
        if fill.capacity < needed { fill.reserveCapacity(needed) }
        let taken = rest.prefix(needed)
        fill.append(contentsOf: taken)
        account.add(taken.count, to: .input)
        rest = rest.dropFirst(taken.count)
        bytesIn += Int64(taken.count)
        try await sealCompleteStreams()
      }
    }
  }

  /// Decodes what is left and hands it on; throws `truncated` if streams are missing.
  /// Calling it again returns the same summary.
  public func finish() async throws -> DecompressionSummary {
    try await stage.finish(cleanUp: dropFill, deliver: deliver) {
      try await sealCompleteStreams()
      guard current == boundaries.count else {
        throw CompressionError(
          .truncated, "the input ends inside stream \(current + 1) of \(boundaries.count), after \(bytesIn) bytes")
      }
    } summary: {
      DecompressionSummary(
        streams: boundaries.count, bytesIn: bytesIn, bytesOut: bytesOut, peakBufferedBytes: account.current.peakTotal,
        memoryBound: memoryBound)
    }
  }

  /// Stops the threads and drops everything in flight; later calls throw
  /// `CancellationError`. Returns once no thread of this decompressor runs.
  public func abort() async {
    await stage.abort(cleanUp: dropFill)
  }
}
