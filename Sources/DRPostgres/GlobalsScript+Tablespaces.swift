import Foundation

extension GlobalsScript {
  /// The script without its tablespaces (`CREATE`, `ALTER`, `COMMENT ON`, `SECURITY LABEL
  /// ON`, and grants and revokes `ON TABLESPACE`), for a cluster that has no directory for
  /// them: objects a dump puts in one go to the default tablespace (`pg_restore
  /// --no-tablespaces`). Returns the tablespaces left out, by name.
  public func withoutTablespaces() -> (script: String, tablespaces: [String]) {
    var kept: [Substring] = []
    var names: [String] = []
    var skipping = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if !skipping, let name = Self.tablespaceStatement(line) {
        if let name, !names.contains(name) { names.append(name) }
        skipping = true
      }
      if skipping {
        // A statement ends with `;` at the end of a line (a comment may span lines).
        if line.hasSuffix(";") { skipping = false }
        continue
      }
      kept.append(line)
    }
    return (kept.joined(separator: "\n"), names)
  }

  /// nil when `line` does not begin a tablespace statement; else the tablespace it names
  /// (itself nil when it cannot be read).
  static func tablespaceStatement(_ line: Substring) -> String?? {
    var scanner = Scanner(line)
    for prefix in ["CREATE TABLESPACE", "ALTER TABLESPACE", "COMMENT ON TABLESPACE", "SECURITY LABEL ON TABLESPACE"]
    where scanner.keyword(prefix) {
      return .some(scanner.identifier())
    }
    for verb in ["GRANT", "REVOKE"] where line.hasPrefix(verb + " ") {
      guard let on = line.range(of: " ON TABLESPACE ") else { continue }
      var rest = Scanner(line[on.upperBound...])
      return .some(rest.identifier())
    }
    return nil
  }
}
