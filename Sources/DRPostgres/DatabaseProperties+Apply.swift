import Foundation

extension DatabaseProperties {
  /// One statement of `apply`: what it sets and the roles it needs.
  struct Step: Sendable, Equatable {
    let property: DatabaseProperty
    let part: String
    let sql: String
    let roles: [String]
    /// Text the server's error may repeat that must not reach a note (a setting's value).
    var hidden: String? = nil
  }

  /// Sets these properties on `database` (restored, under any name) through `admin`, a
  /// connection to another database of that server (one with `ALTER DATABASE … SET` would
  /// change the sessions that read it). Each statement stands alone: a role this server
  /// lacks or a statement it refuses leaves that part as it was and is reported.
  public func apply(to database: String, on admin: PGConnection, scope: ApplyScope) async throws -> ApplyReport {
    let present = try await existingRoles(on: admin)
    let current = try await Self.read(database: database, on: admin)
    var report = ApplyReport()
    for step in steps(for: database, scope: scope, current: current) {
      if let missing = step.roles.first(where: { !present.contains($0) }) {
        report.notApplied.append(.init(property: step.property, part: step.part, reason: .missingRole(missing)))
        continue
      }
      do {
        _ = try await admin.query(step.sql)
      } catch {
        if Task.isCancelled { throw CancellationError() }
        _ = try? await admin.query("RESET ROLE")
        var words = "\(error)".replacingOccurrences(of: "query failed: ", with: "").replacingOccurrences(
          of: "ERROR:  ", with: "")
        if let hidden = step.hidden, !hidden.isEmpty { words = words.replacingOccurrences(of: hidden, with: "…") }
        report.notApplied.append(.init(property: step.property, part: step.part, reason: .refused(words)))
      }
    }
    return report
  }

  /// Which of the roles these properties name exist on the server.
  func existingRoles(on admin: PGConnection) async throws -> Set<String> {
    let names = roles.sorted().map(SQL.literal).joined(separator: ", ")
    let rows = try await admin.query("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname IN (\(names))")
    return Set(rows.compactMap { $0.first ?? nil })
  }

  /// The statements, in order: owner, connection limit, settings, roles' settings,
  /// privileges, comment. `current` is what the database is now (for the privileges to
  /// revoke before granting).
  func steps(for database: String, scope: ApplyScope, current: DatabaseProperties?) -> [Step] {
    let name = SQL.identifier(database)
    var steps: [Step] = []
    if scope.owner {
      steps.append(
        .init(
          property: .owner, part: owner, sql: "ALTER DATABASE \(name) OWNER TO \(SQL.identifier(owner))", roles: [owner]
        ))
    }
    if connectionLimit != -1 {
      steps.append(
        .init(
          property: .connectionLimit, part: "", sql: "ALTER DATABASE \(name) CONNECTION LIMIT \(connectionLimit)",
          roles: []))
    }
    steps += settings.compactMap { StoredSetting($0) }.map { setting in
      Step(
        property: .settings, part: setting.name, sql: "ALTER DATABASE \(name) SET \(setting.clause)", roles: [],
        hidden: setting.value)
    }
    guard scope.roles else { return steps + commentSteps(name, scope: scope) }
    for entry in roleSettings {
      steps += entry.settings.compactMap { StoredSetting($0) }.map { setting in
        Step(
          property: .roleSettings(entry.role), part: setting.name,
          sql: "ALTER ROLE \(SQL.identifier(entry.role)) IN DATABASE \(name) SET \(setting.clause)",
          roles: [entry.role],
          hidden: setting.value)
      }
    }
    if let acl {
      steps.append(revokeStep(name, current: current))
      steps += grantSteps(name, acl)
    }
    return steps + commentSteps(name, scope: scope)
  }

  private func commentSteps(_ name: String, scope: ApplyScope) -> [Step] {
    guard scope.comment else { return [] }
    return [
      .init(
        property: .comment, part: "", sql: "COMMENT ON DATABASE \(name) IS \(comment.map(SQL.literal) ?? "NULL")",
        roles: [])
    ]
  }

  /// Every privilege the database has now goes (PUBLIC's, its owner's, anyone's), so that
  /// the grants that follow leave exactly the backup's.
  private func revokeStep(_ name: String, current: DatabaseProperties?) -> Step {
    let holders = Set((current?.effectiveGrants ?? []).compactMap(\.grantee)).sorted()
    let from = (["PUBLIC"] + holders.map(SQL.identifier)).joined(separator: ", ")
    return Step(
      property: .privileges, part: "revoking the defaults", sql: "REVOKE ALL ON DATABASE \(name) FROM \(from) CASCADE",
      roles: [])
  }

  /// One GRANT per grantee, grantor and grant option; the owner's grants first (a
  /// superuser's GRANT is recorded as the owner's), then others' as their grantor.
  private func grantSteps(_ name: String, _ acl: [Grant]) -> [Step] {
    struct Key: Hashable {
      let grantee: String?
      let grantor: String
      let grantable: Bool
    }
    var order: [Key] = []
    var privileges: [Key: [String]] = [:]
    for grant in acl {
      let key = Key(grantee: grant.grantee, grantor: grant.grantor, grantable: grant.grantable)
      if privileges[key] == nil { order.append(key) }
      privileges[key, default: []].append(grant.privilege)
    }
    let sorted = order.filter { $0.grantor == owner } + order.filter { $0.grantor != owner }
    return sorted.map { key in
      let list = privileges[key, default: []]
      let grant =
        "GRANT \(list.joined(separator: ", ")) ON DATABASE \(name) TO \(key.grantee.map(SQL.identifier) ?? "PUBLIC")"
        + (key.grantable ? " WITH GRANT OPTION" : "")
      let asGrantor = key.grantor == owner ? grant : "SET ROLE \(SQL.identifier(key.grantor)); \(grant); RESET ROLE"
      let part = list.map {
        Grant(grantee: key.grantee, grantor: key.grantor, privilege: $0, grantable: key.grantable).description
      }.joined(separator: "; ")
      return Step(
        property: .privileges, part: part, sql: asGrantor,
        roles: [key.grantee, key.grantor == owner ? nil : key.grantor].compactMap { $0 })
    }
  }
}
