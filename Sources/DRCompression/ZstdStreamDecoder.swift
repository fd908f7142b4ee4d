import CDRZstd
import DRCore

/// Decodes concatenated zstd frames as stock `zstd -d` does: any number of frames, with
/// or without content sizes and checksums (checked when present), skippable frames
/// skipped. libzstd keeps the window a frame asks for, up to its default limit of
/// 128 MiB (8 MiB for stock `zstd -19`; 4 MiB at most for dr's frames); a frame asking
/// for more is refused as corrupt.
final class ZstdStreamDecoder: StreamDecoder {
  static let slice = 1 << 20

  private var context: ZstdDecompressContext?
  private var held = HeldInput()
  /// The last call's result: 0 when the last frame was decoded and flushed entirely.
  private var lastResult = 0
  /// The last call filled the output: libzstd may hold more to flush.
  private var flushPending = false
  private var frames = 0
  private var bytesIn: Int64 = 0

  func decode(_ input: AccountedBytes?, limit: Int, stop: StopFlag) throws -> (bytes: [UInt8], more: Bool) {
    held.append(input)
    let context = try self.context ?? ZstdDecompressContext()
    self.context = context
    var more = false
    let output = try [UInt8](unsafeUninitializedCapacity: limit) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      initialized = 0
      while !held.isEmpty || flushPending {
        guard initialized < raw.count else {
          more = true
          return
        }
        try stop.check()
        initialized += try step(context, into: UnsafeMutableRawBufferPointer(rebasing: raw[initialized...]))
      }
    }
    return (output, more)
  }

  func end() throws -> Int {
    guard frames > 0 || lastResult != 0 else {
      throw CompressionError(.truncated, "the input holds no zstd frame")
    }
    guard lastResult == 0 else {
      throw CompressionError(.truncated, "the input ends inside frame \(frames + 1), after \(bytesIn) bytes")
    }
    return frames
  }

  /// One `ZSTD_decompressStream` call on the oldest input held; returns the bytes written.
  private func step(_ context: ZstdDecompressContext, into output: UnsafeMutableRawBufferPointer) throws -> Int {
    var progress = ZstdProgress(result: 0, consumed: 0, produced: 0)
    let flushOnly = held.isEmpty
    if flushOnly {
      progress = context.decompressStream(UnsafeRawBufferPointer(start: nil, count: 0), into: output)
    } else {
      held.use(upTo: Self.slice) { input in
        progress = context.decompressStream(input, into: output)
        return ZstdCodes.error(progress.result) == nil ? progress.consumed : 0
      }
    }
    if let code = ZstdCodes.error(progress.result) { throw failure(progress.result, code) }
    bytesIn += Int64(progress.consumed)
    lastResult = progress.result
    if progress.result == 0 { frames += 1 }
    flushPending = progress.result != 0 && progress.produced == output.count
    // With no input, nothing written means nothing was left to flush: libzstd waits for input.
    guard progress.consumed > 0 || progress.produced > 0 || progress.result == 0 || flushOnly else {
      throw CompressionError(.library(code: 0), "ZSTD_decompressStream made no progress")
    }
    return progress.produced
  }

  /// What a libzstd error means here: bytes after the last whole frame that do not start
  /// another one are trailing garbage.
  private func failure(_ result: Int, _ code: ZSTD_ErrorCode) -> CompressionError {
    if code == ZSTD_error_prefix_unknown, frames > 0, lastResult == 0 {
      return CompressionError(.trailingGarbage, "\(held.count) bytes after frame \(frames) are not a zstd frame")
    }
    let error = ZstdCodes.decodingError(result, code, inputSize: Int(bytesIn))
    return CompressionError(error.code, "frame \(frames + 1), after \(bytesIn) input bytes: \(error.message)")
  }
}

/// The `none` codec without boundaries: bytes as they are, in pieces of at most `limit`.
final class PassThroughStreamDecoder: StreamDecoder {
  private var held = HeldInput()

  func decode(_ input: AccountedBytes?, limit: Int, stop: StopFlag) throws -> (bytes: [UInt8], more: Bool) {
    try stop.check()
    held.append(input)
    var bytes: [UInt8] = []
    while !held.isEmpty, bytes.count < limit {
      held.use(upTo: limit - bytes.count) { input in
        bytes.append(contentsOf: input)
        return input.count
      }
    }
    return (bytes, !held.isEmpty)
  }

  func end() throws -> Int { 1 }
}
