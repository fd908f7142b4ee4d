/// Builds the small XML documents S3 requests carry (CompleteMultipartUpload, Delete).
enum XMLWriter {
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\r": out += "&#13;"
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0 text
        // even as references; S3 keys with them are refused earlier.
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func element(_ name: String, _ text: String) -> String {
    "<\(name)>\(escape(text))</\(name)>"
  }
}
