/// A small, strict XML parser for S3 responses: elements, text, the five predefined
/// entities and character references. Attributes are read and dropped (only `xmlns`
/// appears in S3's answers); declarations, comments and processing instructions are
/// skipped; DTDs are refused. Anything malformed is an error, never a guess.
public struct S3XMLParser {
  private let bytes: [UInt8]
  private var index = 0
  private var depth = 0
  private static let maxDepth = 64

  public static func parse(_ bytes: [UInt8]) throws(XMLParseError) -> XMLElement {
    var parser = S3XMLParser(bytes: bytes)
    parser.skipProlog()
    guard parser.peek == UInt8(ascii: "<") else { throw parser.fail("expected an XML element") }
    let root = try parser.element()
    parser.skipMisc()
    guard parser.index == bytes.count else { throw parser.fail("content after the root element") }
    return root
  }

  private init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

  private func fail(_ reason: String) -> XMLParseError {
    XMLParseError(reason: reason, offset: index)
  }

  private func starts(with text: String) -> Bool {
    let pattern = Array(text.utf8)
    return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
  }

  private mutating func skipWhitespace() {
    while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
  }

  /// Skips the BOM, the XML declaration, comments and processing instructions.
  private mutating func skipProlog() {
    if starts(with: "\u{FEFF}") { index += 3 }
    skipMisc()
  }

  private mutating func skipMisc() {
    while true {
      skipWhitespace()
      if starts(with: "<?") {
        skip(past: "?>")
      } else if starts(with: "<!--") {
        skip(past: "-->")
      } else {
        return
      }
    }
  }

  private mutating func skip(past terminator: String) {
    while index < bytes.count, !starts(with: terminator) { index += 1 }
    index = min(bytes.count, index + terminator.utf8.count)
  }

  private mutating func element() throws(XMLParseError) -> XMLElement {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else { throw fail("elements nested too deeply") }
    index += 1  // "<"
    if starts(with: "!") { throw fail("DTDs and declarations are not accepted") }
    let name = try self.name()
    let selfClosing = try attributes()
    var element = XMLElement(name: name)
    if selfClosing { return element }
    try content(into: &element)
    return element
  }

  private mutating func name() throws(XMLParseError) -> String {
    let start = index
    while let byte = peek, !Self.isNameEnd(byte) { index += 1 }
    guard index > start else { throw fail("expected a name") }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  private static func isNameEnd(_ byte: UInt8) -> Bool {
    [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<")].contains(byte)
  }

  /// Reads (and drops) attributes; true when the tag closes itself (`<a/>`).
  private mutating func attributes() throws(XMLParseError) -> Bool {
    while true {
      skipWhitespace()
      guard let byte = peek else { throw fail("unterminated tag") }
      if byte == UInt8(ascii: ">") {
        index += 1
        return false
      }
      if starts(with: "/>") {
        index += 2
        return true
      }
      _ = try name()
      skipWhitespace()
      guard peek == UInt8(ascii: "=") else { throw fail("expected = after an attribute name") }
      index += 1
      skipWhitespace()
      guard let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
        throw fail("expected a quoted attribute value")
      }
      index += 1
      while let next = peek, next != quote { index += 1 }
      guard peek == quote else { throw fail("unterminated attribute value") }
      index += 1
    }
  }

  private mutating func content(into element: inout XMLElement) throws(XMLParseError) {
    var text: [UInt8] = []
    while true {
      guard let byte = peek else { throw fail("<\(element.name)> is not closed") }
      if starts(with: "</") {
        index += 2
        let closing = try name()
        skipWhitespace()
        guard closing == element.name, peek == UInt8(ascii: ">") else {
          throw fail("</\(closing)> does not close <\(element.name)>")
        }
        index += 1
        element.text = String(decoding: text, as: UTF8.self)
        return
      } else if starts(with: "<!--") {
        skip(past: "-->")
      } else if starts(with: "<![CDATA[") {
        index += 9
        while index < bytes.count, !starts(with: "]]>") {
          text.append(bytes[index])
          index += 1
        }
        guard starts(with: "]]>") else { throw fail("unterminated CDATA") }
        index += 3
      } else if byte == UInt8(ascii: "<") {
        element.children.append(try self.element())
      } else if byte == UInt8(ascii: "&") {
        text += try entity()
      } else {
        text.append(byte)
        index += 1
      }
    }
  }

  private mutating func entity() throws(XMLParseError) -> [UInt8] {
    let start = index
    while let byte = peek, byte != UInt8(ascii: ";"), index - start < 12 { index += 1 }
    guard peek == UInt8(ascii: ";") else { throw fail("unterminated entity") }
    let name = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
    index += 1
    switch name {
    case "amp": return Array("&".utf8)
    case "lt": return Array("<".utf8)
    case "gt": return Array(">".utf8)
    case "quot": return Array("\"".utf8)
    case "apos": return Array("'".utf8)
    default:
      let number =
        name.hasPrefix("#x")
        ? UInt32(name.dropFirst(2), radix: 16) : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
      guard let number, let scalar = Unicode.Scalar(number) else { throw fail("unknown entity &\(name);") }
      return Array(String(Character(scalar)).utf8)
    }
  }
}
