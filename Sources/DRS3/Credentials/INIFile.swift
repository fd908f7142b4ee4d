/// The sections of one AWS shared file (`~/.aws/credentials` or `~/.aws/config`), parsed
/// the way the AWS SDKs read them:
///
/// - `[name]` starts a section; the name is trimmed, and anything after `]` is ignored.
/// - `key = value`, keys lowercased (Python's configparser, which the CLI uses, does the
///   same), values trimmed and never unquoted.
/// - Lines starting with `#` or `;` are comments; in a value, `#` or `;` after whitespace
///   starts a comment, so `region = eu-west-1 # Ireland` is `eu-west-1`.
/// - An indented line after `key =` with an empty value is a sub-property (`s3 =` then
///   `  endpoint_url = ...`), stored as `key.sub`; after a non-empty value it continues it.
/// - A section appearing twice is merged, later keys winning.
struct INIFile: Sendable, Equatable {
  struct ParseError: Error, Equatable {
    let line: Int
    let reason: String
  }

  /// Section name → lowercased key → value, in no particular order.
  private(set) var sections: [String: [String: String]] = [:]

  init(sections: [String: [String: String]] = [:]) {
    self.sections = sections
  }

  init(parsing text: String) throws(ParseError) {
    var parser = Parser()
    // Character.isNewline covers "\r\n", which Swift sees as one Character.
    for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      try parser.consume(line, line: index + 1)
    }
    sections = parser.sections
  }

  subscript(section: String) -> [String: String]? { sections[section] }
}

private struct Parser {
  var sections: [String: [String: String]] = [:]
  var section: String?
  /// The last property of the current section, which indented lines may extend.
  var property: String?
  var parent: String?

  mutating func consume(_ line: Substring, line number: Int) throws(INIFile.ParseError) {
    let trimmed = line.trimmingWhitespace()
    if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { return }
    if trimmed.hasPrefix("[") {
      try startSection(trimmed, number)
    } else if let first = line.first, first == " " || first == "\t", property != nil {
      try continueProperty(trimmed, number)
    } else {
      try addProperty(trimmed, number)
    }
  }

  private mutating func startSection(_ line: Substring, _ number: Int) throws(INIFile.ParseError) {
    guard let close = line.firstIndex(of: "]") else {
      throw .init(line: number, reason: "a section header without its closing ]")
    }
    let name = line[line.index(after: line.startIndex)..<close].trimmingWhitespace()
    guard !name.isEmpty else { throw .init(line: number, reason: "an empty section name") }
    section = String(name)
    if sections[String(name)] == nil { sections[String(name)] = [:] }
    property = nil
    parent = nil
  }

  private mutating func addProperty(_ line: Substring, _ number: Int) throws(INIFile.ParseError) {
    guard let section else {
      throw .init(line: number, reason: "a property before any [section]")
    }
    let (key, value) = try split(line, number)
    sections[section]![key] = value
    property = key
    parent = value.isEmpty ? key : nil
  }

  private mutating func continueProperty(_ line: Substring, _ number: Int) throws(INIFile.ParseError) {
    guard let section, let property else { return }
    if let parent {
      let (key, value) = try split(line, number)
      sections[section]!["\(parent).\(key)"] = value
    } else {
      let existing = sections[section]![property] ?? ""
      sections[section]![property] = existing + "\n" + Self.stripComment(line)
    }
  }

  private func split(_ line: Substring, _ number: Int) throws(INIFile.ParseError) -> (String, String) {
    guard let equals = line.firstIndex(of: "=") else {
      throw .init(line: number, reason: "expected key = value")
    }
    let key = line[..<equals].trimmingWhitespace().lowercased()
    guard !key.isEmpty else { throw .init(line: number, reason: "a property without a name") }
    return (key, Self.stripComment(line[line.index(after: equals)...]))
  }

  /// The value without a trailing ` # comment` or ` ; comment`, trimmed.
  static func stripComment(_ value: Substring) -> String {
    var previous: Character = " "
    for index in value.indices {
      let character = value[index]
      if (character == "#" || character == ";") && (previous == " " || previous == "\t") {
        return String(value[..<index].trimmingWhitespace())
      }
      previous = character
    }
    return String(value.trimmingWhitespace())
  }
}

extension Substring {
  func trimmingWhitespace() -> Substring {
    var result = self
    while let first = result.first, first.isWhitespace { result.removeFirst() }
    while let last = result.last, last.isWhitespace { result.removeLast() }
    return result
  }
}
