import Logging

/// What a `pg_dumpall --globals-only` script says about roles.
///
/// pg_dumpall reads the roles, then their memberships, in separate statements with no
/// snapshot across them. A role made and granted in between appears in a `GRANT` but has
/// no `CREATE ROLE`, and replaying the script fails on it. `undefinedRoles` finds that,
/// and `consistent` takes the script again until it is whole.
public struct GlobalsScript: Sendable {
  public let text: String

  public init(_ text: String) {
    self.text = text
  }

  /// Roles that memberships (`GRANT a TO b ... GRANTED BY c;`) name but the script never
  /// creates. Privilege grants (`GRANT ... ON TABLESPACE ...`) are not memberships.
  public var undefinedRoles: Set<String> {
    var created: Set<String> = []
    var named: Set<String> = []
    for line in text.split(separator: "\n") {
      var scanner = Scanner(line)
      if scanner.keyword("CREATE ROLE"), let role = scanner.identifier() {
        created.insert(role)
      } else if scanner.keyword("GRANT"), let granted = scanner.identifier(), scanner.keyword("TO"),
        let member = scanner.identifier()
      {
        named.formUnion([granted, member])
        if let grantor = scanner.after(keyword: "GRANTED BY") { named.insert(grantor) }
      }
    }
    return named.subtracting(created)
  }

  public static let attempts = 3

  /// Runs `dump` until its script creates every role it grants, at most `attempts` times;
  /// the last script is kept (with a warning) if roles never stopped changing.
  public static func consistent(logger: Logger, dump: () async throws -> String) async throws -> String {
    var script = try await dump()
    for attempt in 2...attempts {
      let missing = GlobalsScript(script).undefinedRoles
      if missing.isEmpty { return script }
      logger.notice(
        "roles changed while pg_dumpall ran (\(names(missing)) granted but not created); taking the globals again (attempt \(attempt) of \(attempts))"
      )
      script = try await dump()
    }
    let missing = GlobalsScript(script).undefinedRoles
    if !missing.isEmpty {
      logger.warning(
        "the globals grant roles they do not create (\(names(missing))): roles kept changing while pg_dumpall ran \(attempts) times; restoring those grants will fail"
      )
    }
    return script
  }

  static func names(_ roles: Set<String>) -> String {
    roles.sorted().joined(separator: ", ")
  }

  /// Reads SQL identifiers and keywords off one line.
  struct Scanner {
    private var rest: Substring

    init(_ line: Substring) {
      rest = line
    }

    /// Consumes `words` (and the spaces around it) when the line goes on with them.
    mutating func keyword(_ words: String) -> Bool {
      let trimmed = rest.drop { $0 == " " }
      guard trimmed.hasPrefix(words + " ") else { return false }
      rest = trimmed.dropFirst(words.count + 1)
      return true
    }

    /// A bare (`name`) or quoted (`"we ""ird"`) identifier.
    mutating func identifier() -> String? {
      rest = rest.drop { $0 == " " }
      guard rest.first == "\"" else {
        let bare = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        rest = rest.dropFirst(bare.count)
        return bare.isEmpty ? nil : String(bare)
      }
      var name = ""
      var index = rest.index(after: rest.startIndex)
      while index < rest.endIndex {
        let next = rest.index(after: index)
        if rest[index] != "\"" {
          name.append(rest[index])
        } else if next < rest.endIndex, rest[next] == "\"" {
          name.append("\"")
          index = next
        } else {
          rest = rest[next...]
          return name
        }
        index = rest.index(after: index)
      }
      return nil
    }

    /// The identifier after the first `words` later in the line.
    mutating func after(keyword words: String) -> String? {
      while !rest.isEmpty {
        if keyword(words) { return identifier() }
        rest = rest.drop { $0 == " " }
        if identifier() == nil { rest = rest.dropFirst() }
      }
      return nil
    }
  }
}
