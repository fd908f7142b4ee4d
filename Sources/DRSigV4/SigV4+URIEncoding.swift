extension SigV4 {
  /// Percent-encodes `string` the way SigV4 wants it: every UTF-8 byte except the RFC 3986 unreserved
  /// characters `A-Z a-z 0-9 - . _ ~` becomes `%XX` (uppercase hex); a space is `%20`, never `+`.
  ///
  /// With `encodeSlash: false`, `/` is kept: use that for paths, e.g. an S3 object key, and send the
  /// result on the wire so that the request line and the canonical URI agree.
  /// Query names and values use `encodeSlash: true`.
  public static func uriEncode(_ string: String, encodeSlash: Bool) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(string.utf8.count)
    for byte in string.utf8 {
      if isUnreserved(byte) || (byte == slash && !encodeSlash) {
        out.append(byte)
      } else {
        out.append(percent)
        out.append(upperHexDigits[Int(byte >> 4)])
        out.append(upperHexDigits[Int(byte & 0x0f)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes `%XX` escapes; `+` stays `+`. Returns `string` unchanged when an escape is malformed or
  /// the decoded bytes are not UTF-8, so nothing is silently lost.
  static func uriDecode(_ string: String) -> String {
    let bytes = Array(string.utf8)
    guard bytes.contains(percent) else { return string }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      guard bytes[index] == percent else {
        out.append(bytes[index])
        index += 1
        continue
      }
      guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
      else { return string }
      out.append(high << 4 | low)
      index += 3
    }
    return String(validating: out, as: UTF8.self) ?? string
  }

  /// Whether `path` is already in the form ``uriEncode(_:encodeSlash:)`` produces (with `/` kept):
  /// only unreserved characters, `/` and well-formed `%XX` escapes.
  static func isEncodedPath(_ path: String) -> Bool {
    let bytes = Array(path.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == percent {
        guard index + 2 < bytes.count, hexValue(bytes[index + 1]) != nil, hexValue(bytes[index + 2]) != nil
        else { return false }
        index += 3
      } else {
        guard isUnreserved(byte) || byte == slash else { return false }
        index += 1
      }
    }
    return true
  }

  private static let slash = UInt8(ascii: "/")
  private static let percent = UInt8(ascii: "%")
  private static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"):
      return true
    default:
      return false
    }
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    default: return nil
    }
  }
}
