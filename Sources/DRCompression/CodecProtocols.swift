import DRCore

/// Encodes one chunk into one complete, independent stream of its codec.
///
/// One encoder belongs to one thread and is reused for the chunks that thread encodes;
/// it may keep scratch memory between calls. Long work checks `stop` now and then and
/// throws `CancellationError` once it is set.
protocol ChunkEncoder: AnyObject {
  func encode(_ input: UnsafeRawBufferPointer, stop: StopFlag) throws -> [UInt8]
}

/// Where an encoder's output lands first, sized for the worst case (the codec's
/// `maximumEncodedSize`), then is copied out at its size: kept by the encoder from chunk
/// to chunk, grown when a larger one comes.
struct EncoderScratch {
  let codec: Codec
  private var bytes: [UInt8]

  init(codec: Codec, chunkSize: Int) {
    self.codec = codec
    bytes = [UInt8](repeating: 0, count: codec.maximumEncodedSize(chunkSize))
  }

  /// The bytes `write` says it produced, given room for the encoding of `count` bytes.
  mutating func fill(encoding count: Int, _ write: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows
    -> [UInt8]
  {
    let capacity = codec.maximumEncodedSize(count)
    if bytes.count < capacity { bytes = [UInt8](repeating: 0, count: capacity) }
    let produced = try bytes.withUnsafeMutableBytes(write)
    return Array(bytes[..<produced])
  }
}

/// Decodes one complete, independent stream that fills `input` exactly and must decode
/// to exactly `expectedSize` bytes; anything else is a `CompressionError`.
protocol ChunkDecoder: AnyObject {
  func decode(_ input: UnsafeRawBufferPointer, expectedSize: Int, stop: StopFlag) throws -> [UInt8]
}
