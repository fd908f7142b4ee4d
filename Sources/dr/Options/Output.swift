import DRCore
import Foundation

/// Writes a command's result on standard output: JSON when asked, text otherwise.
enum Output {
  static func json<Value: Encodable>(_ value: Value) throws {
    let data = try CommandJSON.encoder.encode(value)
    print(String(decoding: data, as: UTF8.self).redacted)
  }

  /// One line for people: redacted, and with control characters escaped (it may carry
  /// names read from the bucket).
  static func line(_ text: String) {
    print(text.redacted.escapingControlCharacters)
  }
}
