import Foundation

/// Quoting for SQL text that dr builds (names and literals it cannot pass as parameters).
public enum SQL {
  /// `name` as a quoted identifier: `"Sales Q1"`, with embedded quotes doubled.
  public static func identifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// `text` as a standard string literal: `'it''s'`.
  public static func literal(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }
}
