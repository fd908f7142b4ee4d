import CDRZstd
import DRCore

/// Compresses each chunk into one complete zstd frame, with the chunk's size in the frame
/// header and a checksum after it, so frames concatenate into a valid `.zst` file.
final class ZstdChunkEncoder: ChunkEncoder {
  /// Input is offered in slices this large, so `stop` is checked often even at level 19.
  static let slice = 256 << 10

  let level: Int
  /// Made by the first chunk and kept: a context's tables are reused from frame to frame.
  private var context: ZstdCompressContext?
  private var scratch: EncoderScratch

  init(level: Int, chunkSize: Int) {
    self.level = level
    scratch = EncoderScratch(codec: .zstd(level: level), chunkSize: chunkSize)
  }

  func encode(_ input: UnsafeRawBufferPointer, stop: StopFlag) throws -> [UInt8] {
    let context = try self.context ?? ZstdCompressContext(level: level)
    self.context = context
    try context.begin(size: input.count)
    return try scratch.fill(encoding: input.count) { output in try run(context, input, output, stop) }
  }

  /// Feeds the input slice by slice, the last one with `ZSTD_e_end`, until the frame is
  /// written out. The output has room for the worst case, so every call makes progress.
  private func run(
    _ context: ZstdCompressContext, _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
    _ stop: StopFlag
  ) throws -> Int {
    var consumed = 0
    var produced = 0
    repeat {
      try stop.check()
      let end = min(consumed + Self.slice, input.count)
      let last = end == input.count
      while true {
        let step = context.compress(
          UnsafeRawBufferPointer(rebasing: input[consumed..<end]),
          into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]), last ? ZSTD_e_end : ZSTD_e_continue)
        try ZstdCodes.check(step.result, "ZSTD_compressStream2")
        consumed += step.consumed
        produced += step.produced
        if last ? step.result == 0 : consumed == end { break }
        guard step.consumed > 0 || step.produced > 0 else {
          throw CompressionError(.library(code: 0), "ZSTD_compressStream2 made no progress")
        }
      }
    } while consumed < input.count
    return produced
  }
}

/// Decompresses one frame that must fill its input exactly and decode to a known size.
/// Frames without a content size in their header (stock `zstd` reading a pipe) are
/// decoded too; one that would decode past `expectedSize` is refused.
final class ZstdChunkDecoder: ChunkDecoder {
  private var context: ZstdDecompressContext?

  func decode(_ input: UnsafeRawBufferPointer, expectedSize: Int, stop: StopFlag) throws -> [UInt8] {
    try stop.check()
    let frame = ZSTD_findFrameCompressedSize(input.baseAddress, input.count)
    if let code = ZstdCodes.error(frame) { throw ZstdCodes.decodingError(frame, code, inputSize: input.count) }
    guard frame == input.count else {
      throw CompressionError(.boundaryMismatch, "the frame ends \(input.count - frame) bytes before its boundary")
    }
    let content = ZSTD_getFrameContentSize(input.baseAddress, input.count)
    if content != cdr_zstd_contentsize_unknown(), content != UInt64(expectedSize) {
      throw CompressionError(.boundaryMismatch, "the frame holds \(content) bytes, not \(expectedSize)")
    }
    let context = try self.context ?? ZstdDecompressContext()
    self.context = context
    let output = try [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, initialized in
      let result = context.decompress(input, into: UnsafeMutableRawBufferPointer(buffer))
      if let code = ZstdCodes.error(result) {
        guard code != ZSTD_error_dstSize_tooSmall else {
          throw CompressionError(.boundaryMismatch, "the frame decodes to more than \(expectedSize) bytes")
        }
        throw ZstdCodes.decodingError(result, code, inputSize: input.count)
      }
      initialized = result
    }
    guard output.count == expectedSize else {
      throw CompressionError(.boundaryMismatch, "the frame decodes to \(output.count) bytes, not \(expectedSize)")
    }
    return output
  }
}
