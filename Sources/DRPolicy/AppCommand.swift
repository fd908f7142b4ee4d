import Foundation

/// An app's command as an argument vector, run without a shell: no expansion, globbing,
/// redirection or operators. Each word is text and, where the policy wrote `$PORT`,
/// `$DATABASE_URL` or `$MEMCACHED_SERVERS` (or `${…}`), the stack's value of that variable,
/// filled in when the app starts (a drill picks other ports). A value never splits a word.
public struct AppCommand: Sendable, Equatable, CustomStringConvertible {
  /// A piece of one word.
  public enum Part: Sendable, Equatable {
    case text(String)
    /// One of `stackVariables`, filled in at start time.
    case variable(String)
  }

  /// The variables the stack gives every app, in its environment and in its command.
  public static let stackVariables: Set<String> = ["PORT", "DATABASE_URL", "MEMCACHED_SERVERS"]

  public var words: [[Part]]

  public init(words: [[Part]]) {
    self.words = words
  }

  /// `arguments` as words of text alone (tests, and commands built in code).
  public init(_ arguments: [String]) {
    words = arguments.map { [.text($0)] }
  }

  /// The argument vector with the stack's variables filled in from `values` (an unknown
  /// one is empty).
  public func arguments(_ values: [String: String]) -> [String] {
    words.map { word in
      word.map { part in
        switch part {
        case .text(let text): text
        case .variable(let name): values[name] ?? ""
        }
      }.joined()
    }
  }

  /// The program: the first word (text alone, the loader makes sure of it).
  public var program: String { arguments([:]).first ?? "" }

  /// Whether some word uses `variable`.
  public func uses(_ variable: String) -> Bool {
    words.contains { $0.contains(.variable(variable)) }
  }

  /// Whether `argv` (a running process's) is this command with `values` filled in; words
  /// that use a variable missing from `values` match any word. The program is compared by
  /// its last path component (it is found on PATH).
  public func matches(_ argv: [String], values: [String: String]) -> Bool {
    guard argv.count == words.count, let first = argv.first else { return false }
    let expected = arguments(values)
    guard Self.lastComponent(first) == Self.lastComponent(expected[0]) else { return false }
    return zip(words, zip(argv, expected)).dropFirst().allSatisfy { word, pair in
      let unknown = word.contains { part in
        if case .variable(let name) = part { return values[name] == nil }
        return false
      }
      return unknown || pair.0 == pair.1
    }
  }

  static func lastComponent(_ path: String) -> Substring {
    path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
  }

  /// The words as a shell would read them back: plain words as they are, others in single
  /// quotes, the stack's variables as `${NAME}`.
  public var description: String {
    words.map { word in
      word.map { part in
        switch part {
        case .text(let text): Self.shellQuoted(text)
        case .variable(let name): "${\(name)}"
        }
      }.joined()
    }.joined(separator: " ")
  }

  static func shellQuoted(_ text: String) -> String {
    let plain = text.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        || "_@%+=:,./-".unicodeScalars.contains($0)
    }
    return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
