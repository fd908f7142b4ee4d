/// Decodes any `.bz2` file, one stream or many concatenated (as `bzip2`, `lbzip2` and
/// `ParallelCompressor` write them), without knowing where streams begin.
///
/// Bytes after a stream must start another stream: anything else is trailing garbage,
/// which is refused (stock `bzip2` only warns). An input that ends inside a stream, or
/// holds no stream at all, is refused too.
final class BZip2StreamDecoder: StreamDecoder {
  private let pieceSize: Int
  private var scratch: [UInt8]
  /// The stream being decoded; nil between streams.
  private var handle: BZ2DecompressHandle?
  private var streams = 0
  /// Compressed bytes consumed so far, for messages.
  private var position: Int64 = 0

  init(outputPieceSize: Int) {
    pieceSize = max(1, outputPieceSize)
    scratch = [UInt8](repeating: 0, count: pieceSize)
  }

  func step(_ input: UnsafeRawBufferPointer) throws -> DecodeStep {
    var consumed = 0
    var produced = 0
    var needsInput = false
    try scratch.withUnsafeMutableBytes { output in
      while produced < pieceSize, !needsInput {
        if handle == nil {
          // Between streams with nothing left to read: whatever comes next decides.
          if consumed == input.count {
            needsInput = true
            break
          }
          handle = try BZ2DecompressHandle()
        }
        let step = handle!.decompress(
          UnsafeRawBufferPointer(rebasing: input[consumed...]),
          into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
        consumed += step.consumed
        produced += step.produced
        if try ended(step.code, at: position + Int64(consumed)) {
          streams += 1
          handle = nil
        } else if consumed == input.count, produced < pieceSize {
          needsInput = true
        }
      }
    }
    position += Int64(consumed)
    return DecodeStep(consumed: consumed, output: Array(scratch[..<produced]), needsInput: needsInput)
  }

  func finish() throws -> Int {
    if handle != nil {
      throw CompressionError(.truncated, "the input ends inside stream \(streams + 1), after \(position) bytes")
    }
    if streams == 0 { throw CompressionError(.notCompressed, "the input is empty") }
    return streams
  }

  private func ended(_ code: Int32, at offset: Int64) throws(CompressionError) -> Bool {
    do {
      return try BZip2Codes.check(code, streamsBefore: streams)
    } catch {
      throw CompressionError(error.kind, "\(error.message) (near compressed byte \(offset))")
    }
  }
}
