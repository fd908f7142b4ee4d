import CDRBZip2
import DRCore

/// Compresses each chunk into one complete bzip2 stream (`BZh` header to end-of-stream
/// marker and combined CRC), so streams concatenate into a valid `.bz2` file.
final class BZip2ChunkEncoder: ChunkEncoder {
  /// Input is offered in slices this large, so `stop` is checked about once per block.
  static let slice = 256 << 10

  let level: Int
  private var scratch: EncoderScratch

  init(level: Int, chunkSize: Int) {
    self.level = level
    scratch = EncoderScratch(codec: .bzip2(level: level), chunkSize: chunkSize)
  }

  func encode(_ input: UnsafeRawBufferPointer, stop: StopFlag) throws -> [UInt8] {
    let handle = try BZ2CompressHandle(level: level)
    return try scratch.fill(encoding: input.count) { output in try run(handle, input, output, stop) }
  }

  private func run(
    _ handle: BZ2CompressHandle, _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
    _ stop: StopFlag
  ) throws -> Int {
    var consumed = 0
    var produced = 0
    while consumed < input.count {
      try stop.check()
      let end = min(consumed + Self.slice, input.count)
      let step = handle.compress(
        UnsafeRawBufferPointer(rebasing: input[consumed..<end]),
        into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]), action: BZ_RUN)
      guard step.code == BZ_RUN_OK, step.consumed == end - consumed else {
        throw CompressionError(.library(code: step.code), "BZ2_bzCompress(BZ_RUN)")
      }
      consumed = end
      produced += step.produced
    }
    let step = handle.compress(
      UnsafeRawBufferPointer(start: nil, count: 0), into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]),
      action: BZ_FINISH)
    // The output has room for the documented worst case, so one call always ends the stream.
    guard step.code == BZ_STREAM_END else {
      throw CompressionError(.library(code: step.code), "BZ2_bzCompress(BZ_FINISH)")
    }
    return produced + step.produced
  }
}

/// Decompresses one stream that must fill its input exactly and decode to a known size.
final class BZip2ChunkDecoder: ChunkDecoder {
  static let slice = 64 << 10
  /// How far past the expected size decoding goes on to tell corrupt data (a CRC error
  /// follows) from a wrong boundary: one block can expand to about 46 MB.
  static let overrun = 64 << 20

  func decode(_ input: UnsafeRawBufferPointer, expectedSize: Int, stop: StopFlag) throws -> [UInt8] {
    let handle = try BZ2DecompressHandle()
    var consumed = 0
    var ended = false
    let output = try [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, initialized in
      (initialized, ended) = try run(handle, input, &consumed, into: UnsafeMutableRawBufferPointer(buffer), stop)
    }
    if output.count < expectedSize, ended {
      throw CompressionError(.boundaryMismatch, "the stream decodes to \(output.count) bytes, not \(expectedSize)")
    }
    if !ended { try overrun(handle, input, &consumed, expectedSize, stop) }
    guard consumed == input.count else {
      throw CompressionError(.boundaryMismatch, "the stream ends \(input.count - consumed) bytes before its boundary")
    }
    return output
  }

  /// Decodes into `target` until it is full or the stream ends.
  private func run(
    _ handle: BZ2DecompressHandle, _ input: UnsafeRawBufferPointer, _ consumed: inout Int,
    into target: UnsafeMutableRawBufferPointer, _ stop: StopFlag
  ) throws -> (produced: Int, ended: Bool) {
    var produced = 0
    while produced < target.count {
      try stop.check()
      let end = min(consumed + Self.slice, input.count)
      let step = handle.decompress(
        UnsafeRawBufferPointer(rebasing: input[consumed..<end]),
        into: UnsafeMutableRawBufferPointer(rebasing: target[produced...]))
      consumed += step.consumed
      produced += step.produced
      if try BZip2Codes.check(step.code) { return (produced, true) }
      if consumed == input.count, step.consumed == 0, step.produced == 0 {
        throw CompressionError(.truncated, "the stream needs more than its \(input.count) bytes")
      }
    }
    return (produced, false)
  }

  /// The output is full and the stream has not ended: decodes on into a throwaway buffer,
  /// so corrupt data shows as such and a stream that ends now is accepted.
  private func overrun(
    _ handle: BZ2DecompressHandle, _ input: UnsafeRawBufferPointer, _ consumed: inout Int, _ expectedSize: Int,
    _ stop: StopFlag
  ) throws {
    var discard = [UInt8](repeating: 0, count: Self.slice)
    var extra = 0
    while extra <= Self.overrun {
      let (produced, ended) = try discard.withUnsafeMutableBytes { try run(handle, input, &consumed, into: $0, stop) }
      extra += produced
      guard !ended else {
        if extra == 0 { return }
        throw CompressionError(
          .boundaryMismatch, "the stream decodes to \(expectedSize + extra) bytes, not \(expectedSize)")
      }
    }
    throw CompressionError(.boundaryMismatch, "the stream decodes to more than \(expectedSize + extra) bytes")
  }
}

/// libbz2's decompression return codes as errors.
enum BZip2Codes {
  /// True at the end of a stream, false when the decoder wants to go on; throws on errors.
  static func check(_ code: Int32) throws(CompressionError) -> Bool {
    switch code {
    case BZ_STREAM_END: return true
    case BZ_OK: return false
    case BZ_DATA_ERROR_MAGIC:
      throw CompressionError(.notCompressed, "no bzip2 signature (BZh1-9)")
    case BZ_DATA_ERROR:
      throw CompressionError(.corrupt, "bad block data or CRC")
    default:
      throw CompressionError(.library(code: code), "BZ2_bzDecompress")
    }
  }
}
