import DRCore

/// Encodes one chunk into one complete, independent stream of its codec.
///
/// One encoder belongs to one thread and is reused for the chunks that thread encodes;
/// it may keep scratch memory between calls. Long work checks `stop` now and then and
/// throws `CancellationError` once it is set.
protocol ChunkEncoder: AnyObject {
  func encode(_ input: UnsafeRawBufferPointer, stop: StopFlag) throws -> [UInt8]
}

/// Decodes one complete, independent stream that fills `input` exactly and must decode
/// to exactly `expectedSize` bytes; anything else is a `CompressionError`.
protocol ChunkDecoder: AnyObject {
  func decode(_ input: UnsafeRawBufferPointer, expectedSize: Int, stop: StopFlag) throws -> [UInt8]
}

/// What one step of a `StreamDecoder` did.
struct DecodeStep: Sendable {
  /// Input bytes used; the rest must be offered again.
  var consumed: Int
  /// Decoded bytes, at most the decoder's piece size.
  var output: [UInt8]
  /// True when the decoder needs more input to go on (it has no output held back).
  var needsInput: Bool
}

/// Decodes a whole file (one stream or many concatenated) without knowing where its
/// streams begin, in bounded steps.
protocol StreamDecoder: AnyObject {
  /// Decodes from `input` until a piece of output is full or the input is used up.
  func step(_ input: UnsafeRawBufferPointer) throws -> DecodeStep
  /// Checks that the input ended where a stream ended; returns the number of streams.
  func finish() throws -> Int
}
