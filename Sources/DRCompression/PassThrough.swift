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

/// Any input is a valid `none` file, so there is nothing to check at the end.
final class PassThroughStreamDecoder: StreamDecoder {
  let pieceSize: Int

  init(outputPieceSize: Int) { pieceSize = max(1, outputPieceSize) }

  func step(_ input: UnsafeRawBufferPointer) throws -> DecodeStep {
    let count = min(input.count, pieceSize)
    return DecodeStep(consumed: count, output: Array(input[..<count]), needsInput: count == input.count)
  }

  func finish() throws -> Int { 1 }
}
