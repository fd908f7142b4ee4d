import DRCore

/// Decompresses any file of its codec on one thread of its own, without boundaries: for
/// `.bz2` files written by stock `bzip2` or `lbzip2` (one stream or many concatenated).
///
/// The producer `write`s compressed pieces of any size, then calls `finish`, which
/// refuses an input that ends inside a stream or holds none; corrupt data and trailing
/// garbage are refused as they come. Decoded bytes reach `consumer` in pieces of at most
/// `pieceSize` bytes, so however much a few compressed bytes expand, memory stays bounded
/// by the piece being written, one decoded piece (the summary's `memoryBound`) and the
/// decoder's state (about 3.7 MB for bzip2 level 9).
public actor StreamingDecompressor {
  public typealias Consumer = @Sendable ([UInt8]) async throws -> Void

  enum Request: Sendable {
    case step([UInt8], from: Int)
    case finish
  }

  enum Reply: Sendable {
    case step(DecodeStep)
    case finished(streams: Int)
  }

  enum Phase {
    case open
    case finished(DecompressionSummary)
    case failed(any Error)
  }

  public let codec: Codec
  public let pieceSize: Int
  let consumer: Consumer
  /// One thread, so the decoder's state stays on the thread that made it.
  let pool: WorkerPool<Request, Reply>
  var phase = Phase.open
  var busy = false
  var bytesIn: Int64 = 0
  var bytesOut: Int64 = 0
  var largestPiece = 0

  public init(codec: Codec = .bzip2(level: 9), pieceSize: Int = 1 << 20, consumer: @escaping Consumer)
    throws(CompressionError)
  {
    try codec.validate()
    guard (1...(1 << 30)).contains(pieceSize) else {
      throw CompressionError(.invalidArgument, "piece size \(pieceSize) is outside 1 byte...1 GiB")
    }
    self.codec = codec
    self.pieceSize = pieceSize
    self.consumer = consumer
    pool = WorkerPool(name: "dr-decompress", maxThreads: 1) {
      let decoder = codec.makeStreamDecoder(outputPieceSize: pieceSize)
      return { request, stop in
        try stop.check()
        switch request {
        case .step(let bytes, let start):
          return .step(try bytes.withUnsafeBytes { try decoder.step(UnsafeRawBufferPointer(rebasing: $0[start...])) })
        case .finish:
          return .finished(streams: try decoder.finish())
        }
      }
    }
  }

  deinit { pool.shutdown(cancelling: true) }

  public nonisolated var runningThreads: Int { pool.liveThreads }

  /// Decodes `bytes` and hands the output on before returning.
  public func write(_ bytes: [UInt8]) async throws {
    try enter()
    defer { busy = false }
    try await failing {
      var start = 0
      while true {
        try Task.checkCancellation()
        let step = try await decode(bytes, from: start)
        start += step.consumed
        if !step.output.isEmpty {
          bytesOut += Int64(step.output.count)
          largestPiece = max(largestPiece, step.output.count)
          try await consumer(step.output)
        }
        if start == bytes.count, step.needsInput { break }
      }
      bytesIn += Int64(bytes.count)
    }
  }

  /// Checks that the input ended after a complete stream and stops the thread.
  public func finish() async throws -> DecompressionSummary {
    if case .finished(let summary) = phase { return summary }
    try enter()
    defer { busy = false }
    return try await failing {
      guard case .finished(let streams) = try await pool.submit(.finish).value() else {
        preconditionFailure("a finish request answered with a step")
      }
      pool.shutdown(cancelling: false)
      await pool.waitUntilStopped()
      let summary = DecompressionSummary(
        streams: streams, bytesIn: bytesIn, bytesOut: bytesOut, peakBufferedBytes: largestPiece,
        memoryBound: pieceSize)
      phase = .finished(summary)
      return summary
    }
  }

  public func abort() async {
    await fail(CancellationError())
  }

  private func enter() throws {
    switch phase {
    case .open: break
    case .finished: throw CompressionError(.misuse, "the decompressor has finished")
    case .failed(let error): throw error
    }
    guard !busy else { throw CompressionError(.misuse, "write and finish calls overlap") }
    busy = true
  }

  private func decode(_ bytes: [UInt8], from start: Int) async throws -> DecodeStep {
    guard case .step(let step) = try await pool.submit(.step(bytes, from: start)).value() else {
      preconditionFailure("a step request answered with the end")
    }
    return step
  }

  private func failing<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch {
      await fail(error)
      throw error
    }
  }

  private func fail(_ error: any Error) async {
    if case .open = phase { phase = .failed(error) }
    pool.shutdown(cancelling: true)
    await pool.waitUntilStopped()
  }
}
