extension String {
  /// This text with control characters (C0 but newline and tab, DEL, C1) written as
  /// `\u{1B}`-style escapes. Names, keys and messages that come from the bucket, which
  /// anyone with write access to it controls, must not move a terminal's cursor, clear its
  /// screen or rewrite what dr printed before them.
  public var escapingControlCharacters: String {
    guard unicodeScalars.contains(where: Self.isControl) else { return self }
    var result = ""
    for scalar in unicodeScalars {
      if Self.isControl(scalar) {
        result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: false
    case 0x00...0x1F, 0x7F...0x9F: true
    default: false
    }
  }
}
