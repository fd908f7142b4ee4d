extension VerifySettings {
  static let keys = ["schedule", "scratch", "scratch_url", "row_counts", "checks", "max_age"]
  static let checkKeys = ["name", "sql", "database"]

  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(Self.keys)
    schedule = try map.optional("schedule").map { field throws(PolicyError) in try field.cron() }
    scratch = try Self.scratch(map)
    rowCounts = try map.optional("row_counts")?.choice(RowCounts.self) ?? .exact
    checks = try map.optional("checks").map { field throws(PolicyError) in try Self.checks(field) } ?? []
    maxAge = try map.optional("max_age")?.duration()
  }

  private static func scratch(_ map: MapReader) throws(PolicyError) -> Scratch {
    let url = try map.optional("scratch_url")?.postgresURL()
    guard let field = map.optional("scratch") else { return url.map(Scratch.server) ?? .local }
    let mode = try field.string("local, or url with scratch_url")
    switch (mode, url) {
    case ("local", nil): return .local
    case ("url", let url?): return .server(url)
    case ("url", nil): throw field.error("scratch: url needs scratch_url: postgresql://...")
    case ("local", .some): throw field.error("scratch: local and scratch_url exclude each other; keep one")
    default:
      throw field.error("expected local (a throwaway cluster) or url (with scratch_url), got \(field.quoted(mode))")
    }
  }

  private static func checks(_ field: Field) throws(PolicyError) -> [Check] {
    var checks: [Check] = []
    for item in try field.sequence() {
      let map = try item.mapping(Self.checkKeys)
      let check = Check(
        name: try map.required("name", "a name for the check").nonEmptyString("a name"),
        sql: try map.required("sql", "a query returning a single true").nonEmptyString("an SQL query"),
        database: try map.optional("database")?.databaseName())
      guard !checks.contains(where: { $0.name == check.name }) else {
        throw item.error("two checks are named \(item.quoted(check.name))")
      }
      checks.append(check)
    }
    return checks
  }
}
