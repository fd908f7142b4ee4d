import DRCore

/// The `none` codec: chunks are copied as they are.
final class PassThroughEncoder: ChunkEncoder {
  func encode(_ input: UnsafeRawBufferPointer, stop: StopFlag) throws -> [UInt8] {
    try stop.check()
    return Array(input)
  }
}

final class PassThroughDecoder: ChunkDecoder {
  func decode(_ input: UnsafeRawBufferPointer, expectedSize: Int, stop: StopFlag) throws -> [UInt8] {
    try stop.check()
    guard input.count == expectedSize else {
      throw CompressionError(.boundaryMismatch, "a stored chunk of \(input.count) bytes should hold \(expectedSize)")
    }
    return Array(input)
  }
}
