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
