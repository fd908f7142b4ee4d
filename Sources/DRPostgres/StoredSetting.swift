import Foundation

/// One setting as PostgreSQL stores it for a database or a role (`pg_db_role_setting`):
/// `name=value`, turned back into the `SET` clause that makes it again, as pg_dump does.
public struct StoredSetting: Sendable, Equatable {
  public let name: String
  public let value: String

  /// Variables whose value is a list of names, stored quoted as identifiers
  /// (PostgreSQL's `GUC_LIST_QUOTE`; pg_dump's `variable_is_guc_list_quote`).
  static let listQuoted: Set<String> = [
    "local_preload_libraries", "search_path", "session_preload_libraries", "shared_preload_libraries",
    "temp_tablespaces", "unix_socket_directories",
  ]

  /// nil for text without `=`.
  public init?(_ stored: String) {
    guard let equals = stored.firstIndex(of: "=") else { return nil }
    name = String(stored[..<equals])
    value = String(stored[stored.index(after: equals)...])
  }

  /// `"name" TO 'value'`; a list variable's items each as a literal
  /// (`"search_path" TO 'Sales Q1', 'public'`), else the stored form would be quoted twice.
  public var clause: String {
    let items =
      Self.listQuoted.contains(name.lowercased())
      ? Self.splitList(value).flatMap { $0.isEmpty ? nil : $0 } : nil
    return "\(SQL.identifier(name)) TO " + (items ?? [value]).map(SQL.literal).joined(separator: ", ")
  }

  /// A stored list value's items: comma-separated, each bare or double-quoted (`""` inside
  /// quotes is one quote), blanks around them ignored (pg_dump's `SplitGUCList`). nil when
  /// it is not such a list.
  static func splitList(_ text: String) -> [String]? {
    var rest = Substring(text).drop { $0.isASCIIWhitespace }
    var items: [String] = []
    while !rest.isEmpty {
      var item = ""
      if rest.first == "\"" {
        rest = rest.dropFirst()
        while true {
          guard let quote = rest.firstIndex(of: "\"") else { return nil }
          item += rest[..<quote]
          rest = rest[rest.index(after: quote)...]
          guard rest.first == "\"" else { break }
          item += "\""
          rest = rest.dropFirst()
        }
      } else {
        item = String(rest.prefix { $0 != "," && !$0.isASCIIWhitespace })
        guard !item.isEmpty else { return nil }
        rest = rest.dropFirst(item.count)
      }
      items.append(item)
      rest = rest.drop { $0.isASCIIWhitespace }
      if rest.first == "," {
        rest = rest.dropFirst().drop { $0.isASCIIWhitespace }
        if rest.isEmpty { return nil }
      } else if !rest.isEmpty {
        return nil
      }
    }
    return items
  }
}

extension Character {
  fileprivate var isASCIIWhitespace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" }
}
