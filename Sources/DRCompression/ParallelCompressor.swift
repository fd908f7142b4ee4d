import DRCore
import Foundation

/// Compresses a byte stream as independent streams of `chunkSize` input bytes each, on
/// `threads` threads of its own, and hands the compressed chunks to `consumer` in order.
///
/// The producer calls `write` with buffers of any size, then `finish`. `write` waits
/// while `threads + 1` chunks are already in flight, and chunks are handed to the
/// consumer from inside `write` and `finish`, so a slow consumer slows the producer down.
///
/// Memory: the compressor holds at most `memoryBound` bytes of chunk data,
/// `(threads + 2) × chunkSize` of input (the chunk being filled and `threads + 1` in
/// flight) plus `(threads + 1) × maximumEncodedSize(chunkSize)` of output (finished
/// chunks waiting for their turn and the one the consumer is handling). On top of that
/// each thread keeps fixed working memory: the codec's state (libbz2: 400 kB + 8 × block
/// size, 7.6 MB at level 9; libzstd: 3.7 MB at level 3, 56 MB at level 19, for 4 MiB
/// chunks) and one output scratch of `maximumEncodedSize(chunkSize)`.
///
/// A failure (the codec library, the consumer) or the cancellation of the calling task stops the
/// threads, drops what is in flight and is thrown from this and every later call; no
/// thread is left running once the call that failed returns. Calls must not overlap:
/// one producer feeds one compressor. The ordering, back-pressure and failure handling
/// are `OrderedParallelStage`'s; what is left here is the chunking and the accounting of
/// streams and bytes.
public actor ParallelCompressor {
  public typealias Consumer = @Sendable (CompressedChunk) async throws -> Void

  typealias Stage = OrderedParallelStage<ChunkWork, ChunkWork, CompressionSummary>

  /// A chunk on its way through the pool: its input going in, its stream coming out.
  struct ChunkWork: Sendable {
    let index: Int
    let uncompressedOffset: Int64
    let uncompressedLength: Int
    let bytes: AccountedBytes
  }

  public let codec: Codec
  public let chunkSize: Int
  /// Chunk-sized input buffers, given back once their chunk is encoded and filled again by
  /// later writes, in memory already mapped.
  public nonisolated let inputRecycler: BufferRecycler
  public let threads: Int
  /// The most chunk data this compressor ever holds (see the type's documentation).
  public nonisolated let memoryBound: Int
  /// Input and output bytes held now, with their peaks.
  public nonisolated let account = ByteAccount()
  nonisolated let gauge: ThreadGauge

  let consumer: Consumer
  let stage: Stage
  /// The chunk being filled; counted in `account` as input.
  var fill: [UInt8] = []
  /// Chunks handed to the stage so far.
  var sealed = 0
  var streams: [StreamBoundary] = []
  var bytesIn: Int64 = 0
  var bytesOut: Int64 = 0

  /// `chunkSize` defaults to the codec's (`Codec.defaultChunkSize`), `threads` to the
  /// number of cores; `bzip2Encoder` says what encodes bzip2 chunks (libbz2 or lbzip2).
  /// Throws `CompressionError.invalidArgument` for settings out of range.
  public init(
    codec: Codec = .bzip2(level: 9), chunkSize: Int? = nil, threads: Int? = nil,
    bzip2Encoder: BZip2Encoder = .libbz2, consumer: @escaping Consumer
  ) throws(CompressionError) {
    try codec.validate()
    let chunkSize = chunkSize ?? codec.defaultChunkSize
    let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
    guard (1...(1 << 30)).contains(chunkSize) else {
      throw CompressionError(.invalidArgument, "chunk size \(chunkSize) is outside 1 byte...1 GiB")
    }
    guard (1...256).contains(threads) else {
      throw CompressionError(.invalidArgument, "\(threads) threads is outside 1...256")
    }
    self.codec = codec
    self.chunkSize = chunkSize
    inputRecycler = BufferRecycler(size: chunkSize, limit: 1)
    self.threads = threads
    self.consumer = consumer
    memoryBound = (threads + 2) * chunkSize + (threads + 1) * codec.maximumEncodedSize(chunkSize)
    stage = Stage(
      threadName: "dr-compress", threads: threads, inFlight: threads + 1,
      misuse: { CompressionError(.misuse, "the compressor \($0)") }
    ) { [account] in
      let encoder = codec.makeEncoder(chunkSize: chunkSize, threads: threads, bzip2Encoder: bzip2Encoder)
      return { work, stop in
        let stream = try work.bytes.bytes.withUnsafeBytes { try encoder.encode($0, stop: stop) }
        return ChunkWork(
          index: work.index, uncompressedOffset: work.uncompressedOffset, uncompressedLength: work.bytes.count,
          bytes: AccountedBytes(stream, in: account, side: .output))
      }
    }
    gauge = stage.gauge
  }

  /// Threads of this compressor that are running now; 0 after `finish` or a failure.
  public nonisolated var runningThreads: Int { gauge.running }

  /// Appends bytes; waits while the compressors and the consumer are busy.
  public func write(_ bytes: [UInt8]) async throws {
    try await stage.run(cleanUp: dropFill) {
      var rest = bytes[...]
      while !rest.isEmpty {
        if fill.capacity < chunkSize {
          fill = inputRecycler.take()
          fill.removeAll(keepingCapacity: true)
        }
        let taken = rest.prefix(chunkSize - fill.count)
        fill.append(contentsOf: taken)
        account.add(taken.count, to: .input)
        rest = rest.dropFirst(taken.count)
        if fill.count == chunkSize { try await seal() }
      }
    }
  }

  /// Compresses what is left, hands every chunk to the consumer, stops the threads and
  /// returns the summary. An empty input gives one stream (an empty `.bz2` file is
  /// 14 bytes, not 0). Calling it again returns the same summary.
  public func finish() async throws -> CompressionSummary {
    try await stage.finish(cleanUp: dropFill, deliver: deliver) {
      if !fill.isEmpty || sealed == 0 { try await seal() }
    } summary: {
      CompressionSummary(
        codec: codec, chunkSize: chunkSize, threads: threads, streams: streams, bytesIn: bytesIn,
        bytesOut: bytesOut, peakBufferedBytes: account.current.peakTotal, memoryBound: memoryBound)
    }
  }

  /// Stops the threads and drops everything in flight; later calls throw
  /// `CancellationError`. Returns once no thread of this compressor runs.
  public func abort() async {
    await stage.abort(cleanUp: dropFill)
  }
}
