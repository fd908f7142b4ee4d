import CDRZstd
import DRCore

/// libzstd's size_t results as errors: a size, or an error code named by the damage it
/// shows.
enum ZstdCodes {
  /// The error code behind `result`, nil when it is a size or a hint.
  static func error(_ result: Int) -> ZSTD_ErrorCode? {
    let code = cdr_zstd_error_code(result)
    return code == ZSTD_error_no_error ? nil : code
  }

  /// Throws a library error for a call that fails only on misuse or lack of memory.
  static func check(_ result: Int, _ call: String) throws(CompressionError) {
    guard let code = error(result) else { return }
    throw CompressionError(.library(code: Int32(code.rawValue)), "\(call): \(name(result))")
  }

  /// A decoding failure as the damage it shows: not zstd, cut short, or corrupt (bad
  /// block data, or a checksum that does not match).
  static func decodingError(_ result: Int, _ code: ZSTD_ErrorCode, inputSize: Int) -> CompressionError {
    switch code {
    case ZSTD_error_prefix_unknown:
      CompressionError(.notCompressed, "no zstd frame magic (28 b5 2f fd)")
    case ZSTD_error_srcSize_wrong:
      CompressionError(.truncated, "the frame needs more than its \(inputSize) bytes")
    case ZSTD_error_checksum_wrong:
      CompressionError(.corrupt, "the frame's checksum does not match its content")
    case ZSTD_error_corruption_detected, ZSTD_error_literals_headerWrong, ZSTD_error_version_unsupported,
      ZSTD_error_frameParameter_unsupported, ZSTD_error_frameParameter_windowTooLarge,
      ZSTD_error_dictionary_wrong, ZSTD_error_dictionary_corrupted, ZSTD_error_tableLog_tooLarge,
      ZSTD_error_maxSymbolValue_tooLarge, ZSTD_error_maxSymbolValue_tooSmall:
      CompressionError(.corrupt, name(result))
    default:
      CompressionError(.library(code: Int32(code.rawValue)), "ZSTD_decompress: \(name(result))")
    }
  }

  static func name(_ result: Int) -> String {
    String(cString: ZSTD_getErrorName(result))
  }
}
