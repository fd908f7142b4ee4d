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
/// input plus `(threads + 1) × largest uncompressed stream` of output, plus libbz2's
/// state per thread (about 3.7 MB at level 9).
public actor ParallelDecompressor {
  public typealias Consumer = @Sendable (DecompressedChunk) async throws -> Void
  typealias Pool = WorkerPool<StreamWork, StreamWork>

  struct StreamWork: Sendable {
    let index: Int
    let bytes: AccountedBytes
  }

  public let codec: Codec
  public let boundaries: [StreamBoundary]
  public let threads: Int
  public nonisolated let memoryBound: Int
  public nonisolated let account = ByteAccount()

  let consumer: Consumer
  let pool: Pool
  var phase = Phase.open
  var busy = false
  var fill: [UInt8] = []
  /// The stream `fill` belongs to; `boundaries.count` once all are sealed.
  var current = 0
  var pending: [PoolJob<StreamWork, StreamWork>] = []
  var delivered = 0
  var bytesIn: Int64 = 0
  var bytesOut: Int64 = 0

  enum Phase {
    case open
    case finished(DecompressionSummary)
    case failed(any Error)
  }

  /// Throws `CompressionError.invalidArgument` when the boundaries do not tile the file
  /// from offset 0 or a stream is larger than 1 GiB.
  public init(
    codec: Codec = .bzip2(level: 9), boundaries: [StreamBoundary], threads: Int? = nil, consumer: @escaping Consumer
  )
    throws(CompressionError)
  {
    try codec.validate()
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
    pool = Pool(name: "dr-decompress", maxThreads: threads) { [account, boundaries] in
      let decoder = codec.makeDecoder()
      return { work, stop in
        let expected = Int(boundaries[work.index].uncompressedLength)
        do {
          let bytes = try work.bytes.bytes.withUnsafeBytes {
            try decoder.decode($0, expectedSize: expected, stop: stop)
          }
          return StreamWork(index: work.index, bytes: AccountedBytes(bytes, in: account, side: .output))
        } catch let error as CompressionError {
          throw CompressionError(error.kind, "stream \(work.index + 1) of \(boundaries.count): \(error.message)")
        }
      }
    }
  }

  deinit { pool.shutdown(cancelling: true) }

  public nonisolated var runningThreads: Int { pool.liveThreads }

  /// Appends compressed bytes; waits while the decoders and the consumer are busy.
  public func write(_ bytes: [UInt8]) async throws {
    try enter()
    defer { busy = false }
    try await failing {
      try Task.checkCancellation()
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
  public func finish() async throws -> DecompressionSummary {
    if case .finished(let summary) = phase { return summary }
    try enter()
    defer { busy = false }
    return try await failing {
      try await sealCompleteStreams()
      guard current == boundaries.count else {
        throw CompressionError(
          .truncated, "the input ends inside stream \(current + 1) of \(boundaries.count), after \(bytesIn) bytes")
      }
      while !pending.isEmpty { try await deliverHead() }
      pool.shutdown(cancelling: false)
      await pool.waitUntilStopped()
      let summary = DecompressionSummary(
        streams: boundaries.count, bytesIn: bytesIn, bytesOut: bytesOut, peakBufferedBytes: account.current.peakTotal,
        memoryBound: memoryBound)
      phase = .finished(summary)
      return summary
    }
  }

  public func abort() async {
    await fail(CancellationError())
  }
}
