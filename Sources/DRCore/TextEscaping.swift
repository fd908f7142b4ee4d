/// The one home of character escaping: each format (a JSON string, a postgresql.conf value,
/// XML and HTML text) is a table of the characters it replaces, and `String.escaped` walks
/// the text once, scalar by scalar.
public enum TextEscaping {
  /// The backslash escapes JSON strings and postgresql.conf values share.
  public static let backslash: [Unicode.Scalar: String] = ["\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"]

  /// The characters markup text and quoted attributes escape, with `apostrophe` for `'`
  /// (`&apos;` in XML, `&#39;` in HTML, which predates `&apos;`).
  public static func markup(apostrophe: String) -> [Unicode.Scalar: String] {
    ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": apostrophe]
  }
}

extension String {
  /// The text with every scalar found in `table` replaced by its entry, and every other
  /// scalar replaced by what `other` gives for it (kept as it is when `other` gives nil).
  public func escaped(
    _ table: [Unicode.Scalar: String], other: (Unicode.Scalar) -> String? = { _ in nil }
  ) -> String {
    var out = ""
    out.reserveCapacity(utf8.count)
    for scalar in unicodeScalars {
      if let replacement = table[scalar] ?? other(scalar) {
        out += replacement
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
