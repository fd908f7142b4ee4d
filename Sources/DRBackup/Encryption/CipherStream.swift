import DRCompression
import DRCore
import DRCrypto
import Foundation

/// Encrypts (`.seal`) or decrypts (`.open`) a stream in `SegmentCipher` segments, batches
/// of them on `threads` threads of its own, `threads` batches at a time, and hands the
/// results to `consumer` in order. A stage of its own after the compressor (and before
/// the decompressor): segments have a fixed size whatever the codec's stream lengths.
///
/// The last batch is held back until `finish`, since only then is it known to hold the
/// final segment. Opening hands on plaintext only once every tag of its batch matched: no
/// unauthenticated byte reaches the consumer.
///
/// Memory: at most `memoryBound` bytes, the batch being filled plus `threads` batches in
/// flight (their input and output) plus the one the consumer is handling.
///
/// A failure (a tag that does not match, the consumer's) or the cancellation of the
/// calling task is thrown from this and every later call, once no thread of the stream
/// runs. Calls must not overlap: one producer feeds one stream. The ordering,
/// back-pressure and failure handling are `OrderedParallelStage`'s; what is left here is
/// the batching into whole segments and the hold-back of the final one.
public actor CipherStream {
  public enum Direction: Sendable { case seal, open }
  public typealias Consumer = @Sendable ([UInt8]) async throws -> Void

  /// What a finished stream read and wrote.
  public struct Summary: Sendable, Equatable {
    public let segments: UInt64
    public let bytesIn: Int64
    public let bytesOut: Int64
  }

  /// One batch of whole segments on its way to a thread.
  struct Batch: Sendable {
    let bytes: [UInt8]
    let firstIndex: UInt64
    let final: Bool
  }

  typealias Stage = OrderedParallelStage<Batch, [UInt8], Summary>

  public let cipher: SegmentCipher
  public let direction: Direction
  public let threads: Int
  /// Input bytes per batch: whole segments, about 1 MiB or one segment.
  public let batchSize: Int
  public nonisolated let memoryBound: Int
  nonisolated let gauge: ThreadGauge

  let consumer: Consumer
  let stage: Stage
  /// The batch being filled; sent only once more bytes follow it, or at `finish`.
  var fill: [UInt8] = []
  var nextIndex: UInt64 = 0
  var bytesIn: Int64 = 0
  var bytesOut: Int64 = 0

  public init(cipher: SegmentCipher, direction: Direction, threads: Int? = nil, consumer: @escaping Consumer) {
    self.cipher = cipher
    self.direction = direction
    let threads = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, 64))
    self.threads = threads
    self.consumer = consumer
    let unit = direction == .seal ? cipher.segmentSize : cipher.storedSegmentSize
    batchSize = unit * max(1, (1 << 20) / unit)
    let batchOut = batchSize + batchSize / cipher.segmentSize * SegmentCipher.tagSize + SegmentCipher.tagSize
    memoryBound = batchSize + threads * (batchSize + batchOut) + batchOut
    stage = Stage(
      threadName: "dr-cipher", threads: threads, inFlight: threads,
      misuse: { BackupError(.invalid, "the \(direction) stream \($0)") }
    ) {
      { batch, _ in try Self.run(batch, cipher, direction) }
    }
    gauge = stage.gauge
  }

  /// Threads of this stream that are running now; 0 after `finish` or a failure.
  public nonisolated var runningThreads: Int { gauge.running }

  /// Appends bytes; waits while `threads` batches are in flight.
  public func write(_ bytes: [UInt8]) async throws {
    try await stage.run(cleanUp: dropFill) {
      var rest = bytes[...]
      while !rest.isEmpty {
        // A full batch is sent only once more bytes follow it: the last one is final.
        if fill.count == batchSize { try await submit(final: false) }
        let taken = rest.prefix(batchSize - fill.count)
        if fill.isEmpty { fill.reserveCapacity(batchSize) }
        fill.append(contentsOf: taken)
        rest = rest.dropFirst(taken.count)
      }
      bytesIn += Int64(bytes.count)
    }
  }

  /// Seals or opens what is left as the final segment and hands everything on.
  public func finish() async throws -> Summary {
    try await stage.finish(cleanUp: dropFill, deliver: deliver) {
      try await submit(final: true)
    } summary: {
      Summary(segments: nextIndex, bytesIn: bytesIn, bytesOut: bytesOut)
    }
  }

  /// Drops everything; returns once no thread of this stream runs.
  public func abort() async {
    await stage.abort(cleanUp: dropFill)
  }
}
