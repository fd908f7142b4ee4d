import CDRZstd
import DRCore

/// What one libzstd streaming call did: the call's result (a hint, 0 at a frame's end, or
/// an error code) and how far it moved in each buffer.
struct ZstdProgress {
  var result: Int
  var consumed: Int
  var produced: Int
}

/// One `ZSTD_CCtx`, created in `init` and freed in `deinit`; nothing else frees it. It is
/// reused for every frame one thread compresses (its tables are kept between frames).
/// Used by one thread at a time.
final class ZstdCompressContext {
  private let context: OpaquePointer

  /// A context that writes frames at `level` with the content size in every frame header
  /// and a checksum (XXH64, its low 32 bits) after every frame.
  init(level: Int) throws(CompressionError) {
    guard let context = ZSTD_createCCtx() else {
      throw CompressionError(.library(code: Int32(ZSTD_error_memory_allocation.rawValue)), "ZSTD_createCCtx")
    }
    self.context = context
    try set(ZSTD_c_compressionLevel, Int32(level), "compression level \(level)")
    try set(ZSTD_c_checksumFlag, 1, "checksum flag")
    try set(ZSTD_c_contentSizeFlag, 1, "content size flag")
  }

  deinit { ZSTD_freeCCtx(context) }

  /// Starts a new frame of exactly `size` input bytes (written in its header); the
  /// parameters set in `init` stay.
  func begin(size: Int) throws(CompressionError) {
    try ZstdCodes.check(ZSTD_CCtx_reset(context, ZSTD_reset_session_only), "ZSTD_CCtx_reset")
    try ZstdCodes.check(ZSTD_CCtx_setPledgedSrcSize(context, UInt64(size)), "ZSTD_CCtx_setPledgedSrcSize")
  }

  /// One `ZSTD_compressStream2` call with `directive` (continue or end).
  func compress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, _ directive: ZSTD_EndDirective
  ) -> ZstdProgress {
    var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
    var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
    let result = ZSTD_compressStream2(context, &target, &source, directive)
    return ZstdProgress(result: result, consumed: source.pos, produced: target.pos)
  }

  private func set(_ parameter: ZSTD_cParameter, _ value: Int32, _ what: String) throws(CompressionError) {
    try ZstdCodes.check(ZSTD_CCtx_setParameter(context, parameter, value), "ZSTD_CCtx_setParameter(\(what))")
  }
}

/// One `ZSTD_DCtx`, owned and freed like `ZstdCompressContext`, reused for every frame
/// one thread decodes. Used by one thread at a time.
final class ZstdDecompressContext {
  private let context: OpaquePointer

  init() throws(CompressionError) {
    guard let context = ZSTD_createDCtx() else {
      throw CompressionError(.library(code: Int32(ZSTD_error_memory_allocation.rawValue)), "ZSTD_createDCtx")
    }
    self.context = context
  }

  deinit { ZSTD_freeDCtx(context) }

  /// Decodes every frame of `input` into `output` in one call; returns libzstd's result
  /// (the bytes written, or an error code).
  func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
    ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
  }

  /// One `ZSTD_decompressStream` call: 0 once a frame is decoded and flushed.
  func decompressStream(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    -> ZstdProgress
  {
    var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
    var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
    let result = ZSTD_decompressStream(context, &target, &source)
    return ZstdProgress(result: result, consumed: source.pos, produced: target.pos)
  }

  /// Forgets a frame under way, so the context can start on a new input.
  func reset() {
    ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
  }
}
