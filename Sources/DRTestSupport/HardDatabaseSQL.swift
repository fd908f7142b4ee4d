/// Quoting for SQL built by the hard-database helpers.
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
