import DRCore

extension Policy {
  static let keys = [
    "name", "database", "storage", "backup", "retention", "verify", "notify", "stack", "environments",
  ]

  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(Self.keys)
    name = try map.required("name", "the policy's name ([a-z0-9-]+)").identifier("a policy name")
    database = try DatabaseSettings(map.required("database", "a mapping with url"))
    storage = try StorageSettings(map.required("storage", "a mapping with url (s3://bucket/prefix/)"))
    backup = try map.optional("backup").map { field throws(PolicyError) in try BackupSettings(field) } ?? .defaults
    retention = try map.optional("retention").map { field throws(PolicyError) in try RetentionSettings(field) }
    verify = try map.optional("verify").map { field throws(PolicyError) in try VerifySettings(field) } ?? .defaults
    notify = try map.optional("notify").map { field throws(PolicyError) in try NotifySettings(field) }
    let stack = try map.optional("stack").map { field throws(PolicyError) in try StackSettings(field) } ?? .empty
    self.stack = stack
    environments =
      try map.optional("environments").map { field throws(PolicyError) in
        try EnvironmentSettings.list(field, stack: stack)
      } ?? []
    file = field.context.file
    secrets = []
    try Self.checkDatabases(of: map.optional("verify"), against: database)
  }
}

extension Field {
  func postgresURL() throws(PolicyError) -> PostgresURL {
    let text = try nonEmptyString("a libpq URI")
    guard let url = PostgresURL(text) else {
      throw error("expected a libpq URI such as postgresql://user@127.0.0.1:5432/dbname")
    }
    if let password = url.password { context.noteSecret(password.value) }
    return url
  }

  func httpURL(_ what: String) throws(PolicyError) -> String {
    let text = try nonEmptyString(what)
    let lower = text.lowercased()
    let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : 0
    let host = text.dropFirst(scheme).prefix { $0 != "/" && $0 != "?" }
    guard scheme > 0, !host.isEmpty, !text.contains(" ") else {
      throw error("expected \(what): an http:// or https:// URL with a host, got \(quoted(text))")
    }
    // A port that cannot be one would only fail at the first request.
    let authority = host.split(separator: "@").last ?? host
    if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
      let port = authority[authority.index(after: colon)...]
      guard let number = Int(port), (1...65535).contains(number) else {
        throw error("expected \(what) with a port from 1 to 65535, got \(quoted(text))")
      }
    }
    return text
  }
}
