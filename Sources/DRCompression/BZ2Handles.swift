import CDRBZip2
import DRCore

/// What one libbz2 call did: its return code and how far it moved in each buffer.
struct BZ2Progress {
  var code: Int32
  var consumed: Int
  var produced: Int
}

/// One libbz2 compression stream. The `bz_stream` lives at a fixed address (libbz2 keeps
/// a pointer back to it) and is ended and freed in `deinit`. Used by one thread at a time.
final class BZ2CompressHandle {
  private let stream: UnsafeMutablePointer<bz_stream>

  init(level: Int) throws(CompressionError) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: bz_stream())
    // workFactor 0 is libbz2's default (30); verbosity 0.
    let code = BZ2_bzCompressInit(stream, Int32(level), 0, 0)
    guard code == BZ_OK else { throw CompressionError(.library(code: code), "BZ2_bzCompressInit(level \(level))") }
  }

  deinit {
    // Safe on a stream whose init failed: libbz2 sets `state` only on success.
    BZ2_bzCompressEnd(stream)
    stream.deallocate()
  }

  /// One `BZ2_bzCompress` call with `action` (BZ_RUN or BZ_FINISH).
  func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, action: Int32)
    -> BZ2Progress
  {
    stream.pointee.attach(input, output)
    let code = BZ2_bzCompress(stream, action)
    return stream.pointee.progress(code, input, output)
  }
}

/// One libbz2 decompression stream, owned and freed like `BZ2CompressHandle`. A handle
/// decodes one stream; a new stream needs a new handle.
final class BZ2DecompressHandle {
  private let stream: UnsafeMutablePointer<bz_stream>

  init() throws(CompressionError) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: bz_stream())
    let code = BZ2_bzDecompressInit(stream, 0, 0)
    guard code == BZ_OK else { throw CompressionError(.library(code: code), "BZ2_bzDecompressInit") }
  }

  deinit {
    BZ2_bzDecompressEnd(stream)
    stream.deallocate()
  }

  /// One `BZ2_bzDecompress` call.
  func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> BZ2Progress {
    stream.pointee.attach(input, output)
    let code = BZ2_bzDecompress(stream)
    return stream.pointee.progress(code, input, output)
  }
}

extension bz_stream {
  /// Points the stream at the buffers. libbz2 never writes through `next_in`.
  fileprivate mutating func attach(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) {
    precondition(input.count <= UInt32.max && output.count <= UInt32.max, "libbz2 buffers are limited to 4 GiB")
    next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
    avail_in = UInt32(input.count)
    next_out = output.baseAddress?.assumingMemoryBound(to: CChar.self)
    avail_out = UInt32(output.count)
  }

  fileprivate func progress(_ code: Int32, _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer)
    -> BZ2Progress
  {
    BZ2Progress(code: code, consumed: input.count - Int(avail_in), produced: output.count - Int(avail_out))
  }
}
