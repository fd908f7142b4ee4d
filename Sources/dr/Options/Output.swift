import DRCore
import Foundation
import Synchronization

/// Writes a command's result on standard output: JSON when asked, text otherwise.
///
/// A JSON result is held until the command ends (`Entry` prints it), so that a command
/// that fails after having its result — failed checks, a prune that kept unknowns — prints
/// one object that also says `outcome` and `error` (`Failure`).
enum Output {
  private static let result = Mutex<String?>(nil)

  static func json<Value: Encodable>(_ value: Value) throws {
    let data = try CommandJSON.encoder.encode(value)
    let text = String(decoding: data, as: UTF8.self).redacted
    let earlier = result.withLock { held in
      defer { held = text }
      return held
    }
    // A second result (none of dr's commands has one) goes out in order, not lost.
    if let earlier { print(earlier) }
  }

  /// The held JSON result, taken (printed by nobody else).
  static func takeResult() -> String? {
    result.withLock { held in
      defer { held = nil }
      return held
    }
  }

  /// Prints the held JSON result, if any.
  static func flush() {
    if let text = takeResult() { print(text) }
  }

  /// A command whose result is a sentence: the line, or with `--json`
  /// `{"outcome": "succeeded", "message": …}`.
  static func done(_ text: String, json: Bool) throws {
    guard json else { return line(text) }
    try Output.json(["outcome": "succeeded", "message": text.escapingControlCharacters])
  }

  /// A JSON result printed as it is, not redacted: a presigned URL, whose signature is
  /// the point of it (its text form is not redacted either).
  static func unredactedJSON<Value: Encodable>(_ value: Value) throws {
    let data = try CommandJSON.encoder.encode(value)
    print(String(decoding: data, as: UTF8.self))
  }

  /// One line for people: redacted, and with control characters escaped (it may carry
  /// names read from the bucket).
  static func line(_ text: String) {
    print(text.redacted.escapingControlCharacters)
  }
}
