import DRCore

/// Decodes a whole compressed file without its stream boundaries (a stock `zstd` file,
/// one frame or many), serially on one thread of its own, and hands the decoded bytes to
/// `consumer` in order, in pieces of at most `pieceSize` bytes.
///
/// dr's own objects are decoded in parallel with their boundaries (`ParallelDecompressor`);
/// this is for files that have none. zstd and `none` only: a bzip2 file needs its
/// boundaries.
///
/// Memory: at most `2 × largest write + 2 × pieceSize` bytes of input and output, plus the
/// codec's window (see `ZstdStreamDecoder`), however far the data expands: a write is
/// decoded piece by piece before the next is taken. Failures, cancellation and misuse are
/// `OrderedParallelStage`'s, as for the other stages.
public actor SerialDecompressor {
  public typealias Consumer = @Sendable ([UInt8]) async throws -> Void
  public static let pieceSize = 4 << 20

  /// One job for the decoding thread: more input (or none, for more output), or the end.
  enum Step: Sendable {
    case feed(AccountedBytes?)
    case end
  }

  struct Piece: Sendable {
    let bytes: AccountedBytes
    /// Output is left; nil until the end, then the frames decoded.
    let more: Bool
    let frames: Int?
  }

  typealias Stage = OrderedParallelStage<Step, Piece, DecompressionSummary>

  public let codec: Codec
  public nonisolated let account = ByteAccount()
  nonisolated let gauge: ThreadGauge
  let consumer: Consumer
  let stage: Stage
  /// The last piece handed on said output is left.
  var more = false
  var frames = 0
  var largestWrite = 0
  var bytesIn: Int64 = 0
  var bytesOut: Int64 = 0

  /// Throws `CompressionError.invalidArgument` for a codec that cannot be decoded without
  /// boundaries (bzip2).
  public init(codec: Codec, consumer: @escaping Consumer) throws(CompressionError) {
    guard codec.makeStreamDecoder() != nil else {
      throw CompressionError(.invalidArgument, "\(codec.name) files are decoded only with their stream boundaries")
    }
    self.codec = codec
    self.consumer = consumer
    stage = Stage(
      threadName: "dr-decompress", threads: 1, inFlight: 1,
      misuse: { CompressionError(.misuse, "the decompressor \($0)") }
    ) { [account] in
      let decoder = codec.makeStreamDecoder()!
      return { step, stop in
        switch step {
        case .feed(let input):
          let (bytes, more) = try decoder.decode(input, limit: Self.pieceSize, stop: stop)
          return Piece(bytes: AccountedBytes(bytes, in: account, side: .output), more: more, frames: nil)
        case .end:
          let (bytes, more) = try decoder.decode(nil, limit: Self.pieceSize, stop: stop)
          let frames = more ? nil : try decoder.end()
          return Piece(bytes: AccountedBytes(bytes, in: account, side: .output), more: more, frames: frames)
        }
      }
    }
    gauge = stage.gauge
  }

  /// The decoding thread, when it runs; 0 after `finish` or a failure.
  public nonisolated var runningThreads: Int { gauge.running }

  /// Appends compressed bytes; returns once the decoder has taken them and handed on all
  /// but the last piece of their output.
  public func write(_ bytes: [UInt8]) async throws {
    try await stage.run {
      largestWrite = max(largestWrite, bytes.count)
      bytesIn += Int64(bytes.count)
      try await stage.submit(.feed(AccountedBytes(bytes, in: account, side: .input)), deliver: deliver)
      while more { try await stage.submit(.feed(nil), deliver: deliver) }
    }
  }

  /// Decodes what is left and hands it on; throws `truncated` when the input ended inside
  /// a frame or held none. Calling it again returns the same summary.
  public func finish() async throws -> DecompressionSummary {
    try await stage.finish(deliver: deliver) {
      repeat { try await stage.submit(.end, deliver: deliver) } while more
    } summary: {
      DecompressionSummary(
        streams: frames, bytesIn: bytesIn, bytesOut: bytesOut, peakBufferedBytes: account.current.peakTotal,
        memoryBound: 2 * largestWrite + 2 * Self.pieceSize)
    }
  }

  /// Stops the thread and drops everything in flight; later calls throw `CancellationError`.
  public func abort() async {
    await stage.abort()
  }

  func deliver(_ piece: Piece) async throws {
    more = piece.more
    if let count = piece.frames { frames = count }
    bytesOut += Int64(piece.bytes.count)
    if piece.bytes.count > 0 { try await consumer(piece.bytes.bytes) }
  }
}
