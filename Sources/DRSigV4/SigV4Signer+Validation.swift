extension SigV4Signer {
  /// Checks what every signing mode needs: valid header names, a `Host` header, and none of `reserved`
  /// (header names compared case-insensitively; query names exactly, as AWS does).
  func validate(
    _ request: SigV4Request, reservedHeaders: Set<String>, reservedQuery: Set<String>
  ) throws(SigV4Error) {
    var hasHost = false
    for header in request.headers {
      guard Self.isToken(header.name) else { throw .invalidHeaderName(header.name) }
      let name = header.name.lowercased()
      if reservedHeaders.contains(name) { throw .reservedName(header.name) }
      if name == "host" { hasHost = true }
    }
    guard hasHost else { throw .missingHost }
    if let item = request.query.first(where: { reservedQuery.contains($0.name) }) { throw .reservedName(item.name) }
  }

  /// RFC 9110 `token`: one or more of `A-Z a-z 0-9 ! # $ % & ' * + - . ^ _ ` | ~`.
  static func isToken(_ name: String) -> Bool {
    !name.isEmpty
      && name.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
          UInt8(ascii: "0")...UInt8(ascii: "9"):
          return true
        default:
          return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
      }
  }
}
