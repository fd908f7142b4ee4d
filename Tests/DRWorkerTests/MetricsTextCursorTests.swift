import Testing

/// Why a line of the exposition is not valid; `throw "…"` reads like the rule it breaks.
struct ExpositionProblem: Error, ExpressibleByStringInterpolation {
  let message: String
  init(stringLiteral value: String) { message = value }
  init(stringInterpolation: DefaultStringInterpolation) { message = String(stringInterpolation: stringInterpolation) }
}

/// A position in one line of the exposition, and the lexical rules of its parts.
struct ExpositionCursor {
  private let characters: [Character]
  private var index = 0

  init(_ line: String) { characters = Array(line) }

  var atEnd: Bool { index == characters.count }
  var peek: Character? { atEnd ? nil : characters[index] }

  mutating func take(while accepts: (Character) -> Bool) -> String {
    let start = index
    while let next = peek, accepts(next) { index += 1 }
    return String(characters[start..<index])
  }

  mutating func skip(_ expected: Character) -> Bool {
    guard peek == expected else { return false }
    index += 1
    return true
  }

  /// `{name="value",…}`, a trailing comma allowed; each name once, none reserved (`__`).
  mutating func labels() throws(ExpositionProblem) -> [String: String] {
    guard skip("{") else { throw "no {" }
    var labels: [String: String] = [:]
    while !skip("}") {
      let name = take { $0.isLetter || $0.isNumber || $0 == "_" }
      guard Self.isLabelName(name), !name.hasPrefix("__") else { throw "bad label name \(name)" }
      guard skip("="), skip("\"") else { throw "no =\" after \(name)" }
      let value = try unescaped(until: "\"", escapes: ["\\": "\\", "\"": "\"", "n": "\n"])
      guard labels.updateValue(value, forKey: name) == nil else { throw "label \(name) twice" }
      guard skip(",") || peek == "}" else { throw "no , or } after \(name)" }
    }
    return labels
  }

  /// The text up to `terminator` (consumed) or the end of the line when nil, with only
  /// the given backslash escapes allowed.
  mutating func unescaped(until terminator: Character?, escapes: [Character: Character]) throws(ExpositionProblem)
    -> String
  {
    var text = ""
    while let next = peek {
      index += 1
      if next == terminator { return text }
      guard next == "\\" else {
        text.append(next)
        continue
      }
      guard let escaped = peek, let meaning = escapes[escaped] else { throw "bad escape \\\(peek ?? " ")" }
      index += 1
      text.append(meaning)
    }
    guard terminator == nil else { throw "unterminated string" }
    return text
  }

  static func isMetricName(_ name: String) -> Bool {
    name.wholeMatch(of: /[a-zA-Z_:][a-zA-Z0-9_:]*/) != nil
  }

  static func isLabelName(_ name: String) -> Bool {
    name.wholeMatch(of: /[a-zA-Z_][a-zA-Z0-9_]*/) != nil
  }

  /// A Go-style float as the format allows it: decimal or exponent, `+Inf`, `-Inf`, `NaN`.
  static func number(_ text: String) throws(ExpositionProblem) -> Double {
    switch text {
    case "+Inf": return .infinity
    case "-Inf": return -.infinity
    case "NaN": return .nan
    default:
      guard text.wholeMatch(of: /[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/) != nil, let value = Double(text)
      else { throw "bad value \(text)" }
      return value
    }
  }
}
