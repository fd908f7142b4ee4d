/// `${VAR}` expansion in policy values.
///
/// `${VAR}` is replaced by the variable's value and is an error when the variable is not
/// set; `${VAR:-default}` falls back to `default` when it is unset or empty; `$${` is a
/// literal `${`. A `$` not followed by `{` is kept as it is (SQL checks use `$1`).
///
/// An app's `command:` is split into words first and expanded word by word
/// (`AppCommand`), so a value never becomes several words or an operator; there, and only
/// there, `${PORT}`, `${DATABASE_URL}` and `${MEMCACHED_SERVERS}` are left for the stack
/// to fill in when the app starts.
enum Expansion {
  enum Failure: Error, Equatable {
    case unset(String)
    case unterminated
    case badName(String)
  }

  static func expand(_ text: String, environment: [String: String]) throws(Failure) -> String {
    guard text.contains("${") else { return text }
    var output = ""
    var rest = Substring(text)
    while let dollar = rest.firstIndex(of: "$") {
      output += rest[..<dollar]
      let after = rest[rest.index(after: dollar)...]
      if after.hasPrefix("${") {
        output += "${"
        rest = after.dropFirst(2)
      } else if after.hasPrefix("{") {
        guard let close = after.firstIndex(of: "}") else { throw .unterminated }
        output += try value(of: after[after.index(after: after.startIndex)..<close], environment)
        rest = after[after.index(after: close)...]
      } else {
        output += "$"
        rest = after
      }
    }
    return output + rest
  }

  private static func value(of reference: Substring, _ environment: [String: String]) throws(Failure) -> String {
    let parts = reference.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
    let name = String(parts[0])
    guard isValidName(name) else { throw .badName(name) }
    if parts.count == 2 {
      let value = environment[name] ?? ""
      return value.isEmpty ? String(parts[1]) : value
    }
    guard let value = environment[name] else { throw .unset(name) }
    return value
  }

  private static func isValidName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
    return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
  }

  private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
  }
}
