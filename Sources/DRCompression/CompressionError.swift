import DRCore

/// Compression and decompression failures: damaged input, a library failure, or a
/// misuse of the API. Cancellation is reported as `CancellationError`, not as this.
public typealias CompressionError = ModuleError<CompressionErrorCode>

public enum CompressionErrorCode: ErrorCode {
  /// The input does not start like a file of the codec.
  case notCompressed
  /// Bad data or a checksum mismatch inside a stream.
  case corrupt
  /// The input ended inside a stream.
  case truncated
  /// Bytes after the last stream that do not start another one.
  case trailingGarbage
  /// A stream decoded to another size, or ended elsewhere, than its boundary says.
  case boundaryMismatch
  /// The codec library failed (out of memory, a bad parameter).
  case library(code: Int32)
  /// A setting outside its range, or boundaries that do not tile the input.
  case invalidArgument
  /// Calls in the wrong order: a write after finish, overlapping writes.
  case misuse
  /// An encoder program (lbzip2) failed: its exit status, its output or its start.
  case encoderProgram

  public var category: FailureCategory { self == .encoderProgram ? .other : .corrupt }

  public func describe(_ message: String) -> String {
    switch self {
    case .notCompressed: "not a compressed file: \(message)"
    case .corrupt: "corrupt compressed data: \(message)"
    case .truncated: "compressed data ends too early: \(message)"
    case .trailingGarbage: "garbage after the compressed data: \(message)"
    case .boundaryMismatch: "stream does not match its recorded boundary: \(message)"
    case .library(let code): "compression library failed (code \(code)): \(message)"
    case .invalidArgument: "invalid compression setting: \(message)"
    case .misuse: "compression API misuse: \(message)"
    case .encoderProgram: "the compression program failed: \(message)"
    }
  }
}
