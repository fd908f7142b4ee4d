import Yams

extension DatabaseSettings {
  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(["url", "databases"])
    url = try map.required("url", "a libpq URI (postgresql://user@host:port/dbname)").postgresURL()
    databases =
      try map.optional("databases").map { field throws(PolicyError) in try Self.selection(field) } ?? .urlDatabase
  }

  /// `all`, or a non-empty list of distinct database names.
  private static func selection(_ field: Field) throws(PolicyError) -> DatabaseSelection {
    let expected = "all, or a list of database names such as [summit, billing]"
    if case .scalar = field.node {
      let text = try field.string(expected)
      guard text == "all" else {
        throw field.error("expected \(expected), got \(field.quoted(text)) (a database called that: [\(text)])")
      }
      return .all
    }
    var names: [String] = []
    for item in try field.sequence() {
      let name = try item.databaseName()
      guard !names.contains(name) else { throw item.error("database \(item.quoted(name)) is listed twice") }
      names.append(name)
    }
    guard !names.isEmpty else { throw field.error("expected \(expected), got an empty list") }
    return .named(names)
  }
}

extension Field {
  /// A PostgreSQL database name: not empty, at most 63 bytes, no NUL.
  func databaseName() throws(PolicyError) -> String {
    let name = try nonEmptyString("a database name")
    guard name.utf8.count <= 63, !name.utf8.contains(0) else {
      throw error("expected a database name of at most 63 bytes, got \(quoted(name))")
    }
    return name
  }
}

extension Policy {
  /// A check naming a database the backup cannot hold is refused at its line: not in
  /// `database.databases`, or, without that key, not the URL's database. With `all` the
  /// server decides, and a check naming a database the backup lacks fails its verification.
  static func checkDatabases(of verify: Field?, against settings: DatabaseSettings) throws(PolicyError) {
    let allowed: [String]
    switch settings.databases {
    case .all: return
    case .named(let names): allowed = names
    case .urlDatabase:
      guard let name = settings.url.database else { return }
      allowed = [name]
    }
    guard let verify, case .mapping = verify.node,
      let checks = try verify.mapping(VerifySettings.keys).optional("checks")
    else { return }
    for item in try checks.sequence() {
      guard let field = try item.mapping(VerifySettings.checkKeys).optional("database") else { continue }
      let name = try field.databaseName()
      guard allowed.contains(name) else {
        let source = settings.databases == .urlDatabase ? "the database of database.url" : "database.databases"
        throw field.error(
          "database \(field.quoted(name)) is not backed up: \(source) is \(allowed.map { field.quoted($0) }.joined(separator: ", "))"
        )
      }
    }
  }
}
