import Foundation

/// Shell quoting for juju commands, used twice: to show a command so that pasting it into
/// a POSIX shell runs exactly the argument array dr runs (no shell is involved when dr runs
/// it), and for the words after `juju ssh … --`, which ssh joins with spaces and the remote
/// shell parses again.
enum JujuShell {
  /// Characters that need no quoting anywhere in a word.
  static let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")

  /// `word` as one shell word: bare when plain, in single quotes unless it holds one, in
  /// double quotes with `\ " $ `` escaped unless it holds `!` (history expansion), and in
  /// single quotes with `'\''` for each quote otherwise.
  static func quote(_ word: String) -> String {
    if word.isEmpty { return "''" }
    if word.allSatisfy(plain.contains) { return word }
    if !word.contains("'") { return "'\(word)'" }
    if !word.contains("!") {
      var escaped = ""
      for character in word {
        if "\\\"$`".contains(character) { escaped.append("\\") }
        escaped.append(character)
      }
      return "\"\(escaped)\""
    }
    return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }

  /// A command line for people: every word quoted as needed, joined with spaces.
  static func line(_ words: [String]) -> String {
    words.map(quote).joined(separator: " ")
  }
}
