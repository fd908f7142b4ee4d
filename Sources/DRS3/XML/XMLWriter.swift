import DRCore

/// Builds the small XML documents S3 requests carry (CompleteMultipartUpload, Delete).
enum XMLWriter {
  /// Control characters other than tab and newline are not allowed in XML 1.0 text even as
  /// references, and are kept as they are; S3 keys with them are refused earlier.
  static func escape(_ text: String) -> String {
    text.escaped(escapes)
  }

  static let escapes = TextEscaping.markup(apostrophe: "&apos;").merging(["\r": "&#13;"]) { $1 }

  static func element(_ name: String, _ text: String) -> String {
    "<\(name)>\(escape(text))</\(name)>"
  }
}
